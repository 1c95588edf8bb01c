namespace Sluice.TestSupport;

/// <summary>The chart's agent DaemonSet as the API server serves it after a rollout (the fields the uninstall reads and patches, and the server-set ones around them).</summary>
public static class SampleDaemonSets
{
    public static string Agent(string ns, string name, long generation, int nodes) => $$"""
        {
          "kind": "DaemonSet",
          "apiVersion": "apps/v1",
          "metadata": {
            "name": "{{name}}",
            "namespace": "{{ns}}",
            "uid": "0c9e2f1a-7d3b-4e8a-9f61-2b5c4d7e8a90",
            "resourceVersion": "73120",
            "generation": {{generation}},
            "creationTimestamp": "2026-11-28T10:02:11Z",
            "labels": {"app.kubernetes.io/name": "sluice-agent", "app.kubernetes.io/instance": "sluice", "app.kubernetes.io/managed-by": "Helm"},
            "annotations": {"deprecated.daemonset.template.generation": "{{generation}}", "meta.helm.sh/release-name": "sluice", "meta.helm.sh/release-namespace": "{{ns}}"}
          },
          "spec": {
            "selector": {"matchLabels": {"app.kubernetes.io/name": "sluice-agent", "app.kubernetes.io/instance": "sluice"} },
            "template": {
              "metadata": {"labels": {"app.kubernetes.io/name": "sluice-agent", "app.kubernetes.io/instance": "sluice"} },
              "spec": {
                "containers": [
                  {"name": "sluice-agent", "image": "localhost:5000/sluice:0.1.0",
                   "env": [{"name": "CNI_BIN_DIR", "value": "/host/opt/cni/bin"}, {"name": "HEALTH_PORT", "value": "9870"}],
                   "readinessProbe": {"httpGet": {"path": "/readyz", "port": "health", "scheme": "HTTP"}, "periodSeconds": 5},
                   "securityContext": {"privileged": true} }
                ],
                "hostNetwork": true,
                "serviceAccountName": "{{name}}"
              }
            },
            "updateStrategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 1, "maxSurge": 0} },
            "revisionHistoryLimit": 10
          },
          "status": {"currentNumberScheduled": {{nodes}}, "numberMisscheduled": 0, "desiredNumberScheduled": {{nodes}}, "numberReady": {{nodes}}, "observedGeneration": {{generation}}, "updatedNumberScheduled": {{nodes}}, "numberAvailable": {{nodes}} }
        }
        """;
}
