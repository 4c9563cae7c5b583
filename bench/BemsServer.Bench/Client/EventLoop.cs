using System.Diagnostics;
using System.Runtime.InteropServices;

namespace BemsServer.Bench.Client;

/// <summary>Work the event loop runs at given times between reads: the open loop's sends.</summary>
internal interface ITimedWork
{
    /// <summary>When the next piece is due (Stopwatch ticks), or <see cref="long.MaxValue"/> when done.</summary>
    long NextDue { get; }

    /// <summary>Runs every piece due by <paramref name="now"/>; returns false when the work has ended.</summary>
    bool Run(long now);

    /// <summary>Called on the loop thread when the work starts and when it ends (false).</summary>
    void Running(bool running);
}

/// <summary>
/// The load client's one thread for every connection (Linux): it waits in <c>epoll_pwait2</c> for sockets to become
/// readable or for the open loop's next send to fall due, whichever comes first, reads each ready socket once and
/// sends from the same thread. Per message that is one send, one read per connection that has something, and a wait
/// that often returns several sockets at once, with no hand-over between threads. Level-triggered: a socket with more
/// to read is reported again.
/// </summary>
internal sealed partial class EventLoop
{
    private const int EpollCtlAdd = 1, EpollCtlDel = 2;
    private const uint EpollIn = 0x1, EpollRdHup = 0x2000;
    private const int EfdNonBlock = 0x800, EfdCloexec = 0x80000, EpollCloexec = 0x80000;
    private const int MaxEvents = 256;
    private const int EIntr = 4;

    /// <summary>x86-64 packs <c>struct epoll_event</c> (12 bytes); other architectures align its data to 8 (16 bytes).</summary>
    private static readonly int EventSize = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 12 : 16;

    private static readonly int DataOffset = EventSize == 12 ? 4 : 8;

    private readonly int _epoll;
    private readonly int _wake;
    private readonly Lock _tableLock = new();
    private WsConn?[] _byFd = new WsConn?[1024];
    private ITimedWork? _pendingWork;

    private EventLoop(int epoll, int wake)
    {
        _epoll = epoll;
        _wake = wake;
        new Thread(Run) { IsBackground = true, Name = "client event loop" }.Start();
    }

    /// <summary>The process's loop; null where there is none (not Linux, or no <c>epoll_pwait2</c>, Linux 5.11 and glibc 2.35).</summary>
    public static EventLoop? Shared { get; } = TryCreate();

    private static EventLoop? TryCreate()
    {
        if (!OperatingSystem.IsLinux()) return null;
        try
        {
            var epoll = EpollCreate1(EpollCloexec);
            if (epoll < 0) return null;
            var wake = EventFd(0, EfdNonBlock | EfdCloexec);
            if (wake < 0 || Control(epoll, EpollCtlAdd, wake, EpollIn) != 0) return null;
            var probe = new byte[EventSize];
            var zero = new Timespec();
            if (EpollPwait2(epoll, probe, 1, ref zero, 0) < 0) return null; // ENOSYS on kernels before 5.11
            return new EventLoop(epoll, wake);
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    public void Add(WsConn conn)
    {
        lock (_tableLock)
        {
            if (conn.Fd >= _byFd.Length)
            {
                var larger = new WsConn?[Math.Max(conn.Fd + 1, _byFd.Length * 2)];
                _byFd.CopyTo(larger, 0);
                Volatile.Write(ref _byFd, larger);
            }

            Volatile.Write(ref _byFd[conn.Fd], conn);
        }

        if (Control(_epoll, EpollCtlAdd, conn.Fd, EpollIn | EpollRdHup) != 0)
            throw new IOException($"epoll_ctl(ADD) failed: errno {Marshal.GetLastPInvokeError()}.");
    }

    public void Remove(WsConn conn)
    {
        _ = Control(_epoll, EpollCtlDel, conn.Fd, 0);
        lock (_tableLock)
        {
            if (conn.Fd < _byFd.Length && ReferenceEquals(_byFd[conn.Fd], conn)) Volatile.Write(ref _byFd[conn.Fd], null);
        }
    }

    /// <summary>Hands timed work to the loop thread (one at a time); it runs until <see cref="ITimedWork.Run"/> says it ended.</summary>
    public void Start(ITimedWork work)
    {
        if (Interlocked.CompareExchange(ref _pendingWork, work, null) is not null)
            throw new InvalidOperationException("The event loop already has timed work.");
        Span<byte> one = stackalloc byte[8];
        one[0] = 1;
        _ = Write(_wake, one, 8);
    }

    private void Run()
    {
        var events = new byte[MaxEvents * EventSize];
        Span<byte> drain = stackalloc byte[8];
        ITimedWork? work = null;
        while (true)
        {
            if (work is null && Volatile.Read(ref _pendingWork) is not null)
            {
                work = Interlocked.Exchange(ref _pendingWork, null)!;
                work.Running(true);
            }

            var timeout = new Timespec { Seconds = 0, Nanoseconds = 0 };
            var infinite = true;
            if (work is not null)
            {
                var now = Stopwatch.GetTimestamp();
                var due = work.NextDue;
                if (due <= now)
                {
                    work = RunDue(work, now);
                    continue;
                }

                var ns = (long)((due - now) * (1e9 / Stopwatch.Frequency));
                timeout = new Timespec { Seconds = ns / 1_000_000_000, Nanoseconds = ns % 1_000_000_000 };
                infinite = false;
            }

            var n = infinite ? EpollPwait2Infinite(_epoll, events, MaxEvents, 0, 0) : EpollPwait2(_epoll, events, MaxEvents, ref timeout, 0);
            if (n < 0)
            {
                if (Marshal.GetLastPInvokeError() == EIntr) continue;
                throw new IOException($"epoll_pwait2 failed: errno {Marshal.GetLastPInvokeError()}.");
            }

            var table = Volatile.Read(ref _byFd);
            for (var i = 0; i < n; i++)
            {
                var fd = (int)BitConverter.ToUInt64(events, (i * EventSize) + DataOffset);
                if (fd == _wake)
                {
                    _ = Read(_wake, drain, 8); // the work is taken at the top of the loop
                    continue;
                }

                if (fd < table.Length && Volatile.Read(ref table[fd]) is { } conn) conn.OnReadable();

                // A send that fell due while reading goes now, not after the rest of the batch.
                if (work is not null && Stopwatch.GetTimestamp() is var now && work.NextDue <= now) work = RunDue(work, now);
            }
        }

        // Runs what is due (the schedule's thread tuning and timer slack come with its Running); null once it ended.
        static ITimedWork? RunDue(ITimedWork work, long now)
        {
            if (work.Run(now)) return work;
            work.Running(false);
            return null;
        }
    }

    private static int Control(int epoll, int op, int fd, uint events)
    {
        Span<byte> ev = stackalloc byte[16];
        ev.Clear();
        BitConverter.TryWriteBytes(ev, events);
        BitConverter.TryWriteBytes(ev[DataOffset..], (ulong)fd);
        return EpollCtl(epoll, op, fd, ev);
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate1(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int op, int fd, ReadOnlySpan<byte> ev);

    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    private static partial int EpollPwait2(int epoll, [Out] byte[] events, int maxEvents, ref Timespec timeout, nint sigmask);

    [LibraryImport("libc", EntryPoint = "epoll_pwait2", SetLastError = true)]
    private static partial int EpollPwait2Infinite(int epoll, [Out] byte[] events, int maxEvents, nint noTimeout, nint sigmask);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initial, int flags);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static partial nint Write(int fd, ReadOnlySpan<byte> buffer, nint count);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint Read(int fd, Span<byte> buffer, nint count);
}
