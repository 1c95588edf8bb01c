using System.Text;
using System.Text.Json.Nodes;

namespace Sluice.Reliability.Tests.Lab;

/// <summary>
/// Turns a valid configuration and environment into a broken one, reproducibly from a seed:
/// keys dropped, duplicated or retyped, values of the wrong JSON type, huge, deep or full of
/// unusual Unicode, bad versions, truncated text, random bytes, missing or garbage CNI_* variables.
/// Keys naming paths on the host (the IPAM store, the kubeconfig, the sockets) are never touched,
/// so a mutated call cannot write outside the test's directory or reach the host's agent.
/// </summary>
internal sealed class Mutator(int seed)
{
    private static readonly string[] Protected = ["dataDir", "kubeconfig", "agentSocket", "logSocket", "logFile"];

    private static readonly string[] Versions = ["", "0.1.0", "0.2.0", "0.3.0", "0.3.1", "0.4.0", "1.0.0", "1.1.0", "1.2.0", "9.9.9", "1.0", "v1.0.0", "1.1.0-rc1", " 1.0.0", "1.0.0\n", "0.4.0.0", "-1"];

    private static readonly string[] Strings = [
        "", " ", "a", "sluice0", "eth0", "lo", "..", "/", "../../../x", "a/b", "x:y", "name with spaces", "tab\there", "new\nline",
        "é", "\u00e9\u0301", "\u202egnp.exe", "\u200b", "\ud83d\ude00\ud83d\ude00", "\ufeff", "\u0000", "\uffff", "%s%n", "${HOME}", "\"quoted\"", "\\",
        "0.0.0.0/0", "10.52.0.0/33", "::/0", "fd52::/129", "10.52.0.300", "999.1.1.1/24", "10.52.0.5", "fd52::5", "10.1.0.0/16", "1.2.3.4/32",
        "dual", "ipv9", "nftables", "iptables", "auto", "none", "REDIRECT", "TPROXY", "DIVERT", "*", "80,443,http", "1-", "65536", "0-0", "-1",
        "true", "false", "null", "NaN", "1e999", "sluice-bridge", "sluice-ipam", "host-local", "sluice-redirect", "static",
    ];

    private static readonly string[] Commands = ["ADD", "DEL", "CHECK", "STATUS", "GC", "VERSION", "add", "ADD ", "", "FOO", "DELETE", "VERSION\n", "A\u00c9"];

    private static readonly string[] EnvGarbage = [
        "", " ", "x", ".", "..", "a/b", "eth0:1", "eth 0", "sixteen_chars_xx", "\u00e9\u00e9\u00e9", "\ud83d\ude00", "-", "--help", "1", "${X}",
        "/nonexistent/netns", "/", "/dev/null", "/proc/self/fd/0", "netns", "relative/path", "IgnoreUnknown=1", "=", ";;;", "K8S_POD_NAME", "a=b=c",
        "IgnoreUnknown=1;IP=10.52.0.300", "IgnoreUnknown=1;IP=10.99.0.5", "IgnoreUnknown=1;MAC=zz:zz", "IgnoreUnknown=true;X=Y", "UNKNOWN=1",
        "IgnoreUnknown=1;K8S_POD_NAMESPACE=shop;K8S_POD_NAME=reviews", "IgnoreUnknown=1;K8S_POD_NAMESPACE=;K8S_POD_NAME=", "/usr/bin:/nonexistent", "::::",
    ];

    private readonly Random _random = new(seed);

    /// <summary>A short description of the mutations applied last (for failure messages).</summary>
    public List<string> Applied { get; } = [];

    public int Next(int max) => _random.Next(max);

    public T Pick<T>(IReadOnlyList<T> items) => items[_random.Next(items.Count)];

    /// <summary>
    /// The configuration's bytes after one to three mutations. A result that still parses but
    /// has lost or changed a protected path (say the ipam section without its dataDir, which
    /// would send the store to /var/lib/cni/networks) is drawn again.
    /// </summary>
    public byte[] MutateConfig(string json)
    {
        var keep = ProtectedValues(JsonNode.Parse(json)!);
        for (var attempt = 0; ; attempt++)
        {
            var bytes = MutateOnce(json);
            if (attempt == 20 || KeepsProtectedValues(bytes, keep))
            {
                return attempt == 20 ? Encoding.UTF8.GetBytes(json[..(json.Length / 2)]) : bytes;
            }
        }
    }

    private static List<(string[] Path, string Value)> ProtectedValues(JsonNode root)
    {
        var found = new List<(string[], string)>();
        void Walk(JsonNode? node, string[] path)
        {
            if (node is JsonObject obj)
            {
                foreach (var (key, value) in obj)
                {
                    if (Protected.Contains(key))
                    {
                        found.Add(([.. path, key], value!.GetValue<string>()));
                    }
                    else
                    {
                        Walk(value, [.. path, key]);
                    }
                }
            }
        }

        Walk(root, []);
        return found;
    }

    /// <summary>
    /// Whether each protected value is still what the plugin would read: read like System.Text.Json
    /// deserializes (a repeated key's last value wins), so a duplicated "ipam" is judged too.
    /// </summary>
    private static bool KeepsProtectedValues(byte[] bytes, List<(string[] Path, string Value)> keep)
    {
        try
        {
            using var document = System.Text.Json.JsonDocument.Parse(bytes);
            foreach (var (path, value) in keep)
            {
                System.Text.Json.JsonElement? parent = document.RootElement;
                foreach (var key in path[..^1])
                {
                    parent = Last(parent, key);
                }

                if (parent is { ValueKind: System.Text.Json.JsonValueKind.Object } && Last(parent, path[^1])?.ToString() != value)
                {
                    return false;
                }
            }

            return true;
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or InvalidOperationException)
        {
            // Not JSON, not UTF-8, or deeper than any parser here allows: rejected before any path is used.
            return true;
        }
    }

    private static System.Text.Json.JsonElement? Last(System.Text.Json.JsonElement? element, string key)
    {
        System.Text.Json.JsonElement? found = null;
        if (element is { ValueKind: System.Text.Json.JsonValueKind.Object } obj)
        {
            foreach (var property in obj.EnumerateObject())
            {
                found = property.Name == key ? property.Value : found;
            }
        }

        return found;
    }

    private byte[] MutateOnce(string json)
    {
        Applied.Clear();
        var text = json;
        var operations = 1 + _random.Next(3);
        for (var i = 0; i < operations; i++)
        {
            var op = _random.Next(100);
            text = op switch
            {
                < 18 => OnTree(text, DropKey),
                < 36 => OnTree(text, Retype),
                < 46 => OnTree(text, BadVersion),
                < 56 => DuplicateKey(text),
                < 64 => OnTree(text, Huge),
                < 72 => OnTree(text, Unicode),
                < 78 => Deep(text),
                < 86 => Truncate(text),
                _ => text,
            };
            if (op >= 86)
            {
                Applied.Add("random bytes");
                return RandomBytes(text);
            }
        }

        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>The environment after zero to two mutations (none half of the time).</summary>
    public Dictionary<string, string> MutateEnvironment(Dictionary<string, string> env)
    {
        var result = new Dictionary<string, string>(env, StringComparer.Ordinal);
        if (_random.Next(2) == 0)
        {
            return result;
        }

        string[] keys = ["CNI_COMMAND", "CNI_CONTAINERID", "CNI_NETNS", "CNI_IFNAME", "CNI_ARGS", "CNI_PATH"];
        for (var i = 0; i < 1 + _random.Next(2); i++)
        {
            var key = Pick(keys);
            switch (_random.Next(4))
            {
                case 0:
                    result.Remove(key);
                    Applied.Add($"env -{key}");
                    break;
                case 1 when key == "CNI_COMMAND":
                    result[key] = Pick(Commands);
                    Applied.Add($"env {key}={result[key]}");
                    break;
                case 2:
                    result[key] = new string('x', 20_000 + _random.Next(40_000));
                    Applied.Add($"env {key}=long");
                    break;
                default:
                    result[key] = Pick(EnvGarbage);
                    Applied.Add($"env {key}={result[key]}");
                    break;
            }
        }

        return result;
    }

    private static string OnTree(string text, Func<JsonNode, JsonNode> mutate)
    {
        // JsonNode parses lazily: a duplicated key (an earlier mutation) throws only when the object is walked.
        try
        {
            return JsonNode.Parse(text) is { } root ? mutate(root).ToJsonString() : text;
        }
        catch (Exception error) when (error is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            return text;
        }
    }

    /// <summary>Every property of every object (path, parent, key), protected keys left out.</summary>
    private static List<(JsonObject Parent, string Key)> Properties(JsonNode root)
    {
        var found = new List<(JsonObject, string)>();
        void Walk(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    foreach (var (key, value) in obj.ToList())
                    {
                        if (!Protected.Contains(key))
                        {
                            found.Add((obj, key));
                            Walk(value);
                        }
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Walk(item);
                    }

                    break;
            }
        }

        Walk(root);
        return found;
    }

    private JsonNode DropKey(JsonNode root)
    {
        var properties = Properties(root);
        if (properties.Count > 0)
        {
            var (parent, key) = Pick(properties);
            parent.Remove(key);
            Applied.Add($"drop {key}");
        }

        return root;
    }

    private JsonNode Retype(JsonNode root)
    {
        var properties = Properties(root);
        if (properties.Count > 0)
        {
            var (parent, key) = Pick(properties);
            parent[key] = RandomValue();
            Applied.Add($"retype {key}={parent[key]?.ToJsonString() ?? "null"}");
        }

        return root;
    }

    private JsonNode BadVersion(JsonNode root)
    {
        if (root is JsonObject obj)
        {
            obj["cniVersion"] = _random.Next(5) == 0 ? RandomValue() : Pick(Versions);
            Applied.Add($"cniVersion={obj["cniVersion"]?.ToJsonString() ?? "null"}");
        }

        return root;
    }

    private JsonNode Huge(JsonNode root)
    {
        var properties = Properties(root);
        if (properties.Count > 0)
        {
            var (parent, key) = Pick(properties);
            parent[key] = _random.Next(4) switch
            {
                0 => JsonValue.Create(new string('x', 100_000 + _random.Next(200_000))),
                1 => JsonValue.Create(_random.Next(2) == 0 ? long.MaxValue : long.MinValue),
                2 => JsonValue.Create(1e300 * (_random.Next(2) == 0 ? 1 : -1)),
                _ => new JsonArray([.. Enumerable.Range(0, 20_000).Select(i => (JsonNode?)JsonValue.Create(i))]),
            };
            Applied.Add($"huge {key}");
        }

        return root;
    }

    private JsonNode Unicode(JsonNode root)
    {
        var properties = Properties(root);
        if (properties.Count > 0)
        {
            var (parent, key) = Pick(properties);
            var junk = string.Concat(Enumerable.Range(0, 1 + _random.Next(4)).Select(_ => Pick(Strings)));
            parent[key] = JsonValue.Create(junk);
            Applied.Add($"unicode {key}");
        }

        return root;
    }

    private JsonNode? RandomValue() => _random.Next(9) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => JsonValue.Create(_random.Next(-70000, 70000)),
        3 => JsonValue.Create(_random.NextDouble() * 1e6),
        4 => new JsonArray(),
        5 => new JsonObject(),
        6 => new JsonArray(JsonValue.Create(Pick(Strings)), JsonValue.Create(_random.Next())),
        7 => new JsonObject { ["type"] = Pick(Strings), ["subnet"] = Pick(Strings) },
        _ => JsonValue.Create(Pick(Strings)),
    };

    /// <summary>A key repeated with another value, at the text level (a JSON tree cannot hold two).</summary>
    private string DuplicateKey(string text)
    {
        var keys = System.Text.RegularExpressions.Regex.Matches(text, "\"([A-Za-z0-9_.]+)\"\\s*:")
            .Where(m => !Protected.Contains(m.Groups[1].Value)).ToList();
        if (keys.Count == 0)
        {
            return text;
        }

        var match = Pick(keys);
        var value = RandomValue()?.ToJsonString() ?? "null";
        Applied.Add($"duplicate {match.Groups[1].Value}={value}");
        return _random.Next(2) == 0
            ? text.Insert(match.Index, $"\"{match.Groups[1].Value}\":{value},")
            : text.Insert(BeforeLastBrace(text), $",\"{match.Groups[1].Value}\":{value}");
    }

    /// <summary>Where a key can go at the end of the top-level object (the end of the text when a truncation took its brace).</summary>
    private static int BeforeLastBrace(string text) => text.LastIndexOf('}') is var brace and >= 0 ? brace : text.Length;

    private string Deep(string text)
    {
        var depth = 50 + _random.Next(20_000);
        var open = _random.Next(2) == 0 ? "[" : "{\"a\":";
        var nested = string.Concat(Enumerable.Repeat(open, depth)) + "1" + string.Concat(Enumerable.Repeat(open == "[" ? "]" : "}", depth));
        Applied.Add($"deep {depth}");
        return text.Insert(BeforeLastBrace(text), $",\"deep\":{nested}");
    }

    /// <summary>Cut at a random point, outside the protected keys' text (a cut path would point elsewhere on the host).</summary>
    private string Truncate(string text)
    {
        var cut = SafePosition(text);
        Applied.Add($"truncate at {cut}");
        return text[..cut];
    }

    /// <summary>A span of random bytes (often not UTF-8) written over the text, outside the protected keys' text.</summary>
    private byte[] RandomBytes(string text)
    {
        if (_random.Next(10) == 0)
        {
            var bytes = new byte[_random.Next(1, 4096)];
            _random.NextBytes(bytes);
            return bytes;
        }

        var position = SafePosition(text);
        var junk = new byte[1 + _random.Next(16)];
        _random.NextBytes(junk);
        return [.. Encoding.UTF8.GetBytes(text[..position]), .. junk, .. Encoding.UTF8.GetBytes(text[position..])];
    }

    private int SafePosition(string text)
    {
        var spans = Protected.SelectMany(key => System.Text.RegularExpressions.Regex.Matches(text, $"\"{key}\"\\s*:\\s*\"[^\"]*\"").Select(m => (m.Index, End: m.Index + m.Length))).ToList();
        for (var attempt = 0; attempt < 20; attempt++)
        {
            var position = _random.Next(text.Length);
            if (!spans.Any(s => position > s.Index && position < s.End))
            {
                return position;
            }
        }

        return 0;
    }
}
