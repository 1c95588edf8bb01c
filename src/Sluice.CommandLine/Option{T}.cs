namespace Sluice.CommandLine;

/// <summary>An option whose value is a <typeparamref name="T"/>, read from its text by <paramref name="read"/> (see <see cref="Values"/>).</summary>
/// <param name="flag">The flag, <c>--name</c>.</param>
/// <param name="read">Reads the text; throws <see cref="InvalidValueException"/> saying why a text is not a value.</param>
/// <param name="help">What the option means.</param>
public sealed class Option<T>(string flag, Func<string, T> read, string help) : Option(flag, help)
{
    internal override object? Read(string text) => read(text);
}
