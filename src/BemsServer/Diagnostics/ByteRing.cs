using System.Buffers;

namespace BemsServer.Diagnostics;

/// <summary>
/// The newest records of a stream (the frame journal's frames, a chat's delivered messages) in two circular arrays: one
/// of headers and one of bytes, each record's bytes written once at the ring's head. Nothing is allocated per record:
/// the arrays start small, double while the traffic needs them, up to <c>maxFrames</c> headers and <c>maxBytes</c>
/// bytes, and from then on the oldest records make room (each counted in <see cref="Dropped"/>). So a record kept for a
/// while costs the garbage collector nothing: kept as objects, each would outlive the youngest generation and die old,
/// the costliest garbage there is. The arrays come from the shared pools and those outgrown go back to them, so a new
/// ring grows into arrays an earlier one let go; only what a ring has written is ever read from it. A header should
/// refer only to objects that outlive it (strings its connection or user already holds). Not thread-safe: its owner
/// holds a lock around every call.
/// </summary>
internal sealed class ByteRing<THeader>(int maxFrames, int maxBytes)
    where THeader : struct
{
    private const int FirstFrames = 64;
    private const int FirstBytes = 16 * 1024;

    private Slot[] _slots = [];
    private byte[] _bytes = [];
    private int _capacity; // of _bytes in use: a pooled array may be longer
    private int _slotCapacity; // of _slots in use, the same
    private int _first;
    private long _head;

    public int Count { get; private set; }

    /// <summary>Frames pushed out to make room, or refused for being larger than the whole ring.</summary>
    public long Dropped { get; private set; }

    /// <summary>
    /// Makes room for a frame of <paramref name="length"/> bytes and files its header: returns the position to
    /// <see cref="Write"/> its bytes at, or -1 (counted as dropped) when it is larger than the ring may ever grow.
    /// </summary>
    public long Add(long seq, in THeader header, int length)
    {
        if (length > maxBytes || maxFrames == 0)
        {
            Dropped++;
            return -1;
        }
        if (Count == _slotCapacity && _slotCapacity < maxFrames) GrowSlots();
        if (Count == maxFrames) Evict();
        while (_head - Tail + length > _capacity)
        {
            if (_capacity < maxBytes) GrowBytes(_head - Tail + length);
            else Evict();
        }

        var start = _head;
        _slots[(_first + Count) % _slotCapacity] = new Slot(seq, start, length, header);
        Count++;
        _head += length;
        return start;
    }

    /// <summary>Copies bytes into the ring at an absolute position returned by <see cref="Add"/> (in one or more pieces).</summary>
    public void Write(long position, ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty) return;
        var at = (int)(position % _capacity);
        var first = Math.Min(data.Length, _capacity - at);
        data[..first].CopyTo(_bytes.AsSpan(at));
        data[first..].CopyTo(_bytes);
    }

    /// <summary>The sequence number of the i-th record kept, oldest first.</summary>
    public long SeqAt(int i) => _slots[(_first + i) % _slotCapacity].Seq;

    /// <summary>The header of the i-th record kept, oldest first.</summary>
    public THeader HeaderAt(int i) => _slots[(_first + i) % _slotCapacity].Header;

    /// <summary>The bytes of the i-th record kept, oldest first, copied out of the ring.</summary>
    public byte[] BytesAt(int i)
    {
        var slot = _slots[(_first + i) % _slotCapacity];
        var bytes = new byte[slot.Length];
        Read(slot.Start, bytes);
        return bytes;
    }

    public void Clear()
    {
        Array.Clear(_slots);
        _first = 0;
        Count = 0;
        Dropped = 0;
        _head = 0;
    }

    private long Tail => Count == 0 ? _head : _slots[_first].Start;

    private void Read(long position, Span<byte> destination)
    {
        if (destination.IsEmpty) return;
        var at = (int)(position % _capacity);
        var first = Math.Min(destination.Length, _capacity - at);
        _bytes.AsSpan(at, first).CopyTo(destination);
        _bytes.AsSpan(0, destination.Length - first).CopyTo(destination[first..]);
    }

    private void Evict()
    {
        _slots[_first] = default;
        _first = (_first + 1) % _slotCapacity;
        Count--;
        Dropped++;
    }

    private void GrowSlots()
    {
        var size = Math.Min(maxFrames, Math.Max(FirstFrames, _slotCapacity * 2));
        var slots = ArrayPool<Slot>.Shared.Rent(size);
        for (var i = 0; i < Count; i++) slots[i] = _slots[(_first + i) % _slotCapacity];
        if (_slots.Length > 0) ArrayPool<Slot>.Shared.Return(_slots, clearArray: true); // it holds strings: let them go
        (_slots, _slotCapacity) = (slots, size);
        _first = 0;
    }

    private void GrowBytes(long needed)
    {
        var size = Math.Min(maxBytes, Math.Max(FirstBytes, _capacity));
        while (size < needed && size < maxBytes) size = (int)Math.Min(maxBytes, size * 2L);
        var (old, oldCapacity, tail, live) = (_bytes, _capacity, Tail, (int)(_head - Tail));
        _bytes = ArrayPool<byte>.Shared.Rent(size);
        _capacity = size;
        // The live frames move to their places in the larger ring: at most two pieces of the old one.
        var at = oldCapacity == 0 ? 0 : (int)(tail % oldCapacity);
        var first = Math.Min(live, oldCapacity - at);
        Write(tail, old.AsSpan(at, first));
        Write(tail + first, old.AsSpan(0, live - first));
        if (old.Length > 0) ArrayPool<byte>.Shared.Return(old);
    }

    private readonly record struct Slot(long Seq, long Start, int Length, THeader Header);
}
