namespace Sluice.CommandLine;

/// <summary>What a command line gave: each option's typed value and where it came from, or a request for the help.</summary>
public sealed class ParseResult
{
    private readonly Dictionary<Option, Given> _given;

    internal ParseResult(Dictionary<Option, Given> given, bool helpRequested)
    {
        _given = given;
        HelpRequested = helpRequested;
    }

    /// <summary>True when <c>-h</c> or <c>--help</c> was given: nothing else was read.</summary>
    public bool HelpRequested { get; }

    /// <summary>The value given by the flag or the variable, else the default's.</summary>
    /// <exception cref="InvalidOperationException"><paramref name="option"/> has no value and no default (use <see cref="Has"/> first), or is not this command's.</exception>
    public T Get<T>(Option<T> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return _given.TryGetValue(option, out var given)
            ? (T)given.Value!
            : throw new InvalidOperationException($"{option.Flag} has no value and no default");
    }

    /// <summary>Whether the flag or the variable gave <paramref name="option"/> (not its default).</summary>
    public bool Has(Option option) => _given.TryGetValue(option, out var given) && !given.IsDefault;

    /// <summary>How the value was given, for messages: the flag as written or the variable; for an option left to its default, its variable (else its flag), where the operator would set it.</summary>
    public string SourceOf(Option option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return _given.TryGetValue(option, out var given) && !given.IsDefault ? given.Source : option.Variable ?? option.Flag;
    }

    /// <summary>A value (its text until read), how it was given, and whether it is the default.</summary>
    internal sealed record Given(object? Value, string Source, bool IsDefault);
}
