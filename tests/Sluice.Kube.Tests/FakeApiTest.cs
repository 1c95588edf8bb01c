using Sluice.Kube.Client;
using Sluice.Kube.Config;

namespace Sluice.Kube.Tests;

/// <summary>Per-test fake API server plus a temporary directory for kubeconfig and token files.</summary>
public abstract class FakeApiTest : IAsyncLifetime
{
    protected FakeKubeApi Api { get; private set; } = null!;

    protected TempDirectory Dir { get; } = new("sluice-kube");

    /// <summary>Short timeouts so failing paths finish quickly; generous enough for a loaded machine.</summary>
    protected static KubeClientOptions Quick { get; } = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(20),
        MaxAttempts = 3,
        InitialBackoff = TimeSpan.FromMilliseconds(20),
    };

    public async ValueTask InitializeAsync() => Api = await FakeKubeApi.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync();
        Dir.Dispose();
        GC.SuppressFinalize(this);
    }

    protected KubeConfig Kubeconfig() => KubeConfig.Load(Api.WriteKubeconfig(Dir.Combine("kubeconfig")));

    protected KubeClient Client(KubeClientOptions? options = null) => new(Kubeconfig(), options ?? Quick);
}
