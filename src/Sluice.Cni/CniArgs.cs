namespace Sluice.Cni;

/// <summary>
/// <c>CNI_ARGS</c>: <c>K=V;K2=V2</c> pairs. Keys a plugin does not know are an error unless
/// the runtime sent <c>IgnoreUnknown=1</c> (or <c>true</c>).
/// </summary>
public sealed class CniArgs
{
    public const string IgnoreUnknownKey = "IgnoreUnknown";
    public const string PodNamespace = "K8S_POD_NAMESPACE";
    public const string PodName = "K8S_POD_NAME";
    public const string PodInfraContainerId = "K8S_POD_INFRA_CONTAINER_ID";
    public const string PodUid = "K8S_POD_UID";

    /// <summary>The keys Kubernetes runtimes send to every plugin.</summary>
    public static IReadOnlyList<string> KubernetesKeys { get; } = [PodNamespace, PodName, PodInfraContainerId, PodUid];

    private readonly List<KeyValuePair<string, string>> _pairs;

    private CniArgs(List<KeyValuePair<string, string>> pairs) => _pairs = pairs;

    public static CniArgs Empty { get; } = new([]);

    public IReadOnlyList<KeyValuePair<string, string>> Pairs => _pairs;

    public bool IgnoreUnknown =>
        Get(IgnoreUnknownKey) is { } value &&
        (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    public string? Get(string key)
    {
        foreach (var pair in _pairs)
        {
            if (pair.Key == key)
            {
                return pair.Value;
            }
        }

        return null;
    }

    public static CniArgs Parse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return Empty;
        }

        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var item in text.Split(';'))
        {
            if (item.Length == 0)
            {
                continue;
            }

            var equals = item.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || item.IndexOf('=', equals + 1) >= 0)
            {
                throw new CniException(
                    CniErrorCode.InvalidEnvironmentVariables,
                    $"CNI_ARGS: invalid pair '{item}' (expected KEY=VALUE)");
            }

            pairs.Add(new(item[..equals], item[(equals + 1)..]));
        }

        return new CniArgs(pairs);
    }

    /// <summary>Fails with code 4 naming every key outside <paramref name="knownKeys"/>, unless IgnoreUnknown is set.</summary>
    public void RequireKnownKeys(IReadOnlyCollection<string> knownKeys)
    {
        if (IgnoreUnknown)
        {
            return;
        }

        var unknown = _pairs
            .Select(pair => pair.Key)
            .Where(key => key != IgnoreUnknownKey && !knownKeys.Contains(key))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (unknown.Count > 0)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_ARGS: unknown key{(unknown.Count > 1 ? "s" : "")} {string.Join(", ", unknown)} " +
                "(set IgnoreUnknown=1 to ignore keys this plugin does not use)");
        }
    }

    public override string ToString() => string.Join(';', _pairs.Select(pair => $"{pair.Key}={pair.Value}"));
}
