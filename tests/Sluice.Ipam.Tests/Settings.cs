using System.Text.Json;
using Sluice.Cni.Config;
using Sluice.Cni.Json;
using Sluice.Ipam.Config;

namespace Sluice.Ipam.Tests;

internal static class Settings
{
    public static NetworkConfig Config(string ipam, string extra = "") =>
        JsonSerializer.Deserialize($$"""{"cniVersion":"1.1.0","name":"net1","type":"sluice-ipam","ipam":{{ipam}}{{extra}}}""", CniJsonContext.Default.NetworkConfig)!;

    public static IpamSettings Load(string ipam, string extra = "") => IpamSettings.Load(Config(ipam, extra));
}
