namespace Sluice.Agent;

/// <summary>What the install loop did since start; written by the loop, read by /metrics from another thread.</summary>
public sealed class AgentCounters
{
    private long _installs;
    private long _reinstalls;
    private long _reconcileErrors;

    /// <summary>Files written because they were missing or different (binaries, kubeconfig, configuration).</summary>
    public long Installs => Interlocked.Read(ref _installs);

    /// <summary>Times our configuration entry had to be put back after another component removed it.</summary>
    public long Reinstalls => Interlocked.Read(ref _reinstalls);

    public long ReconcileErrors => Interlocked.Read(ref _reconcileErrors);

    internal void CountInstall() => Interlocked.Increment(ref _installs);

    internal void CountReinstall() => Interlocked.Increment(ref _reinstalls);

    internal void CountReconcileError() => Interlocked.Increment(ref _reconcileErrors);
}
