using Sluice.Host;

// sluice-bridge and sluice-ipam: the primary network's plugins, run for every pod.
return Multicall.Run(Environment.GetCommandLineArgs(), new Dictionary<string, Func<string[], int>>(StringComparer.Ordinal)
{
    [Sluice.Bridge.BridgePlugin.Name] = _ => Sluice.Bridge.BridgePlugin.Main(),
    [Sluice.IpamPlugin.IpamPlugin.Name] = _ => Sluice.IpamPlugin.IpamPlugin.Main(),
});
