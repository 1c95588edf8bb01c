namespace Sluice.Cni;

/// <summary>The <c>CNI_*</c> variables of one invocation, validated for its command.</summary>
public sealed record CniEnvironment
{
    public const string CommandVariable = "CNI_COMMAND";
    public const string ContainerIdVariable = "CNI_CONTAINERID";
    public const string NetNsVariable = "CNI_NETNS";
    public const string IfNameVariable = "CNI_IFNAME";
    public const string ArgsVariable = "CNI_ARGS";
    public const string PathVariable = "CNI_PATH";

    public required CniCommand Command { get; init; }

    public string ContainerId { get; init; } = "";

    /// <summary>The network namespace path; empty on a DEL after the sandbox is gone.</summary>
    public string NetNs { get; init; } = "";

    public string IfName { get; init; } = "";

    public CniArgs Args { get; init; } = CniArgs.Empty;

    public IReadOnlyList<string> Path { get; init; } = [];

    public static CniEnvironment Parse(Func<string, string?> getenv)
    {
        ArgumentNullException.ThrowIfNull(getenv);
        var command = ParseCommand(getenv(CommandVariable));
        var required = RequiredFor(command);
        var missing = required.Where(name => string.IsNullOrEmpty(getenv(name))).ToList();
        if (missing.Count > 0)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"required environment variable{(missing.Count > 1 ? "s" : "")} missing for {CommandName(command)}: {string.Join(", ", missing)}");
        }

        var containerId = getenv(ContainerIdVariable) ?? "";
        if (containerId.Length > 0 && CniNames.ContainerIdProblem(containerId) is { } idProblem)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_CONTAINERID '{containerId}' is invalid: it {idProblem}");
        }

        var ifName = getenv(IfNameVariable) ?? "";
        if (required.Contains(IfNameVariable) && CniNames.InterfaceNameProblem(ifName) is { } problem)
        {
            throw new CniException(
                CniErrorCode.InvalidEnvironmentVariables,
                $"CNI_IFNAME '{ifName}' is invalid: it {problem}");
        }

        return new CniEnvironment
        {
            Command = command,
            ContainerId = containerId,
            NetNs = getenv(NetNsVariable) ?? "",
            IfName = ifName,
            Args = CniArgs.Parse(getenv(ArgsVariable)),
            Path = SplitPath(getenv(PathVariable)),
        };
    }

    /// <summary>The command's wire name. (A switch, not Enum.ToString: that needs reflection metadata at startup.)</summary>
    public static string CommandName(CniCommand command) => command switch
    {
        CniCommand.Add => "ADD",
        CniCommand.Del => "DEL",
        CniCommand.Check => "CHECK",
        CniCommand.Status => "STATUS",
        CniCommand.Gc => "GC",
        _ => "VERSION",
    };

    private static CniCommand ParseCommand(string? value) => value switch
    {
        "ADD" => CniCommand.Add,
        "DEL" => CniCommand.Del,
        "CHECK" => CniCommand.Check,
        "STATUS" => CniCommand.Status,
        "GC" => CniCommand.Gc,
        "VERSION" => CniCommand.Version,
        null or "" => throw new CniException(
            CniErrorCode.InvalidEnvironmentVariables, "required environment variable missing: CNI_COMMAND"),
        _ => throw new CniException(
            CniErrorCode.InvalidEnvironmentVariables,
            $"CNI_COMMAND '{value}' is not one of ADD, DEL, CHECK, STATUS, GC, VERSION"),
    };

    private static string[] RequiredFor(CniCommand command) => command switch
    {
        CniCommand.Add or CniCommand.Check => [ContainerIdVariable, NetNsVariable, IfNameVariable],
        CniCommand.Del => [ContainerIdVariable, IfNameVariable],
        CniCommand.Gc => [PathVariable],
        _ => [],
    };

    private static string[] SplitPath(string? value) =>
        string.IsNullOrEmpty(value) ? [] : value.Split(':', StringSplitOptions.RemoveEmptyEntries);
}
