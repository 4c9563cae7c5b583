using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;
using StreamJsonRpc;

namespace BemsServer.Tests.Dispatch;

public sealed class RequestOutcomesTests
{
    private static ResponseFrame Processing(string id) => new(new RequestId(id), new MethodData("Ping") { State = Wire.Processing }, false);

    private static CompletionFrame Complete(string id) => new(new RequestId(id), new MethodData("Ping") { State = Wire.Complete });

    private static RequestOutcome OutcomeOf(RequestOutcomes table, string id) => table.Find(id, out _);

    [Fact]
    public void Table_MoreIdsThanItsCapacity_ForgetsTheOldestOnly()
    {
        var table = new RequestOutcomes(capacity: 3);

        foreach (var id in new[] { "a", "b", "c", "d" }) table.Observe(Complete(id));

        table.Count.Should().Be(3);
        OutcomeOf(table, "a").Should().Be(RequestOutcome.Unknown, "the oldest id was evicted");
        new[] { "b", "c", "d" }.Select(id => OutcomeOf(table, id)).Should().AllBeEquivalentTo(RequestOutcome.Completed);
    }

    [Fact]
    public void Table_ByDefault_KeepsTheLast4096Ids()
    {
        var table = new RequestOutcomes();

        for (var i = 0; i < 5000; i++) table.Observe(Complete("c" + i));

        table.Capacity.Should().Be(4096);
        table.Count.Should().Be(4096);
        OutcomeOf(table, "c903").Should().Be(RequestOutcome.Unknown);
        OutcomeOf(table, "c904").Should().Be(RequestOutcome.Completed);
    }

    [Fact]
    public void Frames_OfARequest_GiveItsOutcome()
    {
        var table = new RequestOutcomes();

        table.Observe(Processing("p"));
        table.Observe(Processing("c"));
        table.Observe(Complete("c"));
        table.Observe(new ResponseFrame(new RequestId("sync"), new MethodData("SetGDAuthToken") { State = Wire.Complete }, null));
        table.Observe(new ErrorFrame(new RequestId("e"), ErrorCodes.InvalidParams, "bad"));
        table.Observe(Processing("m"));
        table.Observe(new MessageUpdateFrame(new MessageUpdateData("ack", "timeout", [], "m-1")) { Request = new RequestId("m") });
        table.Observe(new EventFrame(new MethodData("PresenceUpdate")));

        OutcomeOf(table, "p").Should().Be(RequestOutcome.Pending);
        OutcomeOf(table, "c").Should().Be(RequestOutcome.Completed);
        OutcomeOf(table, "sync").Should().Be(RequestOutcome.Completed);
        OutcomeOf(table, "e").Should().Be(RequestOutcome.Failed);
        OutcomeOf(table, "m").Should().Be(RequestOutcome.Failed);
        table.Count.Should().Be(5, "an event belongs to no request");
    }

    [Fact]
    public void Outcome_OnceSettled_IsNotReopenedByALateProcessing()
    {
        var table = new RequestOutcomes();
        table.Observe(Complete("x"));

        table.Observe(Processing("x"));

        OutcomeOf(table, "x").Should().Be(RequestOutcome.Completed);
    }

    [Fact]
    public void Find_NumberId_IsNamedByItsText()
    {
        var table = new RequestOutcomes();
        table.Observe(new CompletionFrame(new RequestId(7), new MethodData("Ping")));

        table.Find("7", out var id).Should().Be(RequestOutcome.Completed);

        id.Should().Be(new RequestId(7));
    }

    [Fact]
    public async Task WhenSettled_PendingRequest_CompletesWithItsOutcome()
    {
        var table = new RequestOutcomes();
        table.Observe(Processing("p"));
        table.Find("p", out var id);
        var settled = table.WhenSettled(id);
        settled.IsCompleted.Should().BeFalse();

        table.Observe(new ErrorFrame(id, ErrorCodes.DependencyFailed, "failed"));

        (await settled.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(RequestOutcome.Failed);
    }

    [Fact]
    public async Task Abandon_EndsEveryWaitAndRefusesNewOnes()
    {
        var table = new RequestOutcomes();
        table.Observe(Processing("p"));
        table.Find("p", out var id);
        var settled = table.WhenSettled(id);

        table.Abandon();

        await FluentActions.Awaiting(() => settled.WaitAsync(TimeSpan.FromSeconds(10))).Should().ThrowAsync<TaskCanceledException>();
        table.WhenSettled(id).IsCanceled.Should().BeTrue();
    }
}
