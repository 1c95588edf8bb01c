using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Sluice.Kube.Config;

/// <summary>
/// YamlDotNet's parser with a cap on how deep mappings and sequences nest. The representation
/// model builds nodes recursively, so without a cap a few thousand nested <c>{</c>, <c>[</c> or
/// <c>- </c> (two bytes a level) overflow the stack and end the process, which no catch can stop
/// (found by fuzzing). A kubeconfig nests five levels; the cap is far above that.
/// </summary>
internal sealed class DepthLimitedParser(IParser inner, string source) : IParser
{
    /// <summary>The deepest nesting accepted.</summary>
    public const int MaxDepth = 64;

    private int _depth;

    public ParsingEvent? Current => inner.Current;

    public bool MoveNext()
    {
        if (!inner.MoveNext())
        {
            return false;
        }

        if (inner.Current is MappingStart or SequenceStart && ++_depth > MaxDepth)
        {
            throw new KubeConfigException($"{source}: line {inner.Current.Start.Line}: not valid as a kubeconfig: mappings and lists nest more than {MaxDepth} levels deep");
        }

        if (inner.Current is MappingEnd or SequenceEnd)
        {
            _depth--;
        }

        return true;
    }
}
