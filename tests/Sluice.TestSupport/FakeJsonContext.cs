using System.Text.Json.Serialization;

namespace Sluice.TestSupport;

/// <summary>Source-generated JSON for the few values the fake API server writes itself.</summary>
[JsonSerializable(typeof(string))]
internal sealed partial class FakeJsonContext : JsonSerializerContext;
