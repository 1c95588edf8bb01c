namespace Sluice.Ipam.Store;

/// <summary>
/// A record name that would leave the store's directory (a <c>/</c>, <c>.</c> or <c>..</c> in text
/// that came from an attachment). Nothing is read or written under such a name. An I/O failure
/// like any other, so GC reports it with the rest and goes on.
/// </summary>
public sealed class StorePathException(string directory, string name)
    : IOException($"refusing the record name '{name}': it would name a file outside the store {directory}");
