using System.Buffers;
using System.Text.Json;
using Sluice.Cni.Json;

namespace Sluice.Redirect;

/// <summary>
/// What sluice-redirect saw at a sandbox's ADD, for sluice-agent to find the pod's network
/// namespace later: the container ID, the netns path the runtime gave, and the pod's namespace,
/// name and (when the runtime sends K8S_POD_UID) UID. A small JSON object; every field bounded.
/// </summary>
public sealed record SandboxRecord(string ContainerId, string NetNs, string Namespace, string Name, string? Uid)
{
    /// <summary>Larger files are not records (a record is a few hundred bytes).</summary>
    public const int MaxBytes = 8192;

    private const int MaxContainerId = 200;

    /// <summary>When the record was written (its file's modification time; not part of the JSON).</summary>
    public DateTime Written { get; init; }

    /// <summary>Whether <paramref name="containerId"/> may name a record file: the CNI identifier rule, and short enough for a file name.</summary>
    public static bool IsValidContainerId(string? containerId) =>
        containerId is { Length: <= MaxContainerId } && Sluice.Cni.CniNames.IsValidIdentifier(containerId);

    public byte[] ToJson()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        // The lazy encoder: JavaScriptEncoder.Default's tables cost more to build than the record (docs/benchmarks.md).
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = LazyDefaultEncoder.Instance }))
        {
            writer.WriteStartObject();
            writer.WriteString("containerId", ContainerId);
            writer.WriteString("netns", NetNs);
            writer.WriteString("namespace", Namespace);
            writer.WriteString("name", Name);
            if (Uid is not null)
            {
                writer.WriteString("uid", Uid);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The record in <paramref name="json"/>, or null (with the reason) when it is not one: wrong shape, a relative netns path, an invalid container ID.</summary>
    public static SandboxRecord? Parse(ReadOnlySpan<byte> json, out string? problem)
    {
        problem = null;
        if (json.Length > MaxBytes)
        {
            problem = $"longer than {MaxBytes} bytes";
            return null;
        }

        try
        {
            var reader = new Utf8JsonReader(json);
            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "not a JSON object";
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var key = reader.GetString()!;
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    fields[key] = reader.GetString()!;
                }
                else
                {
                    reader.Skip();
                }
            }

            string Field(string key) => fields.TryGetValue(key, out var value) && value.Length > 0 ? value : throw new FormatException($"no \"{key}\"");
            var record = new SandboxRecord(Field("containerId"), Field("netns"), Field("namespace"), Field("name"), fields.GetValueOrDefault("uid"));
            problem = !IsValidContainerId(record.ContainerId) ? $"container ID '{record.ContainerId}' is not a CNI identifier"
                : !record.NetNs.StartsWith('/') ? $"netns '{record.NetNs}' is not an absolute path"
                : null;
            return problem is null ? record : null;
        }
        catch (Exception error) when (error is JsonException or FormatException)
        {
            problem = error is FormatException ? error.Message : "not valid JSON";
            return null;
        }
    }
}
