using Sluice.CaptureTool;

namespace Sluice.Capture.Tests;

public sealed class CommandLineTests
{
    [Theory]
    [InlineData("-p 70000", "-p '70000' is not a port (1-65535)")]
    [InlineData("--envoy-port=abc", "--envoy-port 'abc' is not a port (1-65535)")]
    [InlineData("-z0", "-z '0' is not a port (1-65535)")]
    [InlineData("-i 10.0.0.1/8", "-i '10.0.0.1/8' has host bits set (the network is 10.0.0.0/8)")]
    [InlineData("--istio-service-exclude-cidr 300.1.1.1/32", "--istio-service-exclude-cidr '300.1.1.1/32' is not a network")]
    [InlineData("-m FOO", "-m 'FOO' is not an interception mode (REDIRECT or TPROXY)")]
    [InlineData("-u 1337,1338", "-u '1337,1338' is a list")]
    [InlineData("-u root", "-u 'root' is not a user or group id")]
    [InlineData("--backend pf", "--backend 'pf' is not a backend (nft, iptables or auto)")]
    [InlineData("--profile linkerd", "--profile 'linkerd' is not a profile (msm, istio, generic)")]
    [InlineData("--iptables-variant xt", "--iptables-variant 'xt' is not an iptables variant")]
    [InlineData("-c eth0,bad/name", "-c 'bad/name' is not an interface name")]
    [InlineData("-c +", "-c '+' is not an interface name: it would match every interface")]
    [InlineData("-c x\"", "-c 'x\"' is not an interface name: it contains a character other than")]
    [InlineData("-c -j", "-c '-j' is not an interface name: it starts with '-'")]
    [InlineData("-k e+th", "-k 'e+th' is not an interface name: it has '+' before its end")]
    [InlineData("-c sixteen-chars-xx", "-c 'sixteen-chars-xx' is not an interface name: it is longer than 15 characters")]
    [InlineData("-r 3000000000", "-r '3000000000' is not a routing table number")]
    [InlineData("-u 4294967295", "-u '4294967295' is not a user or group id")]
    [InlineData("-m TPROXY -b * -t 1338", "-t '1338' cannot be 0 or 1338")]
    [InlineData("-m TPROXY -b * -r 255", "-r '255' is not a routing table of its own")]
    [InlineData("--media-udp-ports 5004", "--media-port '' must be set")]
    [InlineData("--drop-invalid=maybe", "--drop-invalid 'maybe' is not true or false")]
    [InlineData("-x *", "-x '*' cannot be '*'")]
    [InlineData("--ipv4-only -i fd00::/8", "-i 'fd00::/8' is IPv6, but that family is not captured")]
    [InlineData("--frobnicate", "unrecognized option '--frobnicate'")]
    [InlineData("-Y", "invalid option -- 'Y'")]
    [InlineData("-p", "option requires an argument -- 'p' (PORT)")]
    [InlineData("--netns", "option '--netns' requires a value (PATH)")]
    [InlineData("extra", "unexpected argument 'extra'")]
    public void Run_InvalidCommandLine_Exits2WithItsProblemAndTheHelpHint(string commandLine, string message)
    {
        var (status, output, errors) = Run(commandLine.Split(' '));

        Assert.Equal(2, status);
        Assert.Empty(output);
        Assert.StartsWith($"sluice-iptables: {message}", errors, StringComparison.Ordinal);
        Assert.Contains("Try 'sluice-iptables --help'", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Help_ListsEveryOptionAndExits0()
    {
        var (status, output, errors) = Run(["--help"]);

        Assert.Equal(0, status);
        Assert.Empty(errors);
        Assert.StartsWith("Usage: sluice-iptables [OPTION]...", output, StringComparison.Ordinal);
        foreach (var option in new[] { "-p, --envoy-port PORT", "-z, --inbound-capture-port", "-u, --proxy-uid", "-g, --proxy-gid", "-m, --istio-inbound-interception-mode", "-b, --istio-inbound-ports", "-d, --istio-local-exclude-ports", "-i, --istio-service-cidr", "-x, --istio-service-exclude-cidr", "-q, --istio-outbound-ports", "-o, --istio-local-outbound-ports-exclude", "-k, --kube-virt-interfaces", "-c, --istio-exclude-interfaces", "-n, --dry-run", "--redirect-dns", "--drop-invalid", "--dual-stack", "--cleanup-only", "--profile NAME", "--backend NAME", "--netns PATH", "--verify" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }

        Assert.Contains("used -d for a destination network", output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_AttachedValuesAndBundledSwitches_ReadAsSeparateOnes()
    {
        var attached = Run(["-p15001", "-b*", "-nu", "1000", "--backend=iptables"]);
        var separate = Run(["-p", "15001", "-b", "*", "-n", "-u", "1000", "--backend", "iptables"]);

        Assert.Equal(0, attached.Status);
        Assert.Equal(separate, attached);
        Assert.Contains("--uid-owner 1000", attached.Output, StringComparison.Ordinal);
        Assert.Contains("--gid-owner 1000", attached.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_FlagsAfterProfile_OverrideOnlyTheirFields()
    {
        var (status, output, _) = Run(["--profile", "istio", "-p", "16001", "-d", "9901", "--backend", "nft", "--dry-run"]);

        Assert.Equal(0, status);
        Assert.Contains("redirect to :16001", output, StringComparison.Ordinal);
        Assert.Contains("tcp dport 9901 counter return", output, StringComparison.Ordinal);
        Assert.DoesNotContain("15020", output, StringComparison.Ordinal);
        Assert.Contains("redirect to :15006", output, StringComparison.Ordinal);
    }

    internal static (int Status, string Output, string Errors) Run(IReadOnlyList<string> arguments)
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var status = SluiceIptables.Run(arguments, output, errors);
        return (status, output.ToString(), errors.ToString());
    }
}
