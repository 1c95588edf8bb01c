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

    private const string Usage = """
        Usage: sluice-kube get-pod --kubeconfig FILE --namespace NS --pod NAME [OPTION]...
        Read one pod from the Kubernetes API server and print it as JSON on standard output.

          --kubeconfig FILE         the kubeconfig naming the server and the credentials
          --namespace NS            the pod's namespace
          --pod NAME                the pod's name
          --request-timeout-ms N    time allowed for one request (default 2000)
          --attempts N              requests before giving up (default 3)
          --total-timeout-ms N      time allowed for all of them (default 8000)
          -h, --help                show this help

        Exit status: 0 the pod is printed, 1 the lookup failed (why is on standard error), 2 bad usage.
        """;

    public static int Main(string[] arguments) => Run(arguments, Console.Out, Console.Error);

    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter errors)
    {
        if (arguments is ["-h" or "--help", ..] or [_, "-h" or "--help", ..])
        {
            output.Write(Usage);
            return 0;
        }

        PodRequest request;
        try
        {
            request = PodRequest.Parse(arguments);
        }
        catch (ArgumentException error)
        {
            errors.WriteLine($"{Name}: {error.Message}");
            errors.WriteLine($"Try '{Name} --help' for more information.");
            return BadUsage;
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
