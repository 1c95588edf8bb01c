namespace Sluice.Kube.Models;

/// <summary>A node taint: pods without a matching toleration are not scheduled (NoSchedule) or are evicted (NoExecute).</summary>
public sealed class Taint
{
    public string? Key { get; set; }

    public string? Value { get; set; }

    public string? Effect { get; set; }

    public string? TimeAdded { get; set; }
}
