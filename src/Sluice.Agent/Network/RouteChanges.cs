namespace Sluice.Agent.Network;

/// <summary>What one pass over the route table did: routes written, routes removed, routes the kernel refused, routes in place afterwards.</summary>
public sealed record RouteChanges(IReadOnlyList<NodeRoute> Added, IReadOnlyList<string> Removed, IReadOnlyList<string> Failed, int InPlace);
