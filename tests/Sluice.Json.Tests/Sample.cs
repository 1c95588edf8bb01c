using System.Text.Json;
using Sluice.Json;

namespace Sluice.Json.Tests;

/// <summary>An object type of every kind of key the codecs offer, for the shape tests.</summary>
internal sealed class Sample
{
    public static JsonShape<Sample> Shape { get; } = Declare(KeyMatch.IgnoreCase);

    public static JsonShape<Sample> ExactShape { get; } = Declare(KeyMatch.Exact);

    public string? Name { get; set; }

    public int? Count { get; set; }

    public long? Big { get; set; }

    public bool? Flag { get; set; }

    public List<string>? Tags { get; set; }

    public Dictionary<string, string>? Labels { get; set; }

    public Dictionary<string, bool>? Switches { get; set; }

    public string? Ports { get; set; }

    public JsonElement? Anything { get; set; }

    public ReadOnlyMemory<byte>? Bytes { get; set; }

    public Sample? Child { get; set; }

    public List<Sample>? Children { get; set; }

    private static JsonShape<Sample> Declare(KeyMatch match)
    {
        var shape = new JsonShape<Sample>(() => new Sample(), match);
        return shape
            .Text("name", s => s.Name, (s, v) => s.Name = v)
            .Alias("nom", "name")
            .Int32("count", s => s.Count, (s, v) => s.Count = v)
            .Int64("big", s => s.Big, (s, v) => s.Big = v)
            .Boolean("flag", s => s.Flag, (s, v) => s.Flag = v)
            .TextList("tags", s => s.Tags, (s, v) => s.Tags = v)
            .TextMap("labels", s => s.Labels, (s, v) => s.Labels = v)
            .Field("switches", JsonCodecs.BooleanMap, s => s.Switches, (s, v) => s.Switches = v)
            .Field("ports", JsonCodecs.TextOrList, s => s.Ports, (s, v) => s.Ports = v)
            .Field("anything", JsonCodecs.Raw, s => s.Anything, (s, v) => s.Anything = v)
            .Field("bytes", JsonCodecs.RawBytes, s => s.Bytes, (s, v) => s.Bytes = v)
            .Object("child", shape, s => s.Child, (s, v) => s.Child = v)
            .List("children", shape, s => s.Children, (s, v) => s.Children = v);
    }
}
