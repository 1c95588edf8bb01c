using System.Text;

namespace Sluice.Kube.Tests;

/// <summary>
/// The published <c>sluice-kube get-pod</c> trusts the kubeconfig's CA and nothing else, and never
/// reads the system's trust store to do so, even when OpenSSL's variables in its environment name
/// that store (as on this machine, and as containerd may pass them through sluice-redirect).
/// </summary>
public sealed class SluiceKubeTrustStoreTests : FakeApiTest
{
    private const string StoreDirectory = "/etc/ssl/certs";
    private const string StoreBundle = "/etc/ssl/certs/ca-certificates.crt";

    [RootFact]
    public void GetPod_ServerSignedByKubeconfigCa_AcceptedWithoutOpeningTheSystemStore()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        var kubeconfig = Api.WriteKubeconfig(Dir.Combine("kubeconfig"));

        var (result, opened) = TracedGetPod(kubeconfig);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("\"web-1\"", result.Stdout, StringComparison.Ordinal);
        Assert.Contains(kubeconfig, opened);
        Assert.DoesNotContain(opened, path => path.StartsWith(StoreDirectory, StringComparison.Ordinal));
    }

    [RootFact]
    public void GetPod_ServerNotSignedByKubeconfigCa_RefusedWithoutOpeningTheSystemStore()
    {
        Api.SetPod("default", "web-1", SampleObjects.Web1Pod);
        using var otherCa = TestCertificate.CreateAuthority("someone-else");
        var kubeconfig = Dir.Combine("kubeconfig");
        var yaml = File.ReadAllText(Api.WriteKubeconfig(kubeconfig));
        File.WriteAllText(kubeconfig, yaml.Replace(Base64(Api.Authority.CertificatePem), Base64(otherCa.CertificatePem), StringComparison.Ordinal));

        var (result, opened) = TracedGetPod(kubeconfig);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("", result.Stdout);
        Assert.Contains("the server certificate is not signed by the configured certificate authority", result.Stderr, StringComparison.Ordinal);
        Assert.Contains(kubeconfig, opened);
        Assert.DoesNotContain(opened, path => path.StartsWith(StoreDirectory, StringComparison.Ordinal));
    }

    /// <summary>Runs the published sluice-kube under strace with OpenSSL's variables naming the system store; returns what it opened.</summary>
    private (ProcessResult Result, List<string> Opened) TracedGetPod(string kubeconfig)
    {
        Assert.True(File.Exists(StoreBundle), $"{StoreBundle} is missing: install ca-certificates (the test is about not reading it)");
        var trace = Dir.Combine("openat.trace");
        var environment = new Dictionary<string, string> { ["SSL_CERT_FILE"] = StoreBundle, ["SSL_CERT_DIR"] = StoreDirectory };
        var result = ProcessRunner.Run(
            "/usr/bin/strace",
            environment,
            arguments: ["-f", "-qq", "-e", "trace=open,openat", "-o", trace, RepoPaths.Binary("sluice-kube"), "get-pod", "--kubeconfig", kubeconfig, "--namespace", "default", "--pod", "web-1", "--attempts", "1"]);
        var opened = File.ReadAllLines(trace)
            .Where(line => !line.Contains("ENOENT", StringComparison.Ordinal))
            .Select(line => line.Split('"') is [_, var path, ..] ? path : "")
            .ToList();
        return (result, opened);
    }

    private static string Base64(string text) => Convert.ToBase64String(Encoding.ASCII.GetBytes(text));
}
