namespace Sluice.Demo;

/// <summary>A step whose outcome was not what the demo shows: it stops the demo with exit 1.</summary>
internal sealed class DemoFailure(string message) : Exception(message);
