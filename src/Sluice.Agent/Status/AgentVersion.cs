using System.Reflection;

namespace Sluice.Agent.Status;

/// <summary>This build's version (the informational version: the release and the commit it was built from).</summary>
public static class AgentVersion
{
    public static string Text { get; } =
        typeof(AgentVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
}
