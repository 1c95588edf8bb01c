namespace Sluice.CommandLine;

/// <summary>Thrown by a value reader: the text is not a value of the option. The message says why, after the value (<c>is not a port (0-65535)</c>).</summary>
public sealed class InvalidValueException(string why) : Exception(why);
