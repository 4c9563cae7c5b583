namespace BemsServer.Cluster;

/// <summary>
/// One tenant's state in the cluster: the node whose silo activates this grain holds the tenant (the in-memory engine's
/// services, unchanged) and runs every request of its connections, wherever their sockets are. Connections are named by
/// their node and their id on that node.
/// </summary>
[Alias("bems.tenant")]
internal interface ITenantGrain : IGrainWithStringKey
{
    /// <summary>A socket opened on <paramref name="node"/>; its frames go to <paramref name="observer"/>. Answers a refusal, or the node holding the tenant.</summary>
    [Alias("open")]
    Task<OpenAnswer> Open(string node, INodeObserver observer, string connection, string deviceCookie);

    /// <summary>A connection's messages, in arrival order. False: the connection is unknown here (the tenant was lost with its node).</summary>
    [Alias("dispatch")]
    Task<bool> Dispatch(string node, string connection, InboundMessage[] messages);

    /// <summary>The socket closed: the connection's session ends.</summary>
    [Alias("closed")]
    Task Closed(string node, string connection);

    /// <summary>
    /// What the sockets on <paramref name="node"/> did with the frames that carried a receipt (<see cref="EdgeFrame.Receipt"/>):
    /// written by a socket send, or dropped. A chat message's sender gets COMPLETE from the first, MessageUpdate from the second.
    /// </summary>
    [Alias("receipts")]
    Task Receipts(string node, long[] written, long[] dropped);

    /// <summary>The HTTP address of the node holding the tenant, for admin requests.</summary>
    [Alias("locate")]
    Task<string> Locate();
}

/// <summary>A node's mailbox for the frames of the connections whose sockets it holds.</summary>
[Alias("bems.node")]
internal interface INodeObserver : IGrainObserver
{
    [Alias("deliver")]
    Task Deliver(EdgeFrame[] frames);
}

/// <summary>What <see cref="ITenantGrain.Open"/> answers: a refusal (<see cref="Tenancy.TenantRefusal"/> as a number) or none, and the holding node.</summary>
[GenerateSerializer, Immutable, Alias("bems.open-answer")]
internal sealed record OpenAnswer([property: Id(0)] int Refusal, [property: Id(1)] string Node, [property: Id(2)] string? Description);

/// <summary>One message a client sent, as read on its node: its bytes, or the transport's refusal of it (binary, oversized).</summary>
[GenerateSerializer, Immutable, Alias("bems.inbound")]
internal sealed record InboundMessage([property: Id(0)] byte[] Utf8, [property: Id(1)] int RejectCode, [property: Id(2)] string? RejectMessage);

/// <summary>
/// A frame for one connection, serialized and numbered; or, without bytes, the order to close it with a code. A frame
/// whose sender waits to learn whether it reached the device carries a receipt number, reported back to the tenant's
/// node (<see cref="ITenantGrain.Receipts"/>) once the socket wrote or dropped it; 0 for the others.
/// </summary>
[GenerateSerializer, Immutable, Alias("bems.edge-frame")]
internal sealed record EdgeFrame(
    [property: Id(0)] string Connection, [property: Id(1)] byte[]? Utf8, [property: Id(2)] int CloseCode, [property: Id(3)] string? CloseReason,
    [property: Id(4)] long Receipt = 0);
