using Sluice.CommandLine;
using Sluice.Kube.Client;

namespace Sluice.KubeTool;

/// <summary>What <c>sluice-kube get-pod</c> was asked for: the pod, the kubeconfig, the time bounds.</summary>
internal sealed record PodRequest(string Kubeconfig, string Namespace, string Pod, KubeClientOptions Options)
{
    public const string CommandName = "get-pod";

    /// <summary>The options of get-pod (instances, not statics: built only when the command runs).</summary>
    internal sealed class Line
    {
        public readonly Command Command = new(
            "Usage: sluice-kube get-pod --kubeconfig FILE --namespace NS --pod NAME [OPTION]...",
            "Read one pod from the Kubernetes API server and print it as JSON on standard output.")
        {
            Footer = "Exit status: 0 the pod is printed, 1 the lookup failed (why is on standard error), 2 bad usage.",
        };

        public readonly Option<string> Kubeconfig;
        public readonly Option<string> Namespace;
        public readonly Option<string> Pod;
        public readonly Option<TimeSpan> RequestTimeout;
        public readonly Option<int> Attempts;
        public readonly Option<TimeSpan> TotalTimeout;

        public Line()
        {
            var defaults = new KubeClientOptions();
            Kubeconfig = Command.Add(new Option<string>("--kubeconfig", Values.NonEmpty, "the kubeconfig naming the server and the credentials") { Required = true, ValueName = "FILE" });
            Namespace = Command.Add(new Option<string>("--namespace", Values.NonEmpty, "the pod's namespace") { Required = true, ValueName = "NS" });
            Pod = Command.Add(new Option<string>("--pod", Values.NonEmpty, "the pod's name") { Required = true, ValueName = "NAME" });
            RequestTimeout = Command.Add(new Option<TimeSpan>("--request-timeout-ms", Values.Milliseconds, "time allowed for one request") { Default = Ms(defaults.RequestTimeout), ValueName = "N" });
            Attempts = Command.Add(new Option<int>("--attempts", Values.PositiveInteger, "requests before giving up") { Default = Text(defaults.MaxAttempts), ValueName = "N" });
            TotalTimeout = Command.Add(new Option<TimeSpan>("--total-timeout-ms", Values.Milliseconds, "time allowed for all of them") { Default = "8000", ValueName = "N" });
        }

        private static string Ms(TimeSpan span) => ((long)span.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);

        private static string Text(int count) => count.ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The request, or null when the help was asked for.</summary>
    /// <exception cref="CommandLineException">The command line is not a complete get-pod (the message says what is wrong).</exception>
    public static PodRequest? Parse(IReadOnlyList<string> arguments, Line line)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(line);
        if (arguments is not [CommandName, ..])
        {
            throw new CommandLineException(arguments.Count == 0 ? $"no command (the one command is {CommandName})" : $"unknown command '{arguments[0]}' (the one command is {CommandName})");
        }

        var given = line.Command.Parse(arguments.Skip(1).ToList());
        if (given.HelpRequested)
        {
            return null;
        }

        return new PodRequest(
            given.Get(line.Kubeconfig),
            given.Get(line.Namespace),
            given.Get(line.Pod),
            new KubeClientOptions
            {
                RequestTimeout = given.Get(line.RequestTimeout),
                MaxAttempts = given.Get(line.Attempts),
                TotalTimeout = given.Get(line.TotalTimeout),
            });
    }
}
