namespace Sluice.Redirect;

/// <summary>
/// The settings sluice-redirect derives from one entry of a CNI configuration, read exactly as
/// the plugin reads its stdin: for sluice-agent, which must decide about pods as the plugin does.
/// </summary>
public static class RedirectEntry
{
    /// <exception cref="Sluice.Cni.CniException">The entry is not a valid sluice-redirect configuration (the message names the field).</exception>
    public static RedirectSettings Settings(ReadOnlyMemory<byte> entryJson, string what) =>
        RedirectSettings.From(RedirectConfigReader.Read(entryJson, what));
}
