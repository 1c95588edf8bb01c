using Sluice.CommandLine;
using Sluice.Kube.Client;
using Sluice.Kube.Config;
using Sluice.Kube.Models;

namespace Sluice.KubeTool;

/// <summary>
/// sluice-kube: <c>get-pod</c> reads one pod from the API server named by a kubeconfig, within
/// the caller's time bounds, and prints it as JSON (the form sluice-agent's lookup socket uses).
/// sluice-redirect runs it when sluice-agent cannot answer: the HTTPS client, TLS and X.509 code
/// live in this binary, so the plugin started for every pod does not set them up.
/// </summary>
public static class SluiceKube
{
    public const string Name = "sluice-kube";

    /// <summary>Exit status of a lookup that reached no pod (the message is on standard error).</summary>
    public const int LookupFailed = 1;

    /// <summary>Exit status of a command line that names no lookup.</summary>
    public const int BadUsage = 2;

    public static int Main(string[] arguments) => Run(arguments, Console.Out, Console.Error);

    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        var line = new PodRequest.Line();
        if (arguments is ["-h" or "--help", ..])
        {
            output.Write(line.Command.Help());
            return 0;
        }

        PodRequest? request;
        try
        {
            request = PodRequest.Parse(arguments, line);
        }
        catch (CommandLineException error)
        {
            errors.WriteLine($"{Name}: {error.Message}");
            errors.WriteLine($"Try '{Name} --help' for more information.");
            return BadUsage;
        }

        if (request is null)
        {
            output.Write(line.Command.Help());
            return 0;
        }

        try
        {
            output.Write(PodJson.Write(Fetch(request)));
            output.Write('\n');
            output.Flush();
            return 0;
        }
        catch (Exception error) when (error is KubeApiException or KubeConfigException)
        {
            errors.WriteLine(error is KubeConfigException ? $"looking up pod {request.Namespace}/{request.Pod}: {error.Message}" : error.Message);
            return LookupFailed;
        }
    }

    private static Pod Fetch(PodRequest request)
    {
        if (Sluice.Linux.Files.RegularFile.KindIfNotRegular(request.Kubeconfig) is { } kind)
        {
            // A FIFO would block the read until the deadline, /dev/zero fill memory until then.
            throw new KubeConfigException($"kubeconfig {request.Kubeconfig} is {kind}, not a file");
        }

        var config = KubeConfig.Load(request.Kubeconfig);
        if (config.CertificateAuthorityPem is not null || config.InsecureSkipTlsVerify)
        {
            // Only the configured CA is trusted, yet .NET's chain builder on OpenSSL reads and
            // parses the whole system store first (about 100 ms per process). With OpenSSL's
            // own variables pointing at nothing, that store is empty. Values set by the
            // operator are kept.
            Sluice.Linux.NativeEnvironment.SetIfUnset("SSL_CERT_FILE", "/dev/null");
            Sluice.Linux.NativeEnvironment.SetIfUnset("SSL_CERT_DIR", "/dev/null");
        }

        using var client = new KubeClient(config, request.Options);
        return client.GetPodAsync(request.Namespace, request.Pod).GetAwaiter().GetResult();
    }
}
