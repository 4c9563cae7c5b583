// Spike: per-request cost of StreamJsonRpc as a JSON-RPC engine vs. a hand-written dispatch. See README.md.
using System.Buffers;
using System.Collections.Frozen;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks.Sources;
using Microsoft.VisualStudio.Threading;
using Spike;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

const int N = 200_000, WarmUp = 50_000, Instances = 10_000, Rounds = 3;
var request = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":7,"method":"SendMessage","params":{"to":"bob@example.com","message":"hi","clientMessageId":"c1"}}""");

// One shared setup per variant (one connection); each round re-runs warm-up + measurement on it.
var a = new EngineConnection(request);
var aPrime = new TodayConnection(request);
var b = new HandConnection(request);
var variants = new (string Name, Func<int, Task> Run, Func<object> NewIdle)[]
{
    ("A  StreamJsonRpc: STJ formatter, 46-method target, bind by name", a.RunAsync, EngineConnection.NewIdle),
    ("A' StreamJsonRpc today: 1 method, pre-parsed JsonRpcRequest", aPrime.RunAsync, TodayConnection.NewIdle),
    ("B  hand-written, posted to NonConcurrentSynchronizationContext", b.RunPostedAsync, HandConnection.NewIdle),
    ("B0 hand-written, inline (no post)", n => { b.RunInline(n); return Task.CompletedTask; }, HandConnection.NewIdle),
    ("P  the post alone (empty callback through the context)", b.RunPostOnlyAsync, HandConnection.NewIdle),
};

Console.WriteLine($"A  writes: {a.Check()}");
Console.WriteLine($"A' writes: {aPrime.Check()}");
Console.WriteLine($"B  writes: {b.Check()}");

var results = variants.Select(_ => new List<(double Us, double Bytes, double Idle)>()).ToArray();
for (var round = 0; round < Rounds; round++)
{
    for (var v = 0; v < variants.Length; v++)
    {
        var (name, run, newIdle) = variants[v];
        await run(WarmUp);
        Thread.Sleep(200); // let tiered JIT finish in the background before the clock starts
        Collect();
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var mem0 = GC.GetTotalAllocatedBytes(precise: true);
        await run(N);
        var mem1 = GC.GetTotalAllocatedBytes(precise: true);
        var cpu1 = Process.GetCurrentProcess().TotalProcessorTime;
        var idle = IdleBytes(newIdle);
        var r = ((cpu1 - cpu0).TotalMicroseconds / N, (double)(mem1 - mem0) / N, idle);
        results[v].Add(r);
        Console.WriteLine($"round {round + 1}  {name,-66} {r.Item1,7:F2} us  {r.Item2,7:F0} B/req  {r.idle,7:F0} B/idle");
    }
}

Console.WriteLine();
Console.WriteLine($"N = {N:N0} requests after {WarmUp:N0} warm-up, {Rounds} rounds alternating; median (min–max). Idle: {Instances:N0} instances kept alive.");
Console.WriteLine();
Console.WriteLine("| variant | µs CPU / request | bytes allocated / request | bytes / idle instance |");
Console.WriteLine("| --- | --- | --- | --- |");
for (var v = 0; v < variants.Length; v++)
{
    var rs = results[v];
    Console.WriteLine($"| {variants[v].Name} | {Stat(rs.Select(x => x.Us), "F2")} | {Stat(rs.Select(x => x.Bytes), "F0")} | {Stat(rs.Select(x => x.Idle), "F0")} |");
}

Console.WriteLine();
Console.WriteLine($"Breakdown of A's idle instance: without the 46-method target {IdleBytes(() => new EngineConnection([], withTarget: false)):F0} B; " +
    $"a SystemTextJsonFormatter alone {IdleBytes(() => new SystemTextJsonFormatter()):F0} B; a ChatTarget alone {IdleBytes(() => new ChatTarget()):F0} B.");

static string Stat(IEnumerable<double> xs, string f)
{
    var s = xs.Order().ToArray();
    return $"{s[s.Length / 2].ToString(f)} ({s[0].ToString(f)}–{s[^1].ToString(f)})";
}

static void Collect()
{
    GC.Collect();
    GC.WaitForPendingFinalizers();
    GC.Collect();
}

// Bytes retained per instance: create 10,000, keep them alive, compare heap sizes; then close them.
static double IdleBytes(Func<object> newIdle)
{
    var keep = new object[Instances];
    var before = GC.GetTotalMemory(forceFullCollection: true);
    for (var i = 0; i < Instances; i++) keep[i] = newIdle();
    Thread.Sleep(300); // let every read loop reach its pending ReadAsync
    var after = GC.GetTotalMemory(forceFullCollection: true);
    foreach (var o in keep) (o as IDisposable)?.Dispose();
    GC.KeepAlive(keep);
    return (double)(after - before) / Instances;
}

namespace Spike
{
    /// <summary>A reusable awaitable: one producer sets it, one consumer awaits it; continuations run inline (no extra hop).</summary>
    public sealed class Signal<T> : IValueTaskSource<T>
    {
        private ManualResetValueTaskSourceCore<T> _core;
        public ValueTask<T> WaitAsync() => new(this, _core.Version);
        public void Set(T value) => _core.SetResult(value);
        public T GetResult(short token)
        {
            var result = _core.GetResult(token);
            _core.Reset();
            return result;
        }
        public ValueTaskSourceStatus GetStatus(short token) => _core.GetStatus(token);
        public void OnCompleted(Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags)
            => _core.OnCompleted(continuation, state, token, flags);
    }

    /// <summary>StreamJsonRpc's view of an in-memory socket: Feed hands it one message; each written message sets Written.</summary>
    public sealed class InMemoryHandler(IJsonRpcMessageFormatter formatter, Func<byte[], JsonRpcMessage> decode, bool serializeWrites) : IJsonRpcMessageHandler
    {
        private readonly Signal<JsonRpcMessage?> _incoming = new();
        public Signal<bool> Written { get; } = new();
        public bool CanRead => true;
        public bool CanWrite => true;
        public IJsonRpcMessageFormatter Formatter => formatter;
        public string LastWritten { get; private set; } = "";

        public void Feed(byte[] message) => _incoming.Set(decode(message));
        public void Close() => _incoming.Set(null); // end of stream
        public ValueTask<JsonRpcMessage?> ReadAsync(CancellationToken cancellationToken) => _incoming.WaitAsync();

        public ValueTask WriteAsync(JsonRpcMessage message, CancellationToken cancellationToken)
        {
            if (serializeWrites)
            {
                var output = Output.Buffer;
                output.ResetWrittenCount();
                formatter.Serialize(output, message); // the real engine writes the result; the bytes are then dropped
            }
            Written.Set(true);
            return default;
        }

        public string Capture(byte[] message)
        {
            Feed(message);
            Written.WaitAsync().AsTask().Wait();
            return Encoding.UTF8.GetString(Output.Buffer.WrittenSpan);
        }
    }

    public static class Output
    {
        // Plain statics: only one request is ever in flight in this process (a server would keep one per thread or connection).
        private static ArrayBufferWriter<byte>? t_buffer;
        private static Utf8JsonWriter? t_writer;
        public static ArrayBufferWriter<byte> Buffer => t_buffer ??= new ArrayBufferWriter<byte>(256);
        public static Utf8JsonWriter Writer
        {
            get
            {
                var buffer = Buffer;
                buffer.ResetWrittenCount();
                if (t_writer is null) t_writer = new Utf8JsonWriter(buffer);
                else t_writer.Reset(buffer);
                return t_writer;
            }
        }
    }

    /// <summary>(A) StreamJsonRpc does everything: decode, bind by name to one of 46 methods, invoke, encode the result.</summary>
    public sealed class EngineConnection : IDisposable
    {
        private static readonly TraceSource Silent = new("Spike", SourceLevels.Off); // shared and off, as the server does
        private readonly byte[] _request;
        private readonly InMemoryHandler _handler;
        private readonly JsonRpc _rpc;

        public EngineConnection(byte[] request, bool withTarget = true)
        {
            _request = request;
            var formatter = new SystemTextJsonFormatter(); // one per connection: formatters are stateful
            _handler = new InMemoryHandler(formatter, bytes => formatter.Deserialize(new ReadOnlySequence<byte>(bytes)), serializeWrites: true);
            _rpc = new JsonRpc(_handler) { SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false), TraceSource = Silent };
            if (withTarget) _rpc.AddLocalRpcTarget(new ChatTarget());
            _rpc.StartListening();
        }

        public static object NewIdle() => new EngineConnection(Array.Empty<byte>());

        public async Task RunAsync(int n)
        {
            for (var i = 0; i < n; i++)
            {
                _handler.Feed(_request);
                await _handler.Written.WaitAsync();
            }
        }

        public string Check() => _handler.Capture(_request);

        public void Dispose()
        {
            _handler.Close();
            _rpc.Dispose();
        }
    }

    /// <summary>The hand-written path: parse with JsonDocument, look up a static FrozenDictionary, write the response.</summary>
    public sealed class ParsedRequest(JsonDocument document) : IDisposable
    {
        public JsonElement Id { get; } = document.RootElement.GetProperty("id");
        public string Method { get; } = document.RootElement.GetProperty("method").GetString()!;
        public JsonElement Params { get; } = document.RootElement.GetProperty("params");
        public void Dispose() => document.Dispose();
    }

    public static class Hand
    {
        private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

        /// <summary>46 handlers, built once and shared by every connection.</summary>
        public static readonly FrozenDictionary<string, Func<JsonElement, object>> Table = BuildTable();

        private static FrozenDictionary<string, Func<JsonElement, object>> BuildTable()
        {
            var target = new ChatTarget(); // the handlers are stateless here
            var table = new Dictionary<string, Func<JsonElement, object>>
            {
                ["SendMessage"] = p => target.SendMessage(Str(p, "to"), Str(p, "message"), Str(p, "clientMessageId")),
            };
            for (var i = 1; i <= 45; i++)
            {
                var method = typeof(ChatTarget).GetMethod($"Op{i:00}")!;
                var names = method.GetParameters().Select(x => x.Name!).ToArray();
                table[method.Name] = p => method.Invoke(target, names.Select(name => (object)Str(p, name)).ToArray())!; // never called here
            }
            return table.ToFrozenDictionary();
        }

        private static string Str(JsonElement p, string name) => p.GetProperty(name).GetString()!;

        public static ParsedRequest Parse(byte[] message) => new(JsonDocument.Parse(message));

        /// <summary>Finds and runs the handler, writes {"jsonrpc":"2.0","id":…,"result":…} into the reused writer.</summary>
        public static void Execute(ParsedRequest request, FrozenDictionary<string, Func<JsonElement, object>> table)
        {
            var result = table[request.Method](request.Params);
            var w = Output.Writer;
            w.WriteStartObject();
            w.WriteString("jsonrpc"u8, "2.0"u8);
            w.WritePropertyName("id"u8);
            request.Id.WriteTo(w);
            w.WritePropertyName("result"u8);
            JsonSerializer.Serialize(w, result, Json);
            w.WriteEndObject();
            w.Flush();
        }
    }

    /// <summary>(B) one connection: its own NonConcurrentSynchronizationContext and a reference to the shared table.</summary>
    public sealed class HandConnection(byte[] request)
    {
        private readonly NonConcurrentSynchronizationContext _oneAtATime = new(sticky: false);
        private readonly FrozenDictionary<string, Func<JsonElement, object>> _table = Hand.Table;
        private readonly Signal<bool> _done = new();

        public static object NewIdle() => new HandConnection(Array.Empty<byte>());

        private static readonly SendOrPostCallback Handle = static state =>
        {
            var c = (HandConnection)state!;
            using (var parsed = Hand.Parse(c.Request)) Hand.Execute(parsed, c._table);
            c._done.Set(true);
        };
        private static readonly SendOrPostCallback Nothing = static state => ((HandConnection)state!)._done.Set(true);

        private byte[] Request { get; } = request;

        public async Task RunPostedAsync(int n)
        {
            for (var i = 0; i < n; i++)
            {
                _oneAtATime.Post(Handle, this);
                await _done.WaitAsync();
            }
        }

        public async Task RunPostOnlyAsync(int n)
        {
            for (var i = 0; i < n; i++)
            {
                _oneAtATime.Post(Nothing, this);
                await _done.WaitAsync();
            }
        }

        public void RunInline(int n)
        {
            for (var i = 0; i < n; i++)
            {
                using var parsed = Hand.Parse(Request);
                Hand.Execute(parsed, _table);
            }
        }

        public string Check()
        {
            using (var parsed = Hand.Parse(Request)) Hand.Execute(parsed, _table);
            return Encoding.UTF8.GetString(Output.Buffer.WrittenSpan);
        }
    }

    /// <summary>
    /// (A') what the server does today: it parses the bytes itself and hands StreamJsonRpc a ready JsonRpcRequest for one
    /// internal method taking one object; that method runs the hand-written dispatch (which writes the response itself),
    /// and StreamJsonRpc's own JsonRpcResult is dropped unserialized.
    /// </summary>
    public sealed class TodayConnection : IDisposable
    {
        private const string DispatchName = "bems.dispatch";
        private static readonly TraceSource Silent = new("Spike", SourceLevels.Off);
        private static readonly System.Reflection.MethodInfo DispatchMethod = typeof(Dispatcher).GetMethod(nameof(Dispatcher.Dispatch))!;
        private readonly byte[] _request;
        private readonly InMemoryHandler _handler;
        private readonly JsonRpc _rpc;

        public sealed class Dispatcher
        {
            private readonly FrozenDictionary<string, Func<JsonElement, object>> _table = Hand.Table;
            public Task Dispatch(object call)
            {
                using var parsed = (ParsedRequest)call;
                Hand.Execute(parsed, _table);
                return Task.CompletedTask;
            }
        }

        public TodayConnection(byte[] request)
        {
            _request = request;
            _handler = new InMemoryHandler(UnusedFormatter.Instance, Decode, serializeWrites: false);
            _rpc = new JsonRpc(_handler) { SynchronizationContext = new NonConcurrentSynchronizationContext(sticky: false), TraceSource = Silent };
            _rpc.AddLocalRpcMethod(DispatchMethod, new Dispatcher(), new JsonRpcMethodAttribute(DispatchName));
            _rpc.StartListening();
        }

        private static JsonRpcMessage Decode(byte[] bytes)
        {
            var parsed = Hand.Parse(bytes);
            return new JsonRpcRequest
            {
                RequestId = new RequestId(parsed.Id.GetInt64()),
                Method = DispatchName,
                ArgumentsList = [parsed],
            };
        }

        public static object NewIdle() => new TodayConnection(Array.Empty<byte>());

        public async Task RunAsync(int n)
        {
            for (var i = 0; i < n; i++)
            {
                _handler.Feed(_request);
                await _handler.Written.WaitAsync();
            }
        }

        public string Check() => _handler.Capture(_request);

        public void Dispose()
        {
            _handler.Close();
            _rpc.Dispose();
        }

        /// <summary>Like the server's: the handler never asks it to encode or decode anything.</summary>
        private sealed class UnusedFormatter : IJsonRpcMessageFormatter
        {
            public static readonly UnusedFormatter Instance = new();
            public JsonRpcMessage Deserialize(ReadOnlySequence<byte> contentBuffer) => throw new NotSupportedException();
            public void Serialize(IBufferWriter<byte> bufferWriter, JsonRpcMessage message) => throw new NotSupportedException();
            public object GetJsonText(JsonRpcMessage message) => throw new NotSupportedException();
        }
    }
}
