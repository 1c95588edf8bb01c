{{/* The name of every object: the release name, or release-chart when it does not contain the chart's name. */}}
{{- define "sluice.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Selects the agent's pods. */}}
{{- define "sluice.selectorLabels" -}}
app.kubernetes.io/name: sluice-agent
app.kubernetes.io/instance: {{ .Release.Name }}
{{- end -}}

{{- define "sluice.labels" -}}
{{ include "sluice.selectorLabels" . }}
app.kubernetes.io/part-of: sluice
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "sluice.image" -}}
{{ .Values.hub }}/sluice:{{ .Values.tag | default .Chart.AppVersion }}
{{- end -}}

{{/* Where the agent's container sees the node's CNI directories (hostPath mounts). */}}
{{- define "sluice.cniBinMount" -}}/host/opt/cni/bin{{- end -}}
{{- define "sluice.cniConfMount" -}}/host/etc/cni/net.d{{- end -}}

{{/*
The sluice-redirect entry the agent inserts (PLUGIN_CONFIG), as JSON. The kubeconfig and
socket are the ones the agent keeps in runDir; the plugins log at the agent's level, except
that info becomes warn (they run once per pod).
*/}}
{{- define "sluice.pluginEntry" -}}
{{- $runDir := .Values.agent.runDir -}}
{{- $kubernetes := dict "kubeconfig" (printf "%s/sluice-kubeconfig" $runDir) "agentSocket" (printf "%s/pods.sock" $runDir) "excludeNamespaces" (.Values.excludeNamespaces | default list) -}}
{{- $entry := dict "type" "sluice-redirect" "profile" .Values.profile "backend" .Values.backend "failurePolicy" .Values.failurePolicy "runtimeLoopback" .Values.runtimeLoopback "kubernetes" $kubernetes -}}
{{- $_ := set $entry "logLevel" (eq .Values.logLevel "info" | ternary "warn" .Values.logLevel) -}}
{{- if .Values.capture -}}
{{- $_ := set $entry "capture" .Values.capture -}}
{{- end -}}
{{- if .Values.selector -}}
{{- $_ := set $entry "selector" .Values.selector -}}
{{- end -}}
{{- toPrettyJson $entry -}}
{{- end -}}

{{/* The cluster's pod CIDR(s) for primary-network mode, comma-separated; required there. */}}
{{- define "sluice.clusterCidr" -}}
{{- $cidrs := join "," .Values.primaryNetwork.clusterCidrs -}}
{{- required "primaryNetwork.clusterCidrs must name the cluster's pod CIDR(s) when primaryNetwork.enabled is true (e.g. --set primaryNetwork.clusterCidrs={10.244.0.0/16})" $cidrs -}}
{{- end -}}
