using System.Text;

namespace Sluice.CommandLine;

/// <summary>
/// A command's options, declared once: <see cref="Parse"/> reads a command line (and, for options
/// with a variable, the environment) into typed values, and <see cref="Help"/> is generated from the
/// same declarations. Flags take a value, as <c>--name VALUE</c> or <c>--name=VALUE</c> (a
/// switch stands alone, or takes <c>=VALUE</c>); a flag wins
/// over its variable, the variable over the default; values are trimmed; <c>-h</c> or
/// <c>--help</c> asks for the help. Every error is one line naming the option as it was given.
/// </summary>
/// <param name="usage">The first line of the help (<c>Usage: sluice-kube get-pod --pod NAME [OPTION]...</c>).</param>
/// <param name="summary">What the command does, a sentence or two.</param>
public sealed class Command(string usage, string summary)
{
    private readonly List<Option> _options = [];

    /// <summary>Text after the options in the help (exit statuses, notes); empty for none.</summary>
    public string Footer { get; init; } = "";

    public IReadOnlyList<Option> Options => _options;

    /// <summary>Declares <paramref name="option"/> as one of this command's; returns it, for a field to keep.</summary>
    public Option<T> Add<T>(Option<T> option)
    {
        ArgumentNullException.ThrowIfNull(option);
        Include([option]);
        return option;
    }

    /// <summary>Declares options another command declared too (a subcommand that takes its parent's settings).</summary>
    public void Include(IEnumerable<Option> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var option in options)
        {
            if (Declares(option))
            {
                throw new ArgumentException($"{option.Flag} ({option.Variable}) is declared twice", nameof(options));
            }

            _options.Add(option);
        }
    }

    /// <summary>Reads <paramref name="arguments"/> (the words after the command's name) and, for options with a variable, <paramref name="environment"/>.</summary>
    /// <exception cref="CommandLineException">An unknown option, a flag without its value, a value its reader refuses, a required option missing.</exception>
    public ParseResult Parse(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string>? environment = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var texts = new Dictionary<Option, ParseResult.Given>();
        foreach (var option in _options)
        {
            if (option.Variable is { } variable && environment is not null && environment.TryGetValue(variable, out var value))
            {
                texts[option] = new ParseResult.Given(value, variable, IsDefault: false);
            }
        }

        for (var i = 0; i < arguments.Count; i++)
        {
            var argument = arguments[i];
            if (argument is "-h" or "--help")
            {
                return new ParseResult([], helpRequested: true);
            }

            if (!argument.StartsWith('-'))
            {
                throw new CommandLineException($"unexpected argument '{argument}'");
            }

            var (flag, value) = argument.Split('=', 2) is [var f, var v] ? (f, (string?)v) : (argument, null);
            var option = Find(flag) ?? throw new CommandLineException($"unknown option '{argument}'");
            value ??= option.IsSwitch ? option.SwitchValue
                : i + 1 < arguments.Count ? arguments[++i] : throw new CommandLineException($"{flag} needs a value");
            texts[option] = new ParseResult.Given(value, flag, IsDefault: false);
        }

        var given = new Dictionary<Option, ParseResult.Given>();
        foreach (var option in _options)
        {
            if (texts.TryGetValue(option, out var text))
            {
                given[option] = text with { Value = Read(option, ((string)text.Value!).Trim(), text.Source) };
            }
            else if (option.Required)
            {
                throw new CommandLineException($"{option.Flag} is required");
            }
            else if (option.Default is { } fallback)
            {
                given[option] = new ParseResult.Given(Read(option, fallback, "default of " + option.Flag), "default of " + option.Flag, IsDefault: true);
            }
        }

        return new ParseResult(given, helpRequested: false);
    }

    /// <summary>The help: usage, summary, one line per option (flag, variable, meaning, default), footer.</summary>
    public string Help()
    {
        const string HelpFlag = "-h, --help";
        var flagWidth = HelpFlag.Length;
        var variableWidth = 0;
        foreach (var option in _options)
        {
            flagWidth = Math.Max(flagWidth, Shown(option).Length);
            variableWidth = Math.Max(variableWidth, option.Variable?.Length ?? 0);
        }

        flagWidth += 2;
        variableWidth += variableWidth > 0 ? 2 : 0;
        var text = new StringBuilder().Append(usage).Append('\n').Append(summary).Append("\n\n");
        foreach (var option in _options)
        {
            text.Append("  ").Append(Shown(option).PadRight(flagWidth)).Append((option.Variable ?? "").PadRight(variableWidth)).Append(option.Help);
            text.Append(option.Required ? " (required)" : option.Default is { Length: > 0 } fallback ? $" (default: {fallback})" : "");
            text.Append('\n');
        }

        text.Append("  ").Append(HelpFlag.PadRight(flagWidth + variableWidth)).Append("show this help\n");
        if (Footer.Length > 0)
        {
            text.Append('\n').Append(Footer.TrimEnd('\n')).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The flag as the help shows it: with its value's name, unless it is a switch.</summary>
    private static string Shown(Option option) => option.IsSwitch ? option.Flag : $"{option.Flag} {option.ValueName}";

    private Option? Find(string flag)
    {
        foreach (var option in _options)
        {
            if (option.Flag == flag)
            {
                return option;
            }
        }

        return null;
    }

    private bool Declares(Option option)
    {
        foreach (var declared in _options)
        {
            if (declared.Flag == option.Flag || (option.Variable is not null && declared.Variable == option.Variable))
            {
                return true;
            }
        }

        return false;
    }

    private static object? Read(Option option, string text, string source)
    {
        try
        {
            return option.Read(text);
        }
        catch (InvalidValueException error)
        {
            throw new CommandLineException($"{source}: '{text}' {error.Message}");
        }
    }
}
