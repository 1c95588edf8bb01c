using Sluice.Kube.Config;
using Sluice.Kube.Errors;

namespace Sluice.Kube.Client;

/// <summary>
/// The credentials for each request. A token file is read again whenever its modification time
/// or size changes (kubelet rotates projected service account tokens by swapping the file; one
/// stat per request), and wins over an inline token as in kubectl, which falls back to the inline
/// one when the file cannot be read. Without either, the exec plugin's credential (cached until it
/// expires, <see cref="ExecCredentialCache"/>) gives the token, a client certificate, or both.
/// </summary>
internal sealed class BearerTokenSource
{
    private readonly string? _inline;
    private readonly string? _file;
    private readonly ExecCredentialSettings? _exec;
    private readonly string _source;
    private readonly Lock _lock = new();
    private (DateTime Modified, long Length) _seen;
    private string? _cached;

    public BearerTokenSource(KubeConfig config)
    {
        _inline = config.Token;
        _file = config.TokenFile;
        _exec = config.Exec;
        _source = config.Source;
    }

    /// <summary>The current token, or null when the configuration has none.</summary>
    public string? Current() => ForRequest().Token;

    /// <summary>The token to send, and the plugin's credential it came from (to forget when the server refuses it).</summary>
    /// <exception cref="KubeConfigException">The token file cannot be read, or the plugin gave no usable credential.</exception>
    public (string? Token, ExecCredential? Plugin) ForRequest()
    {
        if (_file is not null)
        {
            return (ReadFile(), null);
        }

        if (_inline is not null || _exec is null)
        {
            return (_inline, null);
        }

        var credential = ExecCredentialCache.Get(_exec, $"{_source}: exec credential plugin");
        return (credential.Token, credential);
    }

    /// <summary>After a 401: the plugin's credential is dropped, so the next request runs the plugin again. False when there was none to drop.</summary>
    public bool Refused(ExecCredential? plugin)
    {
        if (_exec is null || plugin is null)
        {
            return false;
        }

        ExecCredentialCache.Forget(_exec, plugin);
        return true;
    }

    private string? ReadFile()
    {
        try
        {
            var info = new FileInfo(_file!);
            var stamp = (info.LastWriteTimeUtc, info.Length);
            lock (_lock)
            {
                if (_cached is null || stamp != _seen)
                {
                    _cached = KubeFile.ReadText(_file!).Trim();
                    _seen = stamp;
                }

                return _cached;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return _inline ?? throw new KubeConfigException($"{_source}: token file {_file} cannot be read: {ErrorWords.FileProblem(e)}", e);
        }
    }
}
