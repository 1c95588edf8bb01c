namespace Sluice.Linux.Iptables;

/// <summary>The rules of an iptables-save dump, by table: chain declarations and <c>-A</c> rules as written.</summary>
public sealed class IptablesSave
{
    private readonly Dictionary<string, List<string>> _rules = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, string>> _chains = new(StringComparer.Ordinal);

    /// <summary>Rules (<c>-A CHAIN …</c> lines) of a table, in order.</summary>
    public IReadOnlyList<string> Rules(string table) => _rules.TryGetValue(table, out var rules) ? rules : [];

    /// <summary>Rules of one chain, without the <c>-A CHAIN </c> prefix.</summary>
    public IReadOnlyList<string> Rules(string table, string chain) =>
        Rules(table).Where(r => r.StartsWith($"-A {chain} ", StringComparison.Ordinal)).Select(r => r[(4 + chain.Length)..]).ToList();

    /// <summary>The chains a table declares (built-in and user chains).</summary>
    public IEnumerable<string> Chains(string table) => _chains.TryGetValue(table, out var chains) ? chains.Keys : [];

    public bool HasChain(string table, string chain) => _chains.TryGetValue(table, out var chains) && chains.ContainsKey(chain);

    /// <summary>The policy of a built-in chain (ACCEPT, DROP) or "-" for user chains; null when absent.</summary>
    public string? Policy(string table, string chain) =>
        _chains.TryGetValue(table, out var chains) && chains.TryGetValue(chain, out var policy) ? policy : null;

    public static IptablesSave Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var save = new IptablesSave();
        string? table = null;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.TrimEnd('\r');
            if (line.StartsWith('*'))
            {
                table = line[1..];
                save._rules[table] = [];
                save._chains[table] = new Dictionary<string, string>(StringComparer.Ordinal);
            }
            else if (table is not null && line.StartsWith(':'))
            {
                var parts = line[1..].Split(' ');
                save._chains[table][parts[0]] = parts.Length > 1 ? parts[1] : "-";
            }
            else if (table is not null && line.StartsWith("-A ", StringComparison.Ordinal))
            {
                save._rules[table].Add(line);
            }
        }

        return save;
    }
}
