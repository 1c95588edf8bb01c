using System.Net.Sockets;
using Sluice.Linux.Iptables;

namespace Sluice.Capture.Tests.Lab;

/// <summary>The three ways capture can be installed, as test data: native nftables, iptables-nft, iptables-legacy.</summary>
internal static class Backends
{
    public static readonly string[] Names = ["nftables", "iptables-nft", "iptables-legacy"];

    public static TheoryData<string> All => new(Names);

    public static TheoryData<string, string> WithFamilies
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var backend in Names)
            {
                data.Add(backend, "ipv4");
                data.Add(backend, "ipv6");
            }

            return data;
        }
    }

    public static (CaptureBackendKind Kind, IptablesVariant? Variant) Parse(string backend) => backend switch
    {
        "nftables" => (CaptureBackendKind.Nftables, null),
        "iptables-nft" => (CaptureBackendKind.Iptables, IptablesVariant.Nft),
        "iptables-legacy" => (CaptureBackendKind.Iptables, IptablesVariant.Legacy),
        _ => throw new ArgumentException($"unknown backend {backend}", nameof(backend)),
    };

    public static AddressFamily Family(string family) => family == "ipv4" ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6;

    public static CaptureEngine Engine(this CaptureLab lab, string backend)
    {
        var (kind, variant) = Parse(backend);
        return lab.Engine(kind, variant);
    }

    public static CaptureOutcome Apply(this CaptureLab lab, Policy.CapturePolicy policy, string backend)
    {
        using var engine = lab.Engine(backend);
        return engine.Apply(policy);
    }
}
