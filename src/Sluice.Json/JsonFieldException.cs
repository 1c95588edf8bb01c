namespace Sluice.Json;

/// <summary>Why a value was refused: the JSON type is wrong, or the value does not fit the field.</summary>
public enum JsonFieldProblem
{
    /// <summary>A value of the wrong JSON type (a string where a number belongs): the input cannot be decoded.</summary>
    WrongType,

    /// <summary>A value of the right type outside what the field can hold (a number too large): the input is invalid.</summary>
    OutOfRange,
}

/// <summary>
/// A value a shape cannot take: <see cref="Path"/> names the field (<c>capture.outboundPort</c>,
/// <c>ips[0].interface</c>; empty for the whole input) and <see cref="Expected"/> says what it
/// should be (<c>an integer</c>, <c>an integer from 0 to 4294967295</c>).
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
        Expected = message;
    }

    public JsonFieldException(string path, string expected, JsonFieldProblem problem = JsonFieldProblem.WrongType, string? value = null)
        : base(Describe(path, expected, problem, value))
    {
        Path = path;
        Expected = expected;
        Problem = problem;
        Value = value;
    }

    public string Path { get; } = "";

    public string Expected { get; } = "";

    public JsonFieldProblem Problem { get; }

    /// <summary>The refused value as written, for <see cref="JsonFieldProblem.OutOfRange"/>.</summary>
    public string? Value { get; }

    private static string Describe(string path, string expected, JsonFieldProblem problem, string? value) => problem switch
    {
        JsonFieldProblem.OutOfRange when path.Length == 0 => $"{value} is not {expected}",
        JsonFieldProblem.OutOfRange => $"field '{path}' {value} is not {expected}",
        _ when path.Length == 0 => $"expected {expected}",
        _ => $"field '{path}' expected {expected}",
    };
}
