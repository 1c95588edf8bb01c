namespace Sluice.Kube.Tests;

/// <summary>Pod and node JSON as a real API server serves them, including fields the models do not know.</summary>
internal static class SampleObjects
{
    public const string Web1Pod = """
        {
          "kind": "Pod",
          "apiVersion": "v1",
          "metadata": {
            "name": "web-1",
            "generateName": "web-",
            "namespace": "default",
            "uid": "0c2a8e7e-5f7a-4a43-9d5e-1b0d1f6c9a11",
            "resourceVersion": "48213",
            "creationTimestamp": "2024-05-02T10:11:12Z",
            "labels": {"app": "web", "pod-template-hash": "6d4cf56db6"},
            "annotations": {"sluice.io/capture": "msm"},
            "ownerReferences": [{"apiVersion": "apps/v1", "kind": "ReplicaSet", "name": "web-6d4cf56db6", "uid": "x", "controller": true, "blockOwnerDeletion": true}],
            "managedFields": [{"manager": "kube-controller-manager", "operation": "Update", "apiVersion": "v1", "time": "2024-05-02T10:11:12Z", "fieldsType": "FieldsV1", "fieldsV1": {"f:metadata": {}}}]
          },
          "spec": {
            "volumes": [{"name": "kube-api-access-abcde", "projected": {"sources": [{"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}], "defaultMode": 420}}],
            "initContainers": [
              {"name": "proxy", "image": "msm/proxy:1.2", "restartPolicy": "Always", "ports": [{"containerPort": 15001, "protocol": "TCP", "name": "outbound"}], "securityContext": {"runAsUser": 1337, "runAsGroup": 1337, "runAsNonRoot": true}, "resources": {}}
            ],
            "containers": [
              {"name": "web", "image": "nginx:1.27", "env": [{"name": "MODE", "value": "prod"}, {"name": "POD_IP", "valueFrom": {"fieldRef": {"fieldPath": "status.podIP"}}}], "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {"limits": {"cpu": "500m"}}, "terminationMessagePath": "/dev/termination-log", "imagePullPolicy": "IfNotPresent"}
            ],
            "restartPolicy": "Always",
            "dnsPolicy": "ClusterFirst",
            "serviceAccountName": "default",
            "nodeName": "node-a",
            "tolerations": [{"key": "node.kubernetes.io/not-ready", "operator": "Exists", "effect": "NoExecute", "tolerationSeconds": 300}]
          },
          "status": {
            "phase": "Running",
            "conditions": [{"type": "Ready", "status": "True", "lastProbeTime": null, "lastTransitionTime": "2024-05-02T10:11:15Z"}],
            "hostIP": "172.18.0.2",
            "podIP": "10.244.1.7",
            "podIPs": [{"ip": "10.244.1.7"}, {"ip": "fd00:10:244:1::7"}],
            "startTime": "2024-05-02T10:11:12Z",
            "qosClass": "Burstable"
          }
        }
        """;

    public static string Node(string name, string resourceVersion, string podCidr) => $$"""
        {
          "kind": "Node",
          "apiVersion": "v1",
          "metadata": {"name": "{{name}}", "uid": "uid-{{name}}", "resourceVersion": "{{resourceVersion}}", "labels": {"kubernetes.io/hostname": "{{name}}"} },
          "spec": {"podCIDR": "{{podCidr}}", "podCIDRs": ["{{podCidr}}"], "providerID": "kind://docker/kind/{{name}}"},
          "status": {
            "capacity": {"cpu": "8", "memory": "16Gi"},
            "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady"}],
            "addresses": [{"type": "InternalIP", "address": "172.18.0.2"}, {"type": "Hostname", "address": "{{name}}"}],
            "nodeInfo": {"kubeletVersion": "v1.30.0"}
          }
        }
        """;

    public static string Pod(string ns, string name, string nodeName) => $$"""
        {"kind": "Pod", "apiVersion": "v1", "metadata": {"name": "{{name}}", "namespace": "{{ns}}", "uid": "uid-{{name}}"}, "spec": {"nodeName": "{{nodeName}}", "containers": [{"name": "app", "image": "busybox"}]}, "status": {"phase": "Pending"} }
        """;
}
