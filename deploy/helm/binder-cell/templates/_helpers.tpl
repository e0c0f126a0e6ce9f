{{/* The release's full name, at most 63 characters (a DNS label). */}}
{{- define "binder-cell.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{/* Labels that select the server's pods; the sessions' NetworkPolicy admits only these. */}}
{{- define "binder-cell.selectorLabels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: server
{{- end -}}

{{- define "binder-cell.labels" -}}
{{ include "binder-cell.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- end -}}

{{- define "binder-cell.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "binder-cell.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "binder-cell.secretName" -}}
{{- default (include "binder-cell.fullname" .) .Values.secrets.existingSecret -}}
{{- end -}}

{{/* Where session and build pods run: the Role is made there. */}}
{{- define "binder-cell.sessionNamespace" -}}
{{- default .Release.Namespace .Values.config.kubernetes.namespace -}}
{{- end -}}

{{/* Where build pods run (config.kubernetes.builder.namespace), by default the sessions' namespace. */}}
{{- define "binder-cell.buildNamespace" -}}
{{- $builder := .Values.config.kubernetes.builder | default dict -}}
{{- default (include "binder-cell.sessionNamespace" .) $builder.namespace -}}
{{- end -}}

{{/*
The server's configuration: the values' `config` with the keys that belong to the pod put
over it (`host` is the user's when given: `::` on IPv6 single-stack clusters) (with a registry push Secret, the server asks the registry with the same Secret,
mounted into its pod). API keys and the metrics token are added from the chart's Secret
when the pod starts.
*/}}
{{- define "binder-cell.config" -}}
{{- $_ := required "config.instanceId is required: every replica must share it (without it each replica makes its own, they share no sessions, and a restarted replica never removes the pods of the one before)" .Values.config.instanceId -}}
{{- $pod := dict
  "host" (default "0.0.0.0" .Values.config.host)
  "port" 8080
  "dataDir" "/var/lib/binder-cell"
  "backend" "kubernetes"
  "kubernetes" (dict
    "namespace" (include "binder-cell.sessionNamespace" .)
    "networkPolicy" (dict
      "serverPodLabels" (include "binder-cell.selectorLabels" . | fromYaml)
      "serverNamespace" .Release.Namespace))
-}}
{{- if .Values.config.kubernetes.registry.pushSecret }}
{{- $_ := set $pod.kubernetes "registry" (dict "authFile" "/etc/binder-cell/registry/.dockerconfigjson") }}
{{- end }}
{{- mustMergeOverwrite (deepCopy .Values.config) $pod | toPrettyJson -}}
{{- end -}}
