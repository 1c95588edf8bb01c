using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Linux.Iptables;

namespace Sluice.CaptureTool;

/// <summary>What the command line asks for: an action, where, with which backend, and the policy's edits.</summary>
internal sealed class CaptureCommand
{
    private readonly List<Func<CapturePolicy, CapturePolicy>> _edits = [];
    private readonly Dictionary<string, string> _settingNames = new(StringComparer.Ordinal);

    public CaptureAction Action { get; set; } = CaptureAction.Apply;

    public bool Help { get; set; }

    public string Profile { get; set; } = "generic";

    public CaptureBackendKind Backend { get; set; } = CaptureBackendKind.Auto;

    /// <summary>The environment variable that forces the iptables variant when no flag does.</summary>
    public const string VariantEnvironment = "SLUICE_IPTABLES_VARIANT";

    public IptablesVariant? Variant { get; set; }

    public string? VariantFrom { get; set; }

    /// <summary>Takes the iptables variant from <see cref="VariantEnvironment"/> when no flag gave one.</summary>
    public void ApplyEnvironment(Func<string, string?> getEnv)
    {
        if (Variant is null && getEnv(VariantEnvironment) is { Length: > 0 } value)
        {
            Variant = IptablesDetector.Parse(value.Trim()) ?? throw new PolicyException(VariantEnvironment, value, "is not an iptables variant (legacy or nft)");
            VariantFrom = $"environment variable {VariantEnvironment}";
        }
    }

    public string? Netns { get; set; }

    public bool UidGiven { get; set; }

    public bool GidGiven { get; set; }

    /// <summary>Records a change to the policy, and the flag (as typed) that names its setting in errors.</summary>
    public void Edit(string setting, string typed, Func<CapturePolicy, CapturePolicy> edit)
    {
        _settingNames[setting] = typed;
        _edits.Add(edit);
    }

    /// <summary>The profile with every edit applied in order, validated (errors name the flag).</summary>
    public CapturePolicy BuildPolicy()
    {
        var start = CapturePresets.Find(Profile) ?? throw new PolicyException(SettingName("profile"), Profile, $"is not a profile ({string.Join(", ", CapturePresets.Names)})");
        var policy = _edits.Aggregate(start, (current, edit) => edit(current));
        if (UidGiven && !GidGiven && start.ProxyGid is not null && start.ProxyGid == start.ProxyUid)
        {
            // As istio-iptables: the GID defaults to the UID.
            policy = policy with { ProxyGid = policy.ProxyUid };
        }

        policy.Validate(SettingName);
        return policy;
    }

    /// <summary>The flag as typed when the user gave it, else the flag that sets it, else the setting's own name.</summary>
    public string SettingName(string setting) =>
        _settingNames.TryGetValue(setting, out var typed) ? typed : CaptureOptions.FlagFor(setting) ?? setting;
}

/// <summary>What the tool does.</summary>
internal enum CaptureAction
{
    Apply,
    DryRun,
    Verify,
    Validate,
    Cleanup,
}
