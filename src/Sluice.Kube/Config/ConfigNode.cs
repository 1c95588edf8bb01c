namespace Sluice.Kube.Config;

/// <summary>
/// A kubeconfig document as a tree, whether it was written as YAML or JSON: mappings,
/// sequences and scalars (a null scalar for <c>null</c>, <c>~</c> or nothing).
/// </summary>
internal abstract record ConfigNode(int Line);

internal sealed record ConfigMapping(int Line, IReadOnlyDictionary<string, ConfigNode> Entries) : ConfigNode(Line);

internal sealed record ConfigSequence(int Line, IReadOnlyList<ConfigNode> Items) : ConfigNode(Line);

internal sealed record ConfigScalar(int Line, string? Value) : ConfigNode(Line);
