namespace Sluice.Agent;

/// <summary>What the install loop did since start (read by /metrics).</summary>
public sealed class AgentCounters
{
    /// <summary>Files written because they were missing or different (binaries, kubeconfig, configuration).</summary>
    public long Installs { get; set; }

    /// <summary>Times our configuration entry had to be put back after another component removed it.</summary>
    public long Reinstalls { get; set; }

    public long ReconcileErrors { get; set; }
}
