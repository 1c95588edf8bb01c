namespace Sluice.Cni;

/// <summary>
/// A failure that the dispatcher reports to the runtime as a CNI error object. Layers add
/// context by creating a new one with a longer message; a CNI error is never wrapped in another.
/// </summary>
public sealed class CniException : Exception
{
    public CniException(int code, string message, string? details = null, Exception? inner = null)
        : base(message, inner)
    {
        Code = code;
        Details = details;
    }

    public int Code { get; }

    public string? Details { get; }

    /// <summary>The same error with <paramref name="context"/> put in front of its message.</summary>
    public CniException WithContext(string context) =>
        new(Code, $"{context}: {Message}", Details, InnerException);
}
