using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Serialization.Metadata;
using Sluice.Kube.Config;
using Sluice.Kube.Errors;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

/// <summary>
/// A small typed client for the Kubernetes API calls Sluice makes: get a pod or node, list
/// and watch nodes, list and watch the pods of one node. It trusts exactly the configured
/// CA, authenticates with a (rotating) bearer token or a client certificate, retries what
/// is worth retrying within <see cref="KubeClientOptions"/>, and reports failures as
/// <see cref="KubeApiException"/>. AOT-clean: all JSON goes through source-generated metadata.
/// </summary>
public sealed partial class KubeClient : IDisposable
{
    private readonly HttpClient _http;
    private readonly TlsPolicy _tls;
    private readonly X509CertificateHolder _clientCertificate;
    private readonly BearerTokenSource _token;
    private readonly KubeClientOptions _options;

    public KubeClient(KubeConfig config, KubeClientOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(config);
        _options = options ?? new KubeClientOptions();
        _options.Validate();
        Config = config;
        _token = new BearerTokenSource(config);
        _tls = new TlsPolicy(config);
        _clientCertificate = new X509CertificateHolder(ClientCertificates.Load(config), config.Source);
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = _options.RequestTimeout,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = DecompressionMethods.None,
            UseProxy = false,
        };
        handler.SslOptions.CertificateChainPolicy = _tls.ChainPolicy();
        handler.SslOptions.RemoteCertificateValidationCallback = (_, certificate, chain, errors) => _tls.Validate(certificate, chain, errors);
        if (_clientCertificate.Certificate is { } certificate)
        {
            handler.SslOptions.ClientCertificates = [certificate];
        }
        else if (config.Exec is not null)
        {
            // The plugin's certificate, if it returns one, goes with each new connection; connections
            // are renewed every minute so that a renewed certificate is soon in use.
            handler.SslOptions.LocalCertificateSelectionCallback = (_, _, _, _, _) => _clientCertificate.FromPlugin(_token)!;
            handler.PooledConnectionLifetime = TimeSpan.FromMinutes(1);
        }

        _http = new HttpClient(handler, disposeHandler: true)
        {
            BaseAddress = new Uri(config.Server + "/"),
            Timeout = Timeout.InfiniteTimeSpan,
        };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        _http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("sluice", "0.1"));
    }

    /// <summary>The configuration this client was built from.</summary>
    public KubeConfig Config { get; }

    /// <summary>GET /api/v1/namespaces/{ns}/pods/{name}.</summary>
    public Task<Pod> GetPodAsync(string ns, string name, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/namespaces/{Escape(ns)}/pods/{Escape(name)}", $"pod {ns}/{name}", PodJson.Read, cancellationToken);

    /// <summary>GET /api/v1/nodes/{name}.</summary>
    public Task<Node> GetNodeAsync(string name, CancellationToken cancellationToken = default) =>
        GetAsync($"api/v1/nodes/{Escape(name)}", $"node {name}", KubeJsonContext.Default.Node, cancellationToken);

    /// <summary>GET /api/v1/nodes: every node, and the resource version to watch from.</summary>
    public Task<KubeList<Node>> ListNodesAsync(CancellationToken cancellationToken = default) =>
        ListAsync("api/v1/nodes", "nodes", KubeJsonContext.Default.Node, cancellationToken);

    /// <summary>GET /api/v1/pods?fieldSelector=spec.nodeName={nodeName}: the pods of one node in all namespaces.</summary>
    public Task<KubeList<Pod>> ListPodsOnNodeAsync(string nodeName, CancellationToken cancellationToken = default) =>
        ListAsync($"api/v1/pods?fieldSelector={NodeSelector(nodeName)}", $"pods on node {nodeName}", KubeJsonContext.Default.Pod, cancellationToken);

    /// <summary>
    /// Watches nodes from <paramref name="resourceVersion"/> (from <see cref="ListNodesAsync"/>),
    /// bookmarks included. Ends when the server ends the watch; throws <see cref="KubeApiException"/>
    /// with <see cref="KubeApiException.IsGone"/> when the version is too old (list again).
    /// </summary>
    public IAsyncEnumerable<WatchEvent<Node>> WatchNodesAsync(string resourceVersion, CancellationToken cancellationToken = default) =>
        WatchAsync($"api/v1/nodes?watch=1&resourceVersion={Escape(resourceVersion)}&allowWatchBookmarks=true", "nodes", KubeJsonContext.Default.Node, cancellationToken);

    /// <summary>Watches the pods of one node from <paramref name="resourceVersion"/> (from <see cref="ListPodsOnNodeAsync"/>).</summary>
    public IAsyncEnumerable<WatchEvent<Pod>> WatchPodsOnNodeAsync(string nodeName, string resourceVersion, CancellationToken cancellationToken = default) =>
        WatchAsync(
            $"api/v1/pods?fieldSelector={NodeSelector(nodeName)}&watch=1&resourceVersion={Escape(resourceVersion)}&allowWatchBookmarks=true",
            $"pods on node {nodeName}",
            KubeJsonContext.Default.Pod,
            cancellationToken);

    public void Dispose()
    {
        _http.Dispose();
        _tls.Dispose();
        _clientCertificate.Dispose();
    }

    private Task<T> GetAsync<T>(string path, string description, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken) =>
        GetAsync(path, description, json => System.Text.Json.JsonSerializer.Deserialize(json, typeInfo) ?? throw new System.Text.Json.JsonException("the body is null"), cancellationToken);

    /// <summary>GET <paramref name="path"/>, the body read by <paramref name="read"/> (a pod by its shape: a plugin reads one pod per process, and the serializer's metadata for it costs more than reading it).</summary>
    private async Task<T> GetAsync<T>(string path, string description, Func<string, T> read, CancellationToken cancellationToken)
    {
        var operation = new Operation("GET", description);
        var (response, attempts) = await SendAsync(path, operation, streaming: false, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return Decode(body, read, operation, attempts);
        }
    }

    private T Decode<T>(string json, Func<string, T> read, Operation operation, int attempts)
    {
        try
        {
            return read(json);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw Failure(operation, 200, null, attempts, $"the answer is not a valid {typeof(T).Name}: {ErrorWords.JsonProblem(e)}", e);
        }
        catch (Sluice.Json.JsonFieldException e)
        {
            throw Failure(operation, 200, null, attempts, $"the answer is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }

    private static string Escape(string value) => Uri.EscapeDataString(value);

    private static string NodeSelector(string nodeName) => Escape("spec.nodeName=" + nodeName);

    /// <summary>Owns the kubeconfig's client certificate (if any) for the client's lifetime, and the one made from the exec plugin's latest credential.</summary>
    private sealed class X509CertificateHolder(X509Certificate2? certificate, string source) : IDisposable
    {
        private readonly Lock _lock = new();
        private (ExecCredential Credential, X509Certificate2 Certificate)? _fromPlugin;

        public X509Certificate2? Certificate { get; } = certificate;

        /// <summary>The certificate of the plugin's current credential (cached, so usually no run); null when it returned none.</summary>
        public X509Certificate2? FromPlugin(BearerTokenSource credentials)
        {
            if (credentials.ForRequest().Plugin is not { ClientCertificatePem: { } pem, ClientKeyPem: { } key } credential)
            {
                return null;
            }

            lock (_lock)
            {
                if (_fromPlugin is not { } made || !ReferenceEquals(made.Credential, credential))
                {
                    // A replaced certificate may still be in use by an open connection: left to the finalizer.
                    _fromPlugin = (credential, ClientCertificates.Load(pem, key, source));
                }

                return _fromPlugin.Value.Certificate;
            }
        }

        public void Dispose()
        {
            Certificate?.Dispose();
            _fromPlugin?.Certificate.Dispose();
        }
    }
}
