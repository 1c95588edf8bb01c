namespace Sluice.Kube.Client;

/// <summary>A write's method and body (JSON, or a JSON merge patch), kept as bytes so a retry sends the same.</summary>
internal sealed record RequestBody(HttpMethod Method, string ContentType, byte[] Bytes);
