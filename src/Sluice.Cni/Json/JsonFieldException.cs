namespace Sluice.Cni.Json;

/// <summary>
/// A value of the wrong JSON type, found by a hand-written reader: <see cref="Path"/> names the
/// field (<c>capture.outboundPort</c>, <c>ips[0].interface</c>; empty for the whole input) and
/// <see cref="Expected"/> says what it should be (<c>an integer</c>).
/// </summary>
public sealed class JsonFieldException : Exception
{
    public JsonFieldException()
        : this("", "a JSON value")
    {
    }

    public JsonFieldException(string message)
        : this("", message)
    {
    }

    public JsonFieldException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = "";
        Expected = message;
    }

    public JsonFieldException(string path, string expected)
        : base(path.Length == 0 ? $"expected {expected}" : $"field '{path}' expected {expected}")
    {
        Path = path;
        Expected = expected;
    }

    public string Path { get; } = "";

    public string Expected { get; } = "";

    /// <summary>The decoding-failure CNI error for this problem in <paramref name="what"/>, worded as <see cref="JsonDecoding.Describe"/> words the serializer's.</summary>
    public CniException ToCniError(string what) =>
        new(CniErrorCode.DecodingFailure, $"cannot decode {what}: {Message}", inner: this);
}
