using System.Text;
using Sluice.Agent.Settings;
using Sluice.Redirect;

namespace Sluice.Agent.Capture;

/// <summary>
/// The settings sluice-redirect runs with on this node, from the entry the agent installs, read
/// as the plugin reads it: the one place the agent turns its entry into the plugin's settings, so
/// the reconciler decides about every pod exactly as the plugin does.
/// </summary>
public static class PluginEntrySettings
{
    /// <exception cref="Sluice.CommandLine.CommandLineException">The entry is not a valid sluice-redirect configuration.</exception>
    public static RedirectSettings For(AgentSettings settings)
    {
        var entry = PluginEntry.For(settings);
        try
        {
            return RedirectSettings.Read(Encoding.UTF8.GetBytes(entry.ToJsonString()), "the sluice-redirect entry");
        }
        catch (Sluice.Cni.CniException error)
        {
            throw new Sluice.CommandLine.CommandLineException($"{(settings.PluginConfig is null ? "the sluice-redirect entry built from the settings" : "PLUGIN_CONFIG")}: {error.Message}");
        }
    }
}
