namespace Sluice.Kube.Client;

/// <summary>What a request does, for messages: a verb ("GET", "WATCH") and the object ("pod default/web-1").</summary>
internal readonly record struct Operation(string Verb, string Description);
