using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Ipam.Config;
using Sluice.Json;

namespace Sluice.Ipam.Tests;

internal static class Settings
{
    private static readonly JsonShape<NetworkConfig> Shape = new JsonShape<NetworkConfig>(() => new NetworkConfig()).Include(NetworkConfig.Keys);

    public static NetworkConfig Config(string ipam, string extra = "") =>
        Parse($$"""{"cniVersion":"1.1.0","name":"net1","type":"sluice-ipam","ipam":{{ipam}}{{extra}}}""");

    public static NetworkConfig Parse(string json) => CniJson.Read(System.Text.Encoding.UTF8.GetBytes(json), Shape, "network configuration");

    public static IpamSettings Load(string ipam, string extra = "") => IpamSettings.Load(Config(ipam, extra));
}
