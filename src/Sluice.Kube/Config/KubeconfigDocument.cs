using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sluice.Kube.Config;

/// <summary>
/// Reads kubeconfig text with YamlDotNet's parser into its representation model: block and flow
/// style, quoted and block scalars, comments, anchors and aliases, and JSON (a JSON document is
/// YAML too). No reflection: nothing is deserialized into objects; the resolver walks the nodes.
/// </summary>
internal static class KubeconfigDocument
{
    /// <summary>The root node; an empty document is an empty mapping.</summary>
    /// <param name="source">"kubeconfig /path", the start of every message.</param>
    /// <exception cref="KubeConfigException">The text is not YAML; the message names the file and the line.</exception>
    public static YamlNode Read(string text, string source)
    {
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text), skipComments: true);
        try
        {
            stream.Load(new DepthLimitedParser(new Parser(scanner), source));
        }
        catch (YamlException error)
        {
            throw new KubeConfigException($"{source}: line {error.Start.Line}: not valid YAML or JSON: {OneLine(error.Message)}", error);
        }
        catch (InvalidOperationException error)
        {
            // YamlDotNet's scanner throws this, without a position, when the text ends inside a flow collection.
            throw new KubeConfigException($"{source}: line {scanner.CurrentPosition.Line}: not valid YAML or JSON: the text ends inside a [list] or {{mapping}}", error);
        }
        catch (ArgumentException error)
        {
            // YamlDotNet's representation model throws this when the parser hands it an event where
            // a node belongs (found by fuzzing: an empty key in a flow mapping of a broken block).
            throw new KubeConfigException($"{source}: line {scanner.CurrentPosition.Line}: not valid YAML or JSON: a node is missing or malformed", error);
        }

        return stream.Documents.Count switch
        {
            0 => new YamlMappingNode(),
            1 => stream.Documents[0].RootNode,
            _ => throw new KubeConfigException($"{source}: line {stream.Documents[1].RootNode.Start.Line}: a second YAML document; a kubeconfig holds one"),
        };
    }

    private static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
