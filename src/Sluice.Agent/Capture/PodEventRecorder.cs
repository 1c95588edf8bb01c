using System.Globalization;
using System.Threading.Channels;
using Sluice.Kube.Client;
using Sluice.Kube.Models;

namespace Sluice.Agent.Capture;

/// <summary>
/// Records Kubernetes Events on pods (what <c>kubectl describe pod</c> shows) from a bounded
/// queue on its own task, so the reconciler never waits for the API server: when it is slow or
/// unreachable, events wait or are dropped (counted), and repairs go on.
/// </summary>
public sealed class PodEventRecorder : IDisposable
{
    private const int QueueLimit = 256;

    private readonly Channel<KubeEvent> _queue = Channel.CreateBounded<KubeEvent>(new BoundedChannelOptions(QueueLimit) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });
    private readonly KubeClient _client;
    private readonly string _node;
    private readonly CaptureMetrics _metrics;
    private readonly AgentLog _log;
    private readonly Task _sender;

    public PodEventRecorder(KubeClient client, string node, CaptureMetrics metrics, AgentLog log)
    {
        _client = client;
        _node = node;
        _metrics = metrics;
        _log = log;
        _sender = Task.Run(SendAsync);
    }

    /// <summary>Queues an event about <paramref name="pod"/>; <paramref name="warning"/> for type Warning.</summary>
    public void Record(Pod pod, string reason, string message, bool warning)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var now = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        var kubeEvent = new KubeEvent
        {
            Metadata = new ObjectMeta
            {
                Name = $"{pod.Metadata.Name}.{DateTime.UtcNow.Ticks:x}{Random.Shared.Next(0x1000):x3}",
                Namespace = pod.Metadata.Namespace,
            },
            InvolvedObject = new ObjectReference { ApiVersion = "v1", Kind = "Pod", Namespace = pod.Metadata.Namespace, Name = pod.Metadata.Name, Uid = pod.Metadata.Uid },
            Reason = reason,
            Message = message.Length <= 1024 ? message : message[..1021] + "...",
            Type = warning ? "Warning" : "Normal",
            Source = new EventSource { Component = AgentProgram.Name, Host = _node },
            FirstTimestamp = now,
            LastTimestamp = now,
            ReportingComponent = AgentProgram.Name,
            ReportingInstance = _node,
        };
        if (!_queue.Writer.TryWrite(kubeEvent))
        {
            _metrics.CountEventFailed();
        }
    }

    public void Dispose()
    {
        _queue.Writer.TryComplete();
        _sender.Wait(TimeSpan.FromSeconds(2));
    }

    private async Task SendAsync()
    {
        await foreach (var kubeEvent in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                await _client.CreateEventAsync(kubeEvent).ConfigureAwait(false);
            }
            catch (KubeApiException error)
            {
                _metrics.CountEventFailed();
                _log.Debug($"event {kubeEvent.Reason} on pod {kubeEvent.InvolvedObject.Namespace}/{kubeEvent.InvolvedObject.Name} not recorded: {error.Message}");
            }
        }
    }
}
