using Sluice.Host;

// The agent and the tools; the per-pod plugins are executables of their own (Sluice.Bridge.Host,
// Sluice.Redirect.Host), so none of this code is mapped or initialised at a pod's ADD.
return Multicall.Run(Environment.GetCommandLineArgs(), new Dictionary<string, Func<string[], int>>(StringComparer.Ordinal)
{
    [Sluice.CaptureTool.SluiceIptables.Name] = Sluice.CaptureTool.SluiceIptables.Main,
    [Sluice.Agent.AgentProgram.Name] = Sluice.Agent.AgentProgram.Main,
    [Sluice.KubeTool.SluiceKube.Name] = Sluice.KubeTool.SluiceKube.Main,
});
