using Sluice.Cni.Logging;

namespace Sluice.Cni.Plugin;

/// <summary>
/// Compensations for a multi-step ADD: each step that changes something registers its undo;
/// unless <see cref="Commit"/> is reached, disposing runs them in reverse order, logging (not
/// throwing) their own failures so the original error is the one reported.
/// <code>using var undo = new Rollback(log); … undo.Add("deleting veth", …); … undo.Commit();</code>
/// </summary>
public sealed class Rollback(CniLog log) : IDisposable
{
    private readonly List<(string What, Action Undo)> _steps = [];
    private bool _committed;

    public void Add(string what, Action undo) => _steps.Add((what, undo));

    public void Commit() => _committed = true;

    public void Dispose()
    {
        if (_committed)
        {
            return;
        }

        for (var i = _steps.Count - 1; i >= 0; i--)
        {
            try
            {
                _steps[i].Undo();
                log.Debug($"rolled back: {_steps[i].What}");
            }
            catch (Exception error)
            {
                log.Warn($"rollback step failed ({_steps[i].What}): {error.Message}");
            }
        }

        _steps.Clear();
    }
}
