using Sluice.Host;

// sluice-bridge, sluice-ipam and sluice-portmap: the primary network's plugins, run for every pod.
return Multicall.Run(Environment.GetCommandLineArgs(), new Dictionary<string, Func<string[], int>>(StringComparer.Ordinal)
{
    [Sluice.Bridge.BridgePlugin.Name] = _ => Sluice.Bridge.BridgePlugin.Main(),
    [Sluice.IpamPlugin.IpamPlugin.Name] = _ => Sluice.IpamPlugin.IpamPlugin.Main(),
    [Sluice.Portmap.PortmapPlugin.Name] = _ => Sluice.Portmap.PortmapPlugin.Main(),
});
