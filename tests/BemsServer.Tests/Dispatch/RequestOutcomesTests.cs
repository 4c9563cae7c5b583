using BemsServer.Dispatch;
using BemsServer.Protocol;
using BemsServer.Protocol.Data;

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
    public void Table_ByDefault_KeepsTheLast256Ids()
    {
        var table = new RequestOutcomes();

        for (var i = 0; i < 5000; i++) table.Observe(Complete("c" + i));

        table.Capacity.Should().Be(256);
        table.Count.Should().Be(256);
        OutcomeOf(table, "c4743").Should().Be(RequestOutcome.Unknown);
        OutcomeOf(table, "c4744").Should().Be(RequestOutcome.Completed);
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
    public void Find_IdsOfEveryShape_AreToldApartExactly()
    {
        // Ids of up to 22 ASCII characters are kept inline, longer or non-ASCII ones by reference, numbers as numbers: no two may meet.
        string[] ids = ["", "c1", "c10", "C1", new string('a', 22), new string('a', 23), new string('a', 21) + "b", new string('a', 36), "é", "e", "c1\u0000"];
        var table = new RequestOutcomes();
        foreach (var id in ids) table.Observe(Processing(id));
        table.Observe(new CompletionFrame(new RequestId(1), new MethodData("Ping")));

        table.Count.Should().Be(ids.Length + 1);
        foreach (var id in ids)
        {
            table.Observe(Complete(id));
            ids.Select(other => OutcomeOf(table, other)).Count(o => o == RequestOutcome.Completed)
                .Should().Be(Array.IndexOf(ids, id) + 1, $"completing '{id}' completes it alone");
        }
        OutcomeOf(table, "1").Should().Be(RequestOutcome.Completed, "the number id 1, named by its text");
        OutcomeOf(table, new string('a', 37)).Should().Be(RequestOutcome.Unknown);

        table.Record(RequestId.Null, RequestOutcome.Failed);
        table.Record(RequestId.NotSpecified, RequestOutcome.Failed);
        table.Count.Should().Be(ids.Length + 3, "a null id and no id are neither the empty string nor each other");
        OutcomeOf(table, "").Should().Be(RequestOutcome.Completed);
    }

    private sealed class Waiting(string name, List<string> told) : IWaitingRequest
    {
        public void Settled(string? failedDependency) => told.Add($"{name}:{failedDependency ?? "ok"}");

        public void Abandoned() => told.Add($"{name}:abandoned");
    }

    private static (RequestId, string) Pending(RequestOutcomes table, string id)
    {
        table.Observe(Processing(id));
        table.Find(id, out var key);
        return (key, id);
    }

    [Fact]
    public void WaitFor_EveryDependencyCompletes_TellsTheRequestOnce()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();
        table.WaitFor(new RequestId("w"), [Pending(table, "a"), Pending(table, "b")], new Waiting("w", told));

        table.Observe(Complete("a"));
        told.Should().BeEmpty();
        table.Observe(Complete("b"));

        told.Should().Equal("w:ok");
        OutcomeOf(table, "w").Should().Be(RequestOutcome.Pending, "the waiting request is pending itself");
    }

    [Fact]
    public void WaitFor_ADependencyFails_TellsItsName()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();
        table.WaitFor(new RequestId("w"), [Pending(table, "a"), Pending(table, "b")], new Waiting("w", told));

        table.Observe(new ErrorFrame(new RequestId("b"), ErrorCodes.InvalidParams, "bad"));
        table.Observe(Complete("a"));

        told.Should().Equal("w:b");
    }

    [Fact]
    public void WaitFor_SeveralFreedByOneFrame_AreToldInTheOrderTheyBeganToWait()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();
        var a = Pending(table, "a");
        foreach (var name in new[] { "w1", "w2", "w3" }) table.WaitFor(new RequestId(name), [a], new Waiting(name, told));

        table.Observe(Complete("a"));

        told.Should().Equal("w1:ok", "w2:ok", "w3:ok");
    }

    [Fact]
    public void WaitFor_DependencySettledMeanwhile_TellsAtOnce()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();
        var a = Pending(table, "a");
        table.Observe(Complete("a"));

        table.WaitFor(new RequestId("w"), [a], new Waiting("w", told));

        told.Should().Equal("w:ok");
    }

    [Fact]
    public void Abandon_DropsEveryWaitingRequestAndEveryLaterOne()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();
        var a = Pending(table, "a");
        table.WaitFor(new RequestId("w1"), [a], new Waiting("w1", told));

        table.Abandon();
        table.WaitFor(new RequestId("w2"), [a], new Waiting("w2", told));
        table.Observe(Complete("a"));

        told.Should().Equal("w1:abandoned", "w2:abandoned");
    }
    [Fact]
    public void Table_WithoutRoomForOneId_IsRefused() =>
        FluentActions.Invoking(static () => new RequestOutcomes(0)).Should().Throw<ArgumentOutOfRangeException>();

    [Fact]
    public void WaitFor_SettledAtOnceOrByAFailure_IsNeverToldAgain()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();
        var a = Pending(table, "a");
        var b = Pending(table, "b");
        var c = Pending(table, "c");
        table.Observe(Complete("a"));
        table.WaitFor(new RequestId("w1"), [a], new Waiting("w1", told));
        table.WaitFor(new RequestId("w2"), [b, c], new Waiting("w2", told));
        table.WaitFor(new RequestId("w3"), [c], new Waiting("w3", told));

        table.Observe(new ErrorFrame(new RequestId("b"), ErrorCodes.InvalidParams, "bad"));
        table.Observe(Complete("c"));
        table.Abandon();

        told.Should().Equal("w1:ok", "w2:b", "w3:ok");
    }

    [Fact]
    public void Abandon_WithNobodyWaiting_DropsNothing_AndLaterWaitsAreAbandoned()
    {
        var table = new RequestOutcomes();
        var told = new List<string>();

        table.Abandon();
        table.WaitFor(new RequestId("w"), [Pending(table, "a")], new Waiting("w", told));

        told.Should().Equal("w:abandoned");
    }
}
