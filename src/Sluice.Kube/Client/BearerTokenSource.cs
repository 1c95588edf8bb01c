using Sluice.Kube.Config;
using Sluice.Kube.Errors;

namespace Sluice.Kube.Client;

/// <summary>
/// The bearer token for each request: an inline token, or a token file that is read again
/// whenever its modification time or size changes (kubelet rotates projected service
/// account tokens by swapping the file). Checking costs one stat per request.
/// </summary>
internal sealed class BearerTokenSource
{
    private readonly string? _inline;
    private readonly string? _file;
    private readonly string _source;
    private readonly Lock _lock = new();
    private (DateTime Modified, long Length) _seen;
    private string? _cached;

    public BearerTokenSource(KubeConfig config)
    {
        _inline = config.Token;
        _file = config.TokenFile;
        _source = config.Source;
    }

    /// <summary>The current token, or null when the configuration has none.</summary>
    public string? Current()
    {
        if (_inline is not null || _file is null)
        {
            return _inline;
        }

        try
        {
            var info = new FileInfo(_file);
            var stamp = (info.LastWriteTimeUtc, info.Length);
            lock (_lock)
            {
                if (_cached is null || stamp != _seen)
                {
                    _cached = File.ReadAllText(_file).Trim();
                    _seen = stamp;
                }

                return _cached;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KubeConfigException($"{_source}: token file {_file} cannot be read: {ErrorWords.FileProblem(e)}", e);
        }
    }
}
