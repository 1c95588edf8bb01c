using System.Text;
using Sluice.Capture;

namespace Sluice.CaptureTool;

/// <summary>The text of <c>--help</c>, built from the option table so the two cannot drift apart.</summary>
internal static class HelpText
{
    public static string For(string program)
    {
        var text = new StringBuilder();
        text.Append($"""
            Usage: {program} [OPTION]...
            Install, check or remove the rules that send a pod's traffic through its sidecar proxy.
            Rules go into the current network namespace, or the one given with --netns: natively as
            nftables table 'inet sluice_capture' (one atomic netlink batch), or with iptables as
            chains SLUICE_* (one iptables-restore per IP family). Applying twice changes nothing.

            Options follow istio-iptables, so its command lines work unchanged. Note: msm-iptables
            used -d for a destination network; here, as in Istio, -d lists excluded inbound ports.

            Lists are comma-separated; ports may be ranges (5000-5999); '*' means all.


            """);
        var width = CaptureOptions.All.Max(o => o.Synopsis.Length) + 2;
        foreach (var option in CaptureOptions.All)
        {
            text.Append("  ").Append(option.Synopsis.PadRight(width)).Append(option.Help).Append('\n');
            if (option.Aliases.Length > 0)
            {
                text.Append("  ").Append(new string(' ', width)).Append("  also: ").Append(string.Join(", ", option.Aliases.Select(a => "--" + a))).Append('\n');
            }
        }

        text.Append($"""

            Profiles:
              msm      outbound TCP 554 (RTSP) to 8554; UID 1337 exempt; no inbound capture
              istio    outbound to 15001; all inbound to 15006 except 15020, 15021, 15090;
                       UID and GID 1337 exempt
              generic  istio-iptables' defaults: nothing captured until -b, -i or -q say what

            Always exempt: the proxy's UID/GID, loopback destinations (127.0.0.0/8, ::1),
            excluded ports and networks. IPv4 and IPv6 are both captured unless --ipv4-only.

            Environment:
              {CaptureCommand.VariantEnvironment}=legacy|nft   force the iptables variant (like --iptables-variant)

            Exit status:
              0    done (or, with --verify and --validate, the rules are in place)
              1    the kernel or iptables refused
              2    invalid command line: nothing was changed
              3    --verify found differences
              {CaptureOptions.ValidationExitCode}  --validate found differences: the pod's capture is not in place

            """);
        return text.ToString();
    }
}
