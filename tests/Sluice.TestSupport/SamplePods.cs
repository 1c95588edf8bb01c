namespace Sluice.TestSupport;

/// <summary>
/// Pods as a real API server serves them once the mesh's injector has run (the fields an
/// injector writes, plus the server-set ones Sluice ignores): an Istio-injected pod, an
/// MSM-enabled pod, a pod the generic profile selects and a plain pod. Shared by the plugin
/// tests, the benchmark and the demo.
/// </summary>
public static class SamplePods
{
    /// <summary>A pod after Istio's sidecar injector: istio-proxy (UID 1337), the status annotation, and no istio-init (the CNI does that job).</summary>
    public static string Istio(string ns, string name, string nodeName = "node-a", string extraAnnotations = "") => $$$"""
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "{{{name}}}",
            "namespace": "{{{ns}}}",
            "uid": "6b1f3c52-{{{Hash(name)}}}-4c1e-9a51-3f2d7c0e8b12",
            "resourceVersion": "91342",
            "creationTimestamp": "2026-11-20T08:15:03Z",
            "labels": {"app": "reviews", "version": "v1", "security.istio.io/tlsMode": "istio", "service.istio.io/canonical-name": "reviews"},
            "annotations": {
              "kubectl.kubernetes.io/default-container": "reviews",
              "prometheus.io/path": "/stats/prometheus",
              "prometheus.io/port": "15020",
              "prometheus.io/scrape": "true",
              "sidecar.istio.io/status": "{\"initContainers\":[\"istio-validation\"],\"containers\":[\"istio-proxy\"],\"volumes\":[\"workload-socket\",\"credential-socket\",\"workload-certs\",\"istio-envoy\",\"istio-data\",\"istio-podinfo\",\"istio-token\",\"istiod-ca-cert\"],\"imagePullSecrets\":null,\"revision\":\"default\"}"{{{extraAnnotations}}}
            }
          },
          "spec": {
            "initContainers": [
              {"name": "istio-validation", "image": "docker.io/istio/proxyv2:1.22.3", "args": ["istio-iptables", "--validation-mode"], "securityContext": {"runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]}}, "resources": {"limits": {"cpu": "2", "memory": "1Gi"} } }
            ],
            "containers": [
              {"name": "reviews", "image": "docker.io/istio/examples-bookinfo-reviews-v1:1.20.1", "ports": [{"containerPort": 9080, "protocol": "TCP"}], "resources": {}, "imagePullPolicy": "IfNotPresent"},
              {"name": "istio-proxy", "image": "docker.io/istio/proxyv2:1.22.3", "args": ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local"],
               "ports": [{"containerPort": 15090, "protocol": "TCP", "name": "http-envoy-prom"}],
               "env": [{"name": "PILOT_CERT_PROVIDER", "value": "istiod"}, {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"} } }, {"name": "ISTIO_META_INTERCEPTION_MODE", "value": "REDIRECT"}],
               "readinessProbe": {"httpGet": {"path": "/healthz/ready", "port": 15021, "scheme": "HTTP"}, "periodSeconds": 15},
               "securityContext": {"runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": true, "readOnlyRootFilesystem": true, "allowPrivilegeEscalation": false, "capabilities": {"drop": ["ALL"]} } }
            ],
            "restartPolicy": "Always",
            "serviceAccountName": "bookinfo-reviews",
            "nodeName": "{{{nodeName}}}"
          },
          "status": {"phase": "Pending", "qosClass": "Burstable"}
        }
        """;

    /// <summary>A pod with MSM's injection label and its RTSP stub container.</summary>
    public static string Msm(string ns, string name, string nodeName = "node-a") => $$$"""
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "{{{name}}}",
            "namespace": "{{{ns}}}",
            "uid": "a41d07e9-{{{Hash(name)}}}-4f0b-8c66-0d2e9b7a5c31",
            "resourceVersion": "91377",
            "creationTimestamp": "2026-11-20T08:16:44Z",
            "labels": {"app": "camera-feed", "sidecar.mediastreamingmesh.io/inject": "true"},
            "annotations": {"kubernetes.io/psp": "restricted"}
          },
          "spec": {
            "containers": [
              {"name": "camera-feed", "image": "example/rtsp-client:2.1", "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {}},
              {"name": "msm-proxy", "image": "ciscolabs/msm-rtsp-stub:latest", "ports": [{"containerPort": 8554, "protocol": "TCP"}], "securityContext": {"runAsUser": 1337}}
            ],
            "restartPolicy": "Always",
            "nodeName": "{{{nodeName}}}"
          },
          "status": {"phase": "Pending", "qosClass": "BestEffort"}
        }
        """;

    /// <summary>A pod the generic profile's default selector (the label <c>sluice.io/capture=true</c>) captures, all outbound traffic to its proxy.</summary>
    public static string Generic(string ns, string name, string nodeName = "node-a") => $$$"""
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "{{{name}}}",
            "namespace": "{{{ns}}}",
            "uid": "5c3a9e07-{{{Hash(name)}}}-4d2b-9f13-7e6a0c4b2d58",
            "resourceVersion": "91422",
            "creationTimestamp": "2026-11-20T08:18:30Z",
            "labels": {"app": "web", "sluice.io/capture": "true"},
            "annotations": {"sluice.io/includeOutboundIPRanges": "*"}
          },
          "spec": {
            "containers": [
              {"name": "web", "image": "nginx:1.27", "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {}},
              {"name": "proxy", "image": "envoyproxy/envoy:v1.31", "securityContext": {"runAsUser": 1337, "runAsGroup": 1337}}
            ],
            "restartPolicy": "Always",
            "nodeName": "{{{nodeName}}}"
          },
          "status": {"phase": "Pending", "qosClass": "BestEffort"}
        }
        """;

    /// <summary>A pod no mesh asked for.</summary>
    public static string Plain(string ns, string name, string nodeName = "node-a") => $$$"""
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "{{{name}}}",
            "namespace": "{{{ns}}}",
            "uid": "0f9e2d11-{{{Hash(name)}}}-46aa-b0d3-5c7e1a2b9f40",
            "resourceVersion": "91401",
            "creationTimestamp": "2026-11-20T08:17:09Z",
            "labels": {"app": "batch-report"}
          },
          "spec": {
            "containers": [{"name": "report", "image": "busybox:1.36", "command": ["sleep", "3600"], "resources": {}}],
            "restartPolicy": "Never",
            "nodeName": "{{{nodeName}}}"
          },
          "status": {"phase": "Pending", "qosClass": "BestEffort"}
        }
        """;

    /// <summary>Four hex digits that depend only on the name, so a pod's UID is the same in every run.</summary>
    private static string Hash(string name) =>
        (name.Aggregate(0x811cu, (hash, c) => (hash * 31) + c) & 0xffff).ToString("x4", System.Globalization.CultureInfo.InvariantCulture);
}
