using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Sluice.Agent;

/// <summary>Source-generated JSON metadata for everything the agent reads and writes.</summary>
[JsonSerializable(typeof(JsonNode))]
[JsonSerializable(typeof(JsonObject))]
internal sealed partial class AgentJsonContext : JsonSerializerContext;
