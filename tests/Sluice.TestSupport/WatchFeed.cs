using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Microsoft.AspNetCore.Http;

namespace Sluice.TestSupport;

/// <summary>
/// The events of one watchable resource in the fake API server: every pushed event is kept
/// with its resource version, so a watch replays what came after the version it asks for
/// and then streams new events as they are pushed (one JSON object per line, chunked).
/// </summary>
internal sealed class WatchFeed
{
    private readonly Lock _lock = new();
    private readonly List<(long Version, string Line, string? NodeName)> _events = [];
    private readonly List<(Channel<string> Channel, string? NodeName)> _watchers = [];

    public int ActiveWatchers
    {
        get
        {
            lock (_lock)
            {
                return _watchers.Count;
            }
        }
    }

    public void Push(long version, string line, string? nodeName)
    {
        lock (_lock)
        {
            _events.Add((version, line, nodeName));
            foreach (var (channel, filter) in _watchers)
            {
                if (filter is null || filter == nodeName)
                {
                    channel.Writer.TryWrite(line);
                }
            }
        }
    }

    /// <summary>Ends every open watch the way the API server ends one at its timeout.</summary>
    public void EndAll()
    {
        lock (_lock)
        {
            foreach (var (channel, _) in _watchers)
            {
                channel.Writer.TryComplete();
            }

            _watchers.Clear();
        }
    }

    public async Task StreamAsync(HttpContext context, string? filter)
    {
        var from = long.TryParse(context.Request.Query["resourceVersion"], NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version : 0;
        var channel = Channel.CreateUnbounded<string>();
        lock (_lock)
        {
            foreach (var (eventVersion, line, nodeName) in _events)
            {
                if (eventVersion > from && (filter is null || filter == nodeName))
                {
                    channel.Writer.TryWrite(line);
                }
            }

            _watchers.Add((channel, filter));
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        try
        {
            // Headers at once, as the API server sends them: a client waits for them before it
            // counts the watch as open, also when no event comes for minutes.
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            await foreach (var line in channel.Reader.ReadAllAsync(context.RequestAborted))
            {
                await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            lock (_lock)
            {
                _watchers.RemoveAll(w => w.Channel == channel);
            }
        }
    }
}
