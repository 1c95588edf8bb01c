using System.Runtime.CompilerServices;
using Sluice.Capture.Policy;
using Sluice.Capture.Rules;

namespace Sluice.Capture;

/// <summary>
/// What a policy compiles to, kept per policy object: sluice-agent checks the same pods' policies
/// every period and compiles each once. Policies are immutable records, so an object's compiled
/// forms never change; an entry goes when its policy is collected. A plugin, one call per
/// process, compiles once as before. One entry holds every form, so one lookup finds them all.
/// </summary>
internal static class CompiledPolicies
{
    private static readonly ConditionalWeakTable<CapturePolicy, CompiledCapture> ByPolicy = new();

    public static CompiledCapture Of(CapturePolicy policy) => ByPolicy.GetValue(policy, p => new CompiledCapture(CaptureCompiler.Compile(p)));
}
