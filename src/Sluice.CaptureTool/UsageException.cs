namespace Sluice.CaptureTool;

/// <summary>A command line that cannot be run as given (exit status 2); the message says why.</summary>
public sealed class UsageException(string message) : Exception(message);
