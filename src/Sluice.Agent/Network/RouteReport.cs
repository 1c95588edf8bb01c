namespace Sluice.Agent.Network;

/// <summary>The last pass over the routes to other nodes' pods: the routes wanted (in place unless named among the problems), and what could not be routed.</summary>
public sealed record RouteReport(IReadOnlyList<NodeRoute> Routes, IReadOnlyList<string> Problems);
