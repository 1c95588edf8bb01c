namespace Sluice.Runtime.Tests.Lab;

/// <summary>
/// containerd's config.toml for a private instance: every path under <paramref name="Dir"/>, the
/// CRI plugin on, and the settings this kind of machine needs (docs/runtime.md explains each).
/// </summary>
internal sealed record ContainerdConfig(string Dir, string BinDir, string ConfDir, string Snapshotter)
{
    public string Socket => Path.Combine(Dir, "containerd.sock");

    public string Root => Path.Combine(Dir, "root");

    public string State => Path.Combine(Dir, "state");

    public string RuncRoot => Path.Combine(Dir, "runc");

    /// <summary>host:port of containerd's Prometheus metrics, with gRPC handling-time histograms (null: none).</summary>
    public string? MetricsAddress { get; init; }

    public string Write(string path)
    {
        File.WriteAllText(path, $$"""
            version = 2
            root = "{{Root}}"
            state = "{{State}}"
            # Snapshotters this machine cannot use, and the OpenTelemetry exporter: skipped, not probed.
            disabled_plugins = [
              "io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs",
              "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper",
              "io.containerd.tracing.processor.v1.otlp",
            ]

            [grpc]
              address = "{{Socket}}"
            [ttrpc]
              address = "{{Socket}}.ttrpc"
            {{Metrics()}}

            [plugins."io.containerd.internal.v1.opt"]
              path = "{{Path.Combine(Dir, "opt")}}"

            [plugins."io.containerd.grpc.v1.cri"]
              sandbox_image = "{{PauseImage.Reference}}"
              # The streaming server (exec, attach) on the node's loopback, any free port.
              stream_server_address = "127.0.0.1"
              stream_server_port = "0"
              # No CAP_SYS_RESOURCE here: the sandbox's oom_score_adj (-998) cannot go below ours.
              restrict_oom_score_adj = true
              # Pod netns bind mounts under our state dir, not the host's /var/run/netns.
              netns_mounts_under_state_dir = true
              disable_apparmor = true
              [plugins."io.containerd.grpc.v1.cri".containerd]
                snapshotter = "{{Snapshotter}}"
                default_runtime_name = "runc"
                [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
                  runtime_type = "io.containerd.runc.v2"
                  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
                    Root = "{{RuncRoot}}"
              [plugins."io.containerd.grpc.v1.cri".cni]
                bin_dir = "{{BinDir}}"
                conf_dir = "{{ConfDir}}"
                max_conf_num = 1
            """);
        return path;
    }

    private string Metrics() => MetricsAddress is null ? "" : $"""
        [metrics]
          address = "{MetricsAddress}"
          grpc_histogram = true
        """;
}
