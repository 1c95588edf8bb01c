using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>
/// The part of a plugin configuration the spec defines. A plugin derives its own configuration
/// from <see cref="PluginConfig"/> (so one parse gives it both) and declares its keys after
/// <see cref="Keys"/>. Keys match without regard to case, as they do in Go's decoder; keys nobody
/// declares are skipped (delegates get the configuration's own bytes, so nothing is lost on the
/// way through a chain).
/// </summary>
public class NetworkConfig
{
    /// <summary>The spec's keys, declared once for every plugin's configuration.</summary>
    public static IReadOnlyList<JsonField<NetworkConfig>> Keys { get; } = new JsonShape<NetworkConfig>(() => new NetworkConfig())
        .Text("cniVersion", c => c.CniVersion, (c, v) => c.CniVersion = v)
        .Text("name", c => c.Name, (c, v) => c.Name = v)
        .Text("type", c => c.Type, (c, v) => c.Type = v)
        .Field("capabilities", JsonCodecs.BooleanMap, c => c.Capabilities, (c, v) => c.Capabilities = v)
        .Boolean("ipMasq", c => c.IpMasq, (c, v) => c.IpMasq = v)
        .Field("ipam", JsonCodecs.RawBytes, c => c.IpamJson, (c, v) => c.IpamJson = v)
        .Object("dns", CniDns.Shape, c => c.Dns, (c, v) => c.Dns = v)
        .Object("runtimeConfig", RuntimeConfig.Shape, c => c.RuntimeConfig, (c, v) => c.RuntimeConfig = v)
        .Object("args", ConfigArgs.Shape, c => c.Args, (c, v) => c.Args = v)
        .Field("prevResult", JsonCodecs.RawBytes, c => c.PrevResultJson, (c, v) => c.PrevResultJson = v)
        .List("cni.dev/valid-attachments", Attachment.Shape, c => c.ValidAttachments, (c, v) => c.ValidAttachments = v)
        .List("cni.dev/attachments", Attachment.Shape, c => c.LegacyAttachments, (c, v) => c.LegacyAttachments = v)
        .Fields;

    public string? CniVersion { get; set; }

    public string? Name { get; set; }

    public string? Type { get; set; }

    public Dictionary<string, bool>? Capabilities { get; set; }

    public bool? IpMasq { get; set; }

    /// <summary>The IPAM section as UTF-8 JSON, kept raw: the IPAM plugin (or a delegate) owns its schema.</summary>
    public ReadOnlyMemory<byte>? IpamJson { get; set; }

    public CniDns? Dns { get; set; }

    public RuntimeConfig? RuntimeConfig { get; set; }

    public ConfigArgs? Args { get; set; }

    /// <summary>The previous plugin's result as UTF-8 JSON (null when absent or JSON null); the dispatcher parses and validates it.</summary>
    public ReadOnlyMemory<byte>? PrevResultJson { get; set; }

    /// <summary>GC input (CNI 1.1): the attachments that are still in use.</summary>
    public List<Attachment>? ValidAttachments { get; set; }

    /// <summary>The key GC input had before CNI 1.1 was final; accepted as well.</summary>
    public List<Attachment>? LegacyAttachments { get; set; }

    /// <summary>The <c>ipam.type</c> value, or null when there is no IPAM section or no type in it.</summary>
    public string? IpamType => IpamJson is { } json ? IpamTypeReader.Read(json) : null;

    /// <summary>The GC valid-attachment set under whichever key the runtime used.</summary>
    public IReadOnlyList<Attachment> GcValidAttachments => ValidAttachments ?? LegacyAttachments ?? [];

    /// <summary>The key <see cref="GcValidAttachments"/> came from, for error messages.</summary>
    public string GcValidAttachmentsKey => ValidAttachments is null && LegacyAttachments is not null ? "cni.dev/attachments" : "cni.dev/valid-attachments";
}
