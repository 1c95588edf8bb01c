namespace Sluice.CommandLine;

/// <summary>A command line or setting that cannot be used; the message is one line naming the option as it was given (flag or variable) and the value.</summary>
public sealed class CommandLineException(string message) : Exception(message);
