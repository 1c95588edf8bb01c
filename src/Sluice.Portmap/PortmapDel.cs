using Sluice.Cni.Plugin;

namespace Sluice.Portmap;

/// <summary>
/// DEL: removes every rule tagged for this attachment, from every backend that holds sluice-portmap's
/// rules, whatever runtimeConfig says: the tags carry all it needs, so it works without the netns,
/// without prevResult, twice, or after an ADD that never happened. The UDP conntrack entries
/// translated to the removed forwards go too (in <see cref="PortmapRemoval"/>), so a new pod on the
/// port gets the traffic.
/// </summary>
internal sealed class PortmapDel(CniRequest<PortmapSettings> request)
{
    public void Run()
    {
        var owner = request.Settings.Owner;
        var removed = PortmapRemoval.Remove(request, o => o == owner, $"removing the mappings of {owner}");
        if (removed.Count > 0)
        {
            request.Log.Info($"removed {string.Join(", ", removed.Select(f => f.Describe()))}");
        }
    }
}
