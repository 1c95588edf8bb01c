using System.Text.Json;
using Sluice.Agent.Install;
using Sluice.Agent.Settings;
using Sluice.Json;

namespace Sluice.Agent.Status;

/// <summary>The configuration file the runtime uses (the first in the directory), its plugins, and Sluice's place in it.</summary>
public sealed class ConflistStatus
{
    private const string Bridge = "sluice-bridge";

    public static JsonShape<ConflistStatus> Shape { get; } = new JsonShape<ConflistStatus>(() => new ConflistStatus(), KeyMatch.Exact)
        .Text("path", c => c.Path, (c, v) => c.Path = v)
        .TextList("plugins", c => c.Plugins, (c, v) => c.Plugins = v ?? [])
        .Text("place", c => c.Place, (c, v) => c.Place = v)
        .Text("problem", c => c.Problem, (c, v) => c.Problem = v);

    /// <summary>The file the runtime reads; null when the directory has none.</summary>
    public string? Path { get; set; }

    /// <summary>Its plugins' types, in order.</summary>
    public List<string> Plugins { get; set; } = [];

    /// <summary>Sluice's place in it, in words (<c>chained: sluice-redirect is entry 2 of 2</c>).</summary>
    public string? Place { get; set; }

    public string? Problem { get; set; }

    public static ConflistStatus Read(AgentSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var status = new ConflistStatus { Path = CniConfFiles.Primary(settings.CniConfDir, null) };
        if (status.Path is null)
        {
            status.Problem = $"no CNI configuration in {settings.CniConfDir}: the runtime cannot start pods";
            return status;
        }

        try
        {
            status.Plugins = Types(File.ReadAllBytes(status.Path));
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException or JsonException)
        {
            status.Problem = $"cannot be read as a CNI configuration: {(error is JsonException ? "not valid JSON" : AgentHost.Describe(error))}";
            return status;
        }

        var redirect = status.Plugins.IndexOf(ChainedConfList.PluginType);
        var entry = redirect < 0 ? "" : $"{ChainedConfList.PluginType} is entry {redirect + 1} of {status.Plugins.Count}";
        var name = System.IO.Path.GetFileName(status.Path);
        if (status.Plugins.FirstOrDefault() == Bridge)
        {
            status.Place = $"primary network ({Bridge})" + (redirect < 0 ? "" : "; " + entry);
        }
        else if (redirect >= 0)
        {
            status.Place = (settings.OwnedConflist && name == settings.OwnedConflistName ? "owned copy of the primary's file: " : "chained: ") + entry;
        }
        else if (!settings.Chained && !settings.PrimaryNetwork)
        {
            var own = System.IO.Path.Combine(settings.CniConfDir, settings.OwnConfFileName);
            status.Place = $"not in the runtime's file; Sluice's own file {own} for a meta plugin" + (File.Exists(own) ? "" : " (missing)");
        }

        status.Problem = status.Place is null ? $"{ChainedConfList.PluginType} is not in the file the runtime uses: new pods start without capture" : null;
        return status;
    }

    /// <summary>The plugins' types of a .conflist, or the one plugin of a .conf.</summary>
    private static List<string> Types(byte[] json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("not an object");
        }

        var plugins = root.TryGetProperty("plugins", out var list) && list.ValueKind == JsonValueKind.Array ? list.EnumerateArray().ToList() : [root];
        return plugins.Select(p => p.ValueKind == JsonValueKind.Object && p.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString()! : "?").ToList();
    }
}
