using Sluice.Capture;
using Sluice.Capture.Policy;
using Sluice.Linux;
using Sluice.Linux.Iptables;
using Sluice.Linux.Namespaces;

namespace Sluice.CaptureTool;

/// <summary>sluice-iptables: apply, dry-run, verify or clean up a capture policy from the command line.</summary>
public static class SluiceIptables
{
    public const string Name = "sluice-iptables";

    public static int Main(string[] arguments) => Run(arguments, Console.Out, Console.Error, Environment.GetEnvironmentVariable);

    /// <summary>The policy a command line asks for, validated, without touching anything (the fuzzer's way in); a bad one throws what <see cref="Main"/> reports with exit 2.</summary>
    public static CapturePolicy ParsePolicy(IReadOnlyList<string> arguments)
    {
        var command = CaptureCommandLine.Parse(arguments);
        command.ApplyEnvironment(_ => null);
        return command.BuildPolicy();
    }

    internal static int Run(IReadOnlyList<string> arguments, TextWriter output, TextWriter errors, Func<string, string?>? getEnv = null)
    {
        CaptureCommand command;
        CapturePolicy policy;
        try
        {
            command = CaptureCommandLine.Parse(arguments);
            command.ApplyEnvironment(getEnv ?? (_ => null));
            if (command.Help)
            {
                output.Write(HelpText.For(Name));
                return 0;
            }

            policy = command.BuildPolicy();
        }
        catch (Exception error) when (error is UsageException or PolicyException)
        {
            errors.WriteLine($"{Name}: {error.Message}");
            errors.WriteLine($"Try '{Name} --help' for more information.");
            return 2;
        }

        try
        {
            if (command.Action == CaptureAction.DryRun && command.Netns is null && command.Backend != CaptureBackendKind.Auto)
            {
                output.Write(CaptureEngine.Render(policy, command.Backend));
                return 0;
            }

            using var ns = command.Netns is null ? null : OpenNetns(command.Netns);
            var where = ns?.Description ?? "this netns";
            CaptureEngine engine;
            try
            {
                engine = CaptureEngine.Open(ns, command.Backend, command.Variant, command.VariantFrom);
            }
            catch (LinuxException error) when (command.Action == CaptureAction.DryRun && error.Is(Linux.Interop.Errno.EPERM))
            {
                output.Write($"# backend auto: the kernel cannot be asked without CAP_NET_ADMIN; showing nftables\n{CaptureEngine.Render(policy, CaptureBackendKind.Nftables)}");
                return 0;
            }

            using (engine)
            {
                return Act(command, policy, engine, where, output);
            }
        }
        catch (PolicyException error)
        {
            errors.WriteLine($"{Name}: {error.Message}");
            return 2;
        }
        catch (Exception error) when (error is LinuxException or IptablesException or CaptureInstallException)
        {
            errors.WriteLine($"{Name}: {error.Message}");
            return 1;
        }
        catch (Exception error)
        {
            // Unexpected: still one line an operator can act on, never a stack trace.
            errors.WriteLine($"{Name}: {error.GetType().Name}: {error.Message}");
            return 1;
        }
    }

    /// <summary>The --netns path, refused (exit 2) when it is not a network namespace.</summary>
    private static NetNs OpenNetns(string path)
    {
        try
        {
            return NetNs.Open(path);
        }
        catch (NotANetworkNamespaceException error)
        {
            throw new PolicyException("--netns", path, $"is not a network namespace: it is {error.Kind}");
        }
    }

    private static int Act(CaptureCommand command, CapturePolicy policy, CaptureEngine engine, string where, TextWriter output)
    {
        switch (command.Action)
        {
            case CaptureAction.DryRun:
                output.Write($"# backend {engine.Backend} ({engine.Reason})\n{engine.Render(policy)}");
                return 0;
            case CaptureAction.Verify or CaptureAction.Validate:
                var problems = engine.Verify(policy);
                if (problems.Count == 0)
                {
                    output.WriteLine($"{Name}: capture in place in {where} ({engine.Backend})");
                    return 0;
                }

                output.WriteLine($"{Name}: capture in {where} differs from the policy ({engine.Backend}):");
                foreach (var problem in problems)
                {
                    output.WriteLine($"  {problem}");
                }

                return command.Action == CaptureAction.Validate ? CaptureOptions.ValidationExitCode : 3;
            case CaptureAction.Cleanup:
                var removed = engine.Remove(policy);
                output.WriteLine(removed.Count == 0
                    ? $"{Name}: no capture rules in {where}"
                    : $"{Name}: removed capture rules from {where}: {string.Join(", ", removed)}");
                return 0;
            default:
                var outcome = engine.Apply(policy);
                output.WriteLine($"{Name}: capture {(outcome.Changed ? "applied" : "already in place")} in {where} with {outcome.Backend} ({outcome.Reason}): {policy}");
                if (outcome.Cleared.Count > 0)
                {
                    output.WriteLine($"{Name}: cleared earlier capture rules from {string.Join(", ", outcome.Cleared)}");
                }

                return 0;
        }
    }
}
