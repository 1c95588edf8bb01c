namespace Sluice.TestSupport;

/// <summary>Builds the CNI_* environment of one plugin call.</summary>
public sealed record CniInvocation(
    string Command,
    string ContainerId = "",
    string NetNs = "",
    string IfName = "eth0",
    string Args = "",
    string Path = "")
{
    public Dictionary<string, string> Environment()
    {
        var env = new Dictionary<string, string> { ["CNI_COMMAND"] = Command };
        void Set(string key, string value)
        {
            if (value.Length > 0)
            {
                env[key] = value;
            }
        }

        Set("CNI_CONTAINERID", ContainerId);
        Set("CNI_NETNS", NetNs);
        Set("CNI_IFNAME", IfName);
        Set("CNI_ARGS", Args);
        Set("CNI_PATH", Path);
        return env;
    }

    public ProcessResult Run(string binary, string config, TimeSpan? timeout = null) =>
        ProcessRunner.Run(binary, Environment(), config, timeout: timeout);
}
