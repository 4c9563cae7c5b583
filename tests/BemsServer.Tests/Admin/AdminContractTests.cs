using BemsServer.Protocol;
using BemsServer.Protocol.Admin;

namespace BemsServer.Tests.Admin;

/// <summary>The admin API's contract (BemsServer.Protocol.Admin) sits below the server and cannot see its constants: its defaults are checked here.</summary>
public sealed class AdminContractTests
{
    [Fact]
    public void FaultSpec_DefaultsToTheServersTimeoutMessageUpdate()
    {
        var rule = new FaultSpec { Method = MethodNames.SendMessage, Action = FaultAction.MessageUpdate };

        rule.UpdateType.Should().Be(Wire.TimeoutType);
        rule.UpdateStatus.Should().Be(Wire.TimeoutStatus);
        rule.ErrorCode.Should().Be(ErrorCodes.InternalError);
    }
}
