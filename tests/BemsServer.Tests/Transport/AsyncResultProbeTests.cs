using System.Reflection;
using System.Threading.Channels;
using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using StreamJsonRpc;
using StreamJsonRpc.Protocol;

namespace BemsServer.Tests.Transport;

/// <summary>
/// What StreamJsonRpc (2.26) does with a target method's result; <see cref="BemsServer.Transport.MethodBinding"/> relies on
/// it. A <c>Task&lt;Reply&gt;</c> is awaited and its <see cref="Reply"/> reaches both the handler's write and
/// <c>OnResponseSent</c> (which releases the effects), whether it completes at once or later. A task returned through a
/// method declared <c>object</c> is awaited too, but its result is lost: the library reads it by the declared type.
/// </summary>
public sealed class AsyncResultProbeTests
{
    private static readonly Reply Sample = new(new ResponseFrame(new RequestId("r"), new MethodData("Ping"), false), null);

    public sealed class Target
    {
        public TaskCompletionSource<Reply> Pending { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task<Reply> AsTask(int waits) => waits == 0 ? Task.FromResult(Sample) : Pending.Task;

        public object AsObject(int waits) => waits == 0 ? Task.FromResult(Sample) : Pending.Task;
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task TaskOfReply_CompletedAtOnceOrLater_ReachesTheWriteAndOnResponseSentAsTheReply(int waits)
    {
        var (written, sent) = await CallAsync(nameof(Target.AsTask), waits);

        written.Should().BeAssignableTo<JsonRpcResult>().Which.Result.Should().BeSameAs(Sample);
        sent.Should().BeAssignableTo<JsonRpcResult>().Which.Result.Should().BeSameAs(Sample);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    public async Task TaskReturnedAsObject_IsAwaitedButItsResultIsLost(int waits)
    {
        var (written, _) = await CallAsync(nameof(Target.AsObject), waits);

        written.Should().BeAssignableTo<JsonRpcResult>().Which.Result.Should().BeNull();
    }

    private static async Task<(JsonRpcMessage Written, JsonRpcMessage Sent)> CallAsync(string method, int waits)
    {
        var handler = new ProbeHandler();
        var target = new Target();
        using var rpc = new ProbeRpc(handler);
        rpc.AddLocalRpcMethod(typeof(Target).GetMethod(method, BindingFlags.Public | BindingFlags.Instance)!, target, new JsonRpcMethodAttribute("m"));
        rpc.StartListening();

        handler.Inbound.Writer.TryWrite(new JsonRpcRequest { RequestId = new RequestId(1), Method = "m", ArgumentsList = [waits] });
        target.Pending.TrySetResult(Sample);

        var written = await handler.Written.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        var sent = await rpc.Sent.Task.WaitAsync(TimeSpan.FromSeconds(10));
        return (written, sent);
    }

    private sealed class ProbeRpc(IJsonRpcMessageHandler handler) : JsonRpc(handler)
    {
        public TaskCompletionSource<JsonRpcMessage> Sent { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override void OnResponseSent(JsonRpcMessage message)
        {
            base.OnResponseSent(message);
            Sent.TrySetResult(message);
        }
    }

    private sealed class ProbeHandler : IJsonRpcMessageHandler
    {
        public Channel<JsonRpcMessage> Inbound { get; } = Channel.CreateUnbounded<JsonRpcMessage>();
        public Channel<JsonRpcMessage> Written { get; } = Channel.CreateUnbounded<JsonRpcMessage>();
        public bool CanRead => true;
        public bool CanWrite => true;
        public IJsonRpcMessageFormatter Formatter { get; } = new SystemTextJsonFormatter();

        public async ValueTask<JsonRpcMessage?> ReadAsync(CancellationToken cancellationToken) =>
            await Inbound.Reader.ReadAsync(cancellationToken);

        public ValueTask WriteAsync(JsonRpcMessage jsonRpcMessage, CancellationToken cancellationToken)
        {
            Written.Writer.TryWrite(jsonRpcMessage);
            return default;
        }
    }
}
