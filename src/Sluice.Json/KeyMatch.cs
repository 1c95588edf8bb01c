namespace Sluice.Json;

/// <summary>How keys in the input are matched to declared keys.</summary>
public enum KeyMatch
{
    /// <summary>Without regard to case, as Go's decoder matches them (CNI configurations and results).</summary>
    IgnoreCase,

    /// <summary>Exactly (Kubernetes objects, whose keys are camelCase by contract).</summary>
    Exact,
}
