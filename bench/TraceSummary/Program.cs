using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Analysis;
using Microsoft.Diagnostics.Tracing.Analysis.GC;
using Microsoft.Diagnostics.Tracing.Etlx;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;
using TraceLog = Microsoft.Diagnostics.Tracing.Etlx.TraceLog;

// dotnet run -c Release --project bench/TraceSummary -- TRACE.nettrace [--from S] [--to S] [--top N] [--stacks TEXT]
// Prints, for the seconds [from, to] of the trace: the frames of running threads by exclusive and inclusive share
// (sampled-thread-time profile), the allocations by type and by allocating frame (gc-verbose profile), each
// collection's pause, what it promoted and how long its mark took per kind of root (GC events, keyword 0x1, level 5),
// and the methods the JIT compiled, when and at which tier (JIT events, keyword 0x10, level 5).
if (args.Length == 0 || args[0] is "-h" or "--help")
{
    Console.WriteLine("usage: TraceSummary TRACE.nettrace [--from SECONDS] [--to SECONDS] [--top N] [--stacks TEXT]");
    Console.WriteLine("  --stacks TEXT  also print the commonest caller chains (8 frames) of running samples with a frame containing TEXT");
    return 2;
}

var path = args[0];
double from = 0, to = double.MaxValue;
var top = 25;
string? stacksOf = null;
for (var i = 1; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--from": from = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--to": to = double.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--top": top = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--stacks": stacksOf = args[i + 1]; break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

using var log = new TraceLog(TraceLog.CreateFromEventPipeDataFile(path));
var exclusive = new Dictionary<string, int>();
var inclusive = new Dictionary<string, int>();
var byType = new Dictionary<string, long>();
var byFrame = new Dictionary<string, long>();
var chains = new Dictionary<string, long>();
var perSecond = new SortedDictionary<int, long>();
var jittedPerSecond = new SortedDictionary<int, long>();
var jittedByTier = new Dictionary<string, long>();
var jitted = new List<string>();
int running = 0, waiting = 0;
long allocated = 0;

foreach (var e in log.Events)
{
    var seconds = e.TimeStampRelativeMSec / 1000;
    if (seconds < from || seconds > to) continue;

    if (e is MethodLoadUnloadVerboseTraceData { IsJitted: true } method)
    {
        // The JIT's output (keyword 0x10, level 5): when code was compiled and at which tier. Tier-1 compilations of a
        // running server compete for its cores with the requests.
        jittedPerSecond[(int)seconds] = jittedPerSecond.GetValueOrDefault((int)seconds) + 1;
        Add(jittedByTier, method.OptimizationTier.ToString(), 1L);
        jitted.Add($"{seconds,8:F2}  {method.OptimizationTier,-22} {method.MethodNamespace}.{method.MethodName}");
    }
    else if (e is GCAllocationTickTraceData tick)
    {
        allocated += tick.AllocationAmount64;
        Add(byType, tick.TypeName, tick.AllocationAmount64);
        Add(byFrame, AllocatingFrame(e.CallStack()), tick.AllocationAmount64);
    }
    else if (e.ProviderName == "Microsoft-DotNETCore-SampleProfiler" && e.CallStack() is { } stack)
    {
        // Payload "Type": 1 = the thread was in native code, 2 = in managed code. Native time under a wait is a thread
        // with nothing to do; native time anywhere else (a socket send, a lock's syscall) is work.
        var frames = Frames(stack);
        var native = (int)e.PayloadByName("Type") == 1;
        if (native && IsWait(frames)) { waiting++; continue; }
        running++;
        perSecond[(int)seconds] = perSecond.GetValueOrDefault((int)seconds) + 1;
        if (stacksOf is not null && frames.FindIndex(f => f.Contains(stacksOf, StringComparison.Ordinal)) is var at and >= 0)
            Add(chains, string.Join("\n      <- ", frames.Skip(at).Take(8)), 1L);
        Add(exclusive, native ? "[native] under " + frames[0] : frames[0], 1);
        foreach (var frame in frames.Distinct()) Add(inclusive, frame, 1);
    }
}

if (running > 0)
{
    Console.WriteLine($"samples: {running} running, {waiting} waiting (about 10 ms each per thread)");
    Print("running threads, exclusive", exclusive.ToDictionary(p => p.Key, p => (long)p.Value), running);
    Print("running threads, inclusive", inclusive.ToDictionary(p => p.Key, p => (long)p.Value), running);
    Console.WriteLine("== running samples per second of the trace");
    Console.WriteLine(string.Join(" ", perSecond.Select(p => $"{p.Key}s:{p.Value}")));
    if (stacksOf is not null) Print($"caller chains of frames containing \"{stacksOf}\"", chains, running);
}
PrintCollections(log, from, to);
if (jitted.Count > 0)
{
    Console.WriteLine($"== methods compiled: {jitted.Count}");
    Console.WriteLine(string.Join(" ", jittedPerSecond.Select(p => $"{p.Key}s:{p.Value}")));
    Print("methods compiled by tier", jittedByTier, jitted.Count);
    Console.WriteLine($"== the first {Math.Min(top, jitted.Count)} methods compiled");
    foreach (var line in jitted.Take(top)) Console.WriteLine(line);
}
if (allocated > 0)
{
    Console.WriteLine($"allocation ticks: {allocated / 1024.0 / 1024:F1} MB sampled");
    Print("allocated bytes by type", byType, allocated);
    Print("allocated bytes by allocating frame (first frame outside the runtime's own libraries)", byFrame, allocated);
}
return 0;

// The runtime's own accounting of each collection (TraceEvent's GC analysis): the pause from suspension to restart, the
// bytes promoted, and the mark's time per root kind ("MarkOlder" is the cards of older generations); then per generation.
static void PrintCollections(TraceLog log, double from, double to)
{
    using var source = log.Events.GetSource(); // the trace already read, not the file a second time
    source.NeedLoadedDotNetRuntimes();
    source.Process();
    var collections = source.Processes().Select(p => p.LoadedDotNetRuntime()).OfType<TraceLoadedDotNetRuntime>()
        .SelectMany(runtime => runtime.GC.GCs)
        .Where(gc => gc.PauseDurationMSec > 0 && gc.StartRelativeMSec / 1000 >= from && gc.StartRelativeMSec / 1000 <= to)
        .ToList();
    if (collections.Count == 0) return;
    Console.WriteLine($"== collections: {collections.Count}, paused {collections.Sum(gc => gc.PauseDurationMSec):F1} ms in all");
    Console.WriteLine("   at s  gen  pause ms  suspend ms  promoted MB  gen0 budget MB  heap after MB  mark ms by root  (type, reason)");
    foreach (var gc in collections)
    {
        var marks = gc.PerHeapMarkTimes?.Values.SelectMany(m => m.MarkTimes.Select((ms, kind) => (kind: (MarkRootType)kind, ms)))
            .Where(m => m.ms > 0.05).GroupBy(m => m.kind).Select(g => $"{g.Key}={g.Sum(m => m.ms):F1}");
        Console.WriteLine($"{gc.StartRelativeMSec / 1000,7:F2}  {gc.Generation,3}  {gc.PauseDurationMSec,8:F2}  {gc.SuspendDurationMSec,10:F2}  " +
            $"{gc.PromotedMB,11:F2}  {gc.GenBudgetMB(Gens.Gen0),14:F1}  {gc.HeapSizeAfterMB,13:F1}  {string.Join(" ", marks ?? [])}  ({gc.Type}, {gc.Reason})");
        if (gc.Generation > 0)
        {
            // Why an older generation was condemned (the collector's own reasons, GCGlobalHeapHistory/GCPerHeapHistory).
            var reasons = new Dictionary<CondemnedReasonGroup, int>();
            gc.GetCondemnedReasons(reasons);
            var named = reasons.Where(r => r.Value != 0).Select(r => $"{r.Key}={r.Value}").ToList();
            if (named.Count > 0) Console.WriteLine($"           condemned: {string.Join(" ", named)}");
        }
    }
    foreach (var gen in collections.GroupBy(gc => gc.Generation).OrderBy(g => g.Key))
        Console.WriteLine($"gen{gen.Key}: {gen.Count()} collections, pause mean {gen.Average(gc => gc.PauseDurationMSec):F2} ms (max " +
            $"{gen.Max(gc => gc.PauseDurationMSec):F2}), promoted mean {gen.Average(gc => gc.PromotedMB):F2} MB");
}

void Print(string title, Dictionary<string, long> counts, long total)
{
    Console.WriteLine($"== {title}");
    foreach (var (name, count) in counts.OrderByDescending(p => p.Value).Take(top))
        Console.WriteLine($"{100.0 * count / total,6:F1} %  {name}");
}

static void Add<T>(Dictionary<string, T> counts, string key, T amount) where T : System.Numerics.INumber<T> =>
    counts[key] = counts.TryGetValue(key, out var value) ? value + amount : amount;

static List<string> Frames(TraceCallStack? stack)
{
    var frames = new List<string>();
    for (; stack is not null; stack = stack.Caller)
    {
        var name = stack.CodeAddress.FullMethodName;
        if (string.IsNullOrEmpty(name)) continue;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        frames.Add(paren > 0 ? name[..paren] : name);
    }
    if (frames.Count == 0) frames.Add("?");
    return frames;
}

static bool IsWait(List<string> frames) =>
    frames.Take(3).Any(f => f.Contains("WaitForSignal", StringComparison.Ordinal) || f.Contains("WaitNative", StringComparison.Ordinal)
        || f.Contains("Monitor.Wait", StringComparison.Ordinal) || f.Contains("WaitOneNoCheck", StringComparison.Ordinal)
        || f.Contains("FileSystemWatcher", StringComparison.Ordinal) || f.Contains("SocketAsyncEngine.EventLoop", StringComparison.Ordinal)
        || f.Contains("WorkerThreadStart", StringComparison.Ordinal) || f.Contains("TimerLoop", StringComparison.Ordinal));

static string AllocatingFrame(TraceCallStack? stack)
{
    var frames = Frames(stack);
    return frames.FirstOrDefault(f => !f.StartsWith("System.", StringComparison.Ordinal) && !f.StartsWith("Microsoft.Win32", StringComparison.Ordinal))
        ?? frames[0];
}
