namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// One hostile input: which published binary gets it, what it is (environment, stdin, arguments),
/// the exact outcome expected (a CNI error code, 0 for success; for sluice-iptables its exit
/// status), a piece of the message that must name the problem, and any path meant to change.
/// </summary>
public sealed record HostileCase(string Name, string Binary, int Expected, string MessagePart, Func<HostileRig, HostileCall> Build)
{
    /// <summary>sluice-iptables answers with an exit status and a line on stderr, not a CNI error object.</summary>
    public bool IsTool => Binary == "sluice-iptables";

    /// <summary>Run after the case (a success that installed something in the pod is undone).</summary>
    public Action<HostileRig>? Cleanup { get; init; }

    public override string ToString() => Name;
}

/// <summary>What one case hands the binary.</summary>
public sealed record HostileCall(Dictionary<string, string> Env, byte[] Stdin, IReadOnlyList<string>? Arguments = null);
