namespace Sluice.CommandLine;

/// <summary>
/// An option as its command declares it: the flag (<c>--health-port</c>), the environment variable
/// that may give it instead (<c>HEALTH_PORT</c>), the default text, whether it is required, and
/// the words of the help. The value is read by <see cref="Option{T}"/>.
/// </summary>
public abstract class Option
{
    private protected Option(string flag, string help)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(flag);
        ArgumentException.ThrowIfNullOrWhiteSpace(help);
        if (!flag.StartsWith("--", StringComparison.Ordinal) || flag.Length < 3 || flag.Contains('=', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{flag}' is not a long flag (--name)", nameof(flag));
        }

        Flag = flag;
        Help = help;
    }

    /// <summary>The flag, with its two dashes.</summary>
    public string Flag { get; }

    /// <summary>What the option means, for the help.</summary>
    public string Help { get; }

    /// <summary>The environment variable that gives the value when the flag does not (null: none).</summary>
    public string? Variable { get; init; }

    /// <summary>The text used when neither the flag nor the variable gives one; read like a given value. Null: no default.</summary>
    public string? Default { get; init; }

    /// <summary>A command line without this option (and without its variable) is refused.</summary>
    public bool Required { get; init; }

    /// <summary>
    /// A flag that may stand alone (<c>--json</c>), meaning <see cref="SwitchValue"/>; a value can
    /// still be given with <c>=</c> (<c>--json=false</c>), never as the next word.
    /// </summary>
    public bool IsSwitch { get; init; }

    /// <summary>The text a switch given alone stands for.</summary>
    public string SwitchValue { get; init; } = "true";

    /// <summary>What the help calls the value (<c>FILE</c>, <c>N</c>).</summary>
    public string ValueName { get; init; } = "VALUE";

    /// <summary>The typed value of <paramref name="text"/>.</summary>
    /// <exception cref="InvalidValueException">The text is not a value of this option.</exception>
    internal abstract object? Read(string text);
}
