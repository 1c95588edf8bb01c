namespace Sluice.Kube.Client;

/// <summary>What a request that is not a GET sends: its method, its body and the body's media type (<c>application/json-patch+json</c>…).</summary>
internal sealed record RequestBody(HttpMethod Method, string ContentType, byte[] Bytes);
