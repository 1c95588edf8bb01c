using System.Diagnostics;
using Sluice.Kube.Models;

namespace Sluice.Kube.Client;

/// <summary>
/// Keeps a collection in step with the API server as client-go's reflector does: one list, then
/// watches, each resumed from the last resource version seen (an event's object or a bookmark).
/// A watch the server ends (it does every half hour or so) or whose connection breaks, or one that
/// could not be opened for want of an answer, is opened again from that version: a steady agent
/// makes one list and holds one watch per resource, and never lists periodically (at 5,000 nodes a
/// node list is megabytes the API server must encode for every agent). It lists again only when
/// the server says the version is gone (410), or after a failure a resumed watch would meet again
/// (an event it cannot decode, a refusal).
/// </summary>
public sealed class ListWatch<T>
{
    private static readonly TimeSpan Pause = TimeSpan.FromSeconds(1);

    private readonly Func<CancellationToken, Task<KubeList<T>>> _list;
    private readonly Func<string, CancellationToken, IAsyncEnumerable<WatchEvent<T>>> _watch;
    private readonly Func<T, string?> _resourceVersion;
    private int _lists;
    private int _watches;

    /// <param name="list">Lists the collection.</param>
    /// <param name="watch">Watches it from a resource version.</param>
    /// <param name="resourceVersion">An object's metadata.resourceVersion (a bookmark's object carries only that).</param>
    public ListWatch(
        Func<CancellationToken, Task<KubeList<T>>> list,
        Func<string, CancellationToken, IAsyncEnumerable<WatchEvent<T>>> watch,
        Func<T, string?> resourceVersion)
    {
        _list = list;
        _watch = watch;
        _resourceVersion = resourceVersion;
    }

    /// <summary>What is kept, for messages ("nodes", "pod cache").</summary>
    public required string What { get; init; }

    /// <summary>Called with every list (the whole collection as it is now).</summary>
    public required Action<KubeList<T>> Listed { get; init; }

    /// <summary>Called with every ADDED, MODIFIED and DELETED event (bookmarks only move the version).</summary>
    public required Action<WatchEvent<T>> Changed { get; init; }

    /// <summary>Failures, one line each.</summary>
    public required Action<string> Warn { get; init; }

    /// <summary>Lists and watches made, for the debug log.</summary>
    public Action<string>? Debug { get; init; }

    /// <summary>Lists made so far.</summary>
    public int Lists => Volatile.Read(ref _lists);

    /// <summary>Watches opened (or tried) so far.</summary>
    public int Watches => Volatile.Read(ref _watches);

    public async Task RunAsync(CancellationToken stop)
    {
        string? version = null;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                version ??= await ListAsync(stop).ConfigureAwait(false);

                Interlocked.Increment(ref _watches);
                var opened = Stopwatch.StartNew();
                var events = 0;
                await foreach (var change in _watch(version, stop).ConfigureAwait(false))
                {
                    events++;
                    if (_resourceVersion(change.Object) is { Length: > 0 } seen)
                    {
                        version = seen;
                    }

                    if (!change.IsBookmark)
                    {
                        Changed(change);
                    }
                }

                Debug?.Invoke($"{What}: the server ended the watch; watching again from version {version}");

                // A server that ends every watch at once is not hammered.
                if (events == 0 && opened.Elapsed < Pause)
                {
                    await PauseAsync(stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (KubeApiException error) when (error.IsGone)
            {
                Warn($"{What}: {error.Message}; listing again");
                version = null;
            }
            catch (KubeApiException error) when (version is not null && WatchAgain(error))
            {
                Warn($"{What}: {error.Message}; watching again from version {version} in 1 s");
                await PauseAsync(stop).ConfigureAwait(false);
            }
            catch (Exception error) when (error is KubeApiException or HttpRequestException or IOException or System.Text.Json.JsonException)
            {
                Warn($"{What}: {error.Message}; listing again in 1 s");
                version = null;
                await PauseAsync(stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// One list, handed to <see cref="Listed"/>; returns its version. A method of its own so that
    /// nothing of the list outlives it (in the loop's state it would stay reachable while the
    /// watch runs: at 5,000 nodes, tens of MB).
    /// </summary>
    private async Task<string> ListAsync(CancellationToken stop)
    {
        Interlocked.Increment(ref _lists);
        var list = await _list(stop).ConfigureAwait(false);
        Listed(list);
        Debug?.Invoke($"{What}: {list.Items.Count} listed at version {list.ResourceVersion}");
        return list.ResourceVersion;
    }

    /// <summary>Waits a second; a stop ends the wait (and then the loop) without an exception.</summary>
    private static async Task PauseAsync(CancellationToken stop)
    {
        try
        {
            await Task.Delay(Pause, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    /// <summary>No answer (a timeout, a refused or broken connection) or 429: the version still holds, so the watch resumes from it.</summary>
    private static bool WatchAgain(KubeApiException error) => error.StatusCode is null or 429 && !error.IsMalformedAnswer;
}
