using Sluice.Cni.Logging;

namespace Sluice.Cni.Plugin;

/// <summary>
/// For DEL and GC, which keep going past failures: runs each step, remembers what failed, and
/// at the end reports every failure in one CNI error (with the code of the first CNI error).
/// </summary>
public sealed class ErrorList(CniLog log)
{
    private readonly List<(string What, Exception Error)> _errors = [];

    public int Count => _errors.Count;

    /// <summary>Runs <paramref name="step"/>; a failure is logged and kept, never thrown here. Whether it succeeded.</summary>
    public bool Run(string what, Action step)
    {
        ArgumentNullException.ThrowIfNull(step);
        try
        {
            step();
            return true;
        }
        catch (Exception error)
        {
            log.Warn($"{what} failed: {error.Message}");
            _errors.Add((what, error));
            return false;
        }
    }

    /// <summary>Throws one CNI error naming every failed step, if any failed.</summary>
    public void ThrowIfAny(Func<Exception, CniException?>? translate = null)
    {
        if (_errors.Count == 0)
        {
            return;
        }

        var first = _errors.Select(e => e.Error as CniException ?? translate?.Invoke(e.Error)).FirstOrDefault(e => e is not null);
        var message = string.Join("; ", _errors.Select(e => $"{e.What}: {e.Error.Message}"));
        throw new CniException(first?.Code ?? CniErrorCode.Internal, message, first?.Details);
    }
}
