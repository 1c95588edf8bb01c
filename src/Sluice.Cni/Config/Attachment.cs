using System.Globalization;
using Sluice.Json;

namespace Sluice.Cni.Config;

/// <summary>One attachment named in GC input: a container ID and interface name pair.</summary>
public sealed record Attachment
{
    public static JsonShape<Attachment> Shape { get; } = new JsonShape<Attachment>(() => new Attachment())
        .Text("containerID", a => a.ContainerId, (a, v) => a.ContainerId = v ?? "")
        .Text("ifname", a => a.IfName, (a, v) => a.IfName = v ?? "");

    public string ContainerId { get; set; } = "";

    public string IfName { get; set; } = "";

    /// <summary>
    /// Fails with error 7 naming the first entry of <paramref name="attachments"/> (under
    /// <paramref name="key"/>) whose container ID or interface name breaks the spec's rules (the
    /// rules <c>CNI_CONTAINERID</c> and <c>CNI_IFNAME</c> follow): plugins name files and
    /// interfaces after them, so they get the same checks as the environment.
    /// </summary>
    public static void RequireValid(IReadOnlyList<Attachment> attachments, string key)
    {
        ArgumentNullException.ThrowIfNull(attachments);
        for (var i = 0; i < attachments.Count; i++)
        {
            var field = $"{key}[{i.ToString(CultureInfo.InvariantCulture)}]";
            var attachment = attachments[i] ?? throw Invalid($"network configuration field '{field}' is null");
            if (!CniNames.IsValidIdentifier(attachment.ContainerId))
            {
                throw Invalid($"network configuration field '{field}.containerID' '{attachment.ContainerId}' is invalid: it must match ^[a-zA-Z0-9][a-zA-Z0-9_.\\-]*$");
            }

            if (CniNames.InterfaceNameProblem(attachment.IfName) is { } problem)
            {
                throw Invalid($"network configuration field '{field}.ifname' '{attachment.IfName}' is invalid: it {problem}");
            }
        }
    }

    private static CniException Invalid(string message) => new(CniErrorCode.InvalidNetworkConfig, message);
}
