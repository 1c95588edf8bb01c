using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

/// <summary>A kubeconfig that cannot be used gets one line naming the file, the line and what is wrong.</summary>
public sealed class KubeconfigErrorTests : IDisposable
{
    private readonly TempDirectory _dir = new("sluice-kubeconfig-errors");

    public void Dispose() => _dir.Dispose();

    public static TheoryData<string, string, string, string> Broken => new()
    {
        // shape, what to replace, by what, expected message after "kubeconfig <path>: "
        { "k3s", "  name: default\ncontexts", "  name: default\n  name: again\ncontexts", "line 7: not valid YAML or JSON: Duplicate key name" },
        { "k3s", "current-context: default", "current-context: [default", "line 13: not valid YAML or JSON: the text ends inside a [list] or {mapping}" },
        // Found by fuzzing: nesting that deep overflowed the stack in YamlDotNet's node builder and ended the process.
        { "k3s", "current-context: default", "current-context: " + new string('{', 100_000), "line 12: not valid as a kubeconfig: mappings and lists nest more than 64 levels deep" },
        { "k3s", "current-context: default", "current-context: " + new string('[', 65) + new string(']', 65), "line 12: not valid as a kubeconfig: mappings and lists nest more than 64 levels deep" },
        { "k3s", "current-context: default", "current-context:\n" + string.Concat(Enumerable.Repeat("- ", 100_000)) + "x", "line 13: not valid as a kubeconfig: mappings and lists nest more than 64 levels deep" },
        { "k3s", "    server: https://127.0.0.1:6443", "    server: 127.0.0.1:6443", "line 5: cluster 'default': server '127.0.0.1:6443' is not an http(s) URL" },
        { "k3s", "    user: default\n", "    user: nobody\n", "line 10: context 'default' names user 'nobody', which is not defined" },
        { "k3s", "    client-key-data: S0VZCg==", "    client-key-data: S0VZCg==\n    client-key: key.pem", "line 19: user 'default': both client-key and client-key-data are set; keep one" },
        { "k3s", "    server: https://127.0.0.1:6443", "    server: https://127.0.0.1:6443\n    insecure-skip-tls-verify: true", "line 6: cluster 'default': insecure-skip-tls-verify and a certificate-authority together; kubectl refuses this too, keep one" },
        { "byhand", "insecure-skip-tls-verify: yes", "insecure-skip-tls-verify: 'yes'", "line 6: cluster 'lab': insecure-skip-tls-verify is 'yes', not true or false (unquoted)" },
        { "aks", "      provideClusterInfo: false", "      provideClusterInfo: false\n      interactiveMode: Always", "line 36: user 'clusterUser_shop-rg_shop': exec: interactiveMode Always needs a terminal, and Sluice runs credential plugins without one (Never or IfAvailable)" },
        { "eks", "client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1", "line 19: user 'arn:aws:eks:us-west-2:123456789012:cluster/prod': exec: interactiveMode must be set for client.authentication.k8s.io/v1 (Never or IfAvailable)" },
        { "eks", "client.authentication.k8s.io/v1beta1", "client.authentication.k8s.io/v1alpha1", "line 19: user 'arn:aws:eks:us-west-2:123456789012:cluster/prod': exec: apiVersion 'client.authentication.k8s.io/v1alpha1' is not supported (client.authentication.k8s.io/v1 or client.authentication.k8s.io/v1beta1)" },
        { "eks", "      command: aws\n", "", "line 19: user 'arn:aws:eks:us-west-2:123456789012:cluster/prod': exec: command must be set" },
        { "eks", "      - name: AWS_PROFILE\n", "      - name: ''\n", "line 31: user 'arn:aws:eks:us-west-2:123456789012:cluster/prod': exec: env entry needs a name (without '=')" },
        { "gke", "      provideClusterInfo: true", "      provideClusterInfo: true\n    auth-provider: {name: gcp}", "line 24: user 'gke_shop-prod_europe-west1_main': auth-provider: auth-provider plugins are gone from kubectl (1.26); use an exec credential plugin" },
    };

    [Theory]
    [MemberData(nameof(Broken))]
    public void Load_BrokenKubeconfig_FailsWithOneLineNamingFileAndLine(string shape, string find, string replace, string expected)
    {
        var text = shape switch
        {
            "k3s" => KubeconfigShapes.K3s,
            "eks" => KubeconfigShapes.Eks,
            "gke" => KubeconfigShapes.Gke,
            "aks" => KubeconfigShapes.Aks,
            _ => KubeconfigShapes.ByHand,
        };
        Assert.Contains(find, text, StringComparison.Ordinal);
        var path = _dir.Combine("config");
        File.WriteAllText(path, text.Replace(find, replace, StringComparison.Ordinal));

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.Load(path));

        Assert.StartsWith($"kubeconfig {path}: {expected}", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void Load_TwoDocuments_IsAnErrorNamingTheSecond()
    {
        var path = _dir.Combine("config");
        File.WriteAllText(path, KubeconfigShapes.K3s + "\n---\n" + KubeconfigShapes.K3s);

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.Load(path));

        Assert.Equal($"kubeconfig {path}: line 21: a second YAML document; a kubeconfig holds one", error.Message);
    }

    [Fact]
    public void CheckReadable_MissingFile_NamesTheFileWithoutParsing()
    {
        var path = _dir.Combine("absent");

        var error = Assert.Throws<KubeConfigException>(() => KubeConfig.CheckReadable(path));

        Assert.Equal($"kubeconfig {path}: cannot be read: no such file", error.Message);
        File.WriteAllText(path, "{ not: [yaml");
        KubeConfig.CheckReadable(path);
    }
}
