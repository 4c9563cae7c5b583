namespace BemsServer.Protocol.Data;

/// <summary>Ping's PROCESSING and COMPLETE data.</summary>
public sealed record PingData(int SessionTimeout) : BemsData(MethodNames.Ping);

/// <summary>SetGDToken's documented reply has its own shape: <c>result</c> is <c>{"status":"success"}</c>.</summary>
public sealed record LegacyStatus(string Status);
