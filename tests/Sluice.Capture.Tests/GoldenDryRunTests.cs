namespace Sluice.Capture.Tests;

/// <summary>
/// The exact dry-run output for the presets and a set of flag combinations, per backend. The
/// expected text lives in Golden/NAME.golden; run with SLUICE_UPDATE_GOLDEN=1 to rewrite the
/// files after a deliberate change, and review the diff.
/// </summary>
public sealed class GoldenDryRunTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "msm-nft", "--profile msm --backend nft" },
        { "msm-iptables", "--profile msm --backend iptables" },
        { "istio-nft", "--profile istio --backend nft" },
        { "istio-iptables", "--profile istio --backend iptables" },
        { "istio-tproxy-nft", "--profile istio -m TPROXY --backend nft" },
        { "istio-tproxy-iptables", "--profile istio -m TPROXY --backend iptables" },
        { "istio-injector-args-iptables", "-p 15001 -z 15006 -u 1337 -m REDIRECT -i * -x  -b * -d 15090,15021,15020 --backend iptables" },
        { "exclusions-nft", "-u 1337 -i 10.0.0.0/8,fd00::/8 -x 10.96.0.1/32 -q 9999 -o 22,5000-5010 -c eth1 -k vnet0 --redirect-dns --drop-invalid --backend nft" },
        { "exclusions-iptables", "-u 1337 -i 10.0.0.0/8,fd00::/8 -x 10.96.0.1/32 -q 9999 -o 22,5000-5010 -c eth1 -k vnet0 --redirect-dns --drop-invalid --backend iptables" },
        { "inbound-list-nft", "-b 8080,9000-9100 -d 9050 --backend nft" },
        { "media-iptables", "--profile msm --media-udp-ports 5004-5005 --media-port 8050 --backend iptables" },
        { "ipv4-only-nft", "--profile istio --ipv4-only --backend nft" },
        { "ipv4-only-iptables", "--profile istio --ipv4-only --backend iptables" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Run_DryRun_PrintsExactlyTheGoldenRules(string name, string commandLine)
    {
        var arguments = commandLine.Split(' ').Select(a => a.Length == 0 ? "" : a).Append("--dry-run").ToList();
        var (status, output, errors) = CommandLineTests.Run(arguments);
        Assert.Equal(0, status);
        Assert.Empty(errors);

        var expected = $"# sluice-iptables {commandLine} --dry-run\n{output}";
        var file = Path.Combine(RepoPaths.Root, "tests", "Sluice.Capture.Tests", "Golden", $"{name}.golden");
        if (Environment.GetEnvironmentVariable("SLUICE_UPDATE_GOLDEN") == "1")
        {
            File.WriteAllText(file, expected);
        }

        Assert.True(File.Exists(file), $"{file} is missing: run with SLUICE_UPDATE_GOLDEN=1 to create it");
        Assert.Equal(File.ReadAllText(file), expected);
    }
}
