using Sluice.CommandLine;

namespace Sluice.Redirect;

/// <summary>
/// The options of <c>sluice-redirect explain</c>. Instance fields, not statics: sluice-redirect
/// runs for every pod, and only explain builds them.
/// </summary>
internal sealed class ExplainLine
{
    public readonly Command Command = new(
        "Usage: sluice-redirect explain --namespace NS --pod NAME [OPTION]...",
        "Show whether sluice-redirect would capture a pod's traffic, why, and the rules it would install.\nNothing is changed.")
    {
        Footer = "Exit status: 0 the pod would be captured, 4 it would not, 1 the lookup failed, 2 bad usage or configuration.",
    };

    public readonly Option<string> Namespace;
    public readonly Option<string> Pod;
    public readonly Option<string> Config;
    public readonly Option<string> Kubeconfig;
    public readonly Option<string> Profile;
    public readonly Option<string> Backend;

    public ExplainLine()
    {
        Namespace = Command.Add(new Option<string>("--namespace", Values.NonEmpty, "the pod's namespace") { Required = true, ValueName = "NS" });
        Pod = Command.Add(new Option<string>("--pod", Values.NonEmpty, "the pod's name") { Required = true, ValueName = "NAME" });
        Config = Command.Add(new Option<string>("--config", Values.NonEmpty, "the plugin configuration, or a conflist holding it (default: none)") { ValueName = "FILE" });
        Kubeconfig = Command.Add(new Option<string>("--kubeconfig", Values.NonEmpty, "the kubeconfig to read the pod with (default: the configuration's)") { ValueName = "FILE" });
        Profile = Command.Add(new Option<string>("--profile", Values.NonEmpty, "msm, istio or generic (default: the configuration's)") { ValueName = "NAME" });
        Backend = Command.Add(new Option<string>("--backend", Values.NonEmpty, "render the rules for nft or iptables") { Default = "nft", ValueName = "NAME" });
    }
}
