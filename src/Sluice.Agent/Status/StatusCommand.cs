using System.Text.Json;
using Sluice.Agent.Settings;
using Sluice.CommandLine;

namespace Sluice.Agent.Status;

/// <summary><c>sluice-agent status</c>: gathers <see cref="NodeStatus"/> and prints it for a person or, with <c>--json</c>, for a program.</summary>
public static class StatusCommand
{
    public const int AgentNotAnswering = 3;

    /// <param name="terminal">Whether <paramref name="output"/> is a terminal (colour only then, and never with NO_COLOR).</param>
    public static int Run(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment, TextWriter output, TextWriter errors, bool terminal)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(errors);
        ParseResult line;
        AgentSettings settings;
        try
        {
            line = StatusOptions.Command.Parse(arguments, environment);
            if (line.HelpRequested)
            {
                output.Write(StatusOptions.Command.Help());
                return 0;
            }

            settings = AgentSettings.From(line);
        }
        catch (CommandLineException error)
        {
            errors.WriteLine($"{AgentProgram.Name} status: {Sluice.Cni.Logging.LogText.Escape(error.Message)}");
            return 2;
        }

        var now = DateTimeOffset.UtcNow;
        var status = NodeStatus.Gather(settings, now);
        var colour = terminal && !(environment.TryGetValue("NO_COLOR", out var noColour) && noColour.Length > 0);
        output.Write(line.Get(StatusOptions.Json) ? Json(status) : StatusText.Render(status, colour, now));
        return status.Agent is null ? AgentNotAnswering : status.HasProblem ? 1 : 0;
    }

    public static string Json(NodeStatus status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            NodeStatus.Shape.Write(json, status);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }
}
