{{/* Names: the release name when it already says "rampart", else <release>-rampart. */}}
{{- define "rampart.fullname" -}}
{{- if contains .Chart.Name .Release.Name -}}
{{- .Release.Name | trunc 50 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name .Chart.Name | trunc 50 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}

{{- define "rampart.name" -}}{{ include "rampart.fullname" .root }}-{{ .component }}{{- end -}}

{{- define "rampart.selectorLabels" -}}
app.kubernetes.io/name: rampart
app.kubernetes.io/instance: {{ .root.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{- define "rampart.labels" -}}
{{ include "rampart.selectorLabels" . }}
app.kubernetes.io/version: {{ .root.Chart.AppVersion | quote }}
app.kubernetes.io/part-of: rampart
{{- if not .root.Values.plainManifests }}
app.kubernetes.io/managed-by: {{ .root.Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .root.Chart.Name .root.Chart.Version }}
{{- end }}
{{- end -}}

{{- define "rampart.image" -}}
{{- $tag := .root.Values.image.tag | default .root.Chart.AppVersion -}}
{{ printf "%s%s:%s" .root.Values.image.registry .image $tag | quote }}
{{- end -}}

{{/* kafka.* keys shared by the three daemons' configuration files. */}}
{{- define "rampart.kafkaConfig" -}}
kafka:
  bootstrap.servers: {{ .Values.kafka.brokers | quote }}
  security.protocol: {{ .Values.kafka.securityProtocol | quote }}
  {{- if .Values.kafka.tls.caSecret }}
  ssl.ca.location: /etc/rampart/kafka-ca/{{ .Values.kafka.tls.caKey }}
  {{- end }}
  {{- if .Values.kafka.tls.clientSecret }}
  ssl.certificate.location: /etc/rampart/kafka-client/tls.crt
  ssl.key.location: /etc/rampart/kafka-client/tls.key
  {{- end }}
  {{- if .Values.kafka.sasl.mechanism }}
  sasl.mechanism: {{ .Values.kafka.sasl.mechanism | quote }}
  {{- end }}
  {{- range $k, $v := .Values.kafka.properties }}
  {{ $k }}: {{ $v | toString | quote }}
  {{- end }}
{{- end -}}

{{/* SASL credentials come from the Secret as environment overrides,
     never through a ConfigMap. */}}
{{- define "rampart.kafkaEnv" -}}
{{- if .Values.kafka.sasl.secret }}
- name: RAMPART_KAFKA_SASL_USERNAME
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.secret }}
      key: {{ .Values.kafka.sasl.usernameKey }}
- name: RAMPART_KAFKA_SASL_PASSWORD
  valueFrom:
    secretKeyRef:
      name: {{ .Values.kafka.sasl.secret }}
      key: {{ .Values.kafka.sasl.passwordKey }}
{{- end }}
{{- end -}}

{{- define "rampart.kafkaVolumeMounts" -}}
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  mountPath: /etc/rampart/kafka-ca
  readOnly: true
{{- end }}
{{- if .Values.kafka.tls.clientSecret }}
- name: kafka-client
  mountPath: /etc/rampart/kafka-client
  readOnly: true
{{- end }}
{{- end -}}

{{- define "rampart.kafkaVolumes" -}}
{{- if .Values.kafka.tls.caSecret }}
- name: kafka-ca
  secret:
    secretName: {{ .Values.kafka.tls.caSecret }}
    items:
      - key: {{ .Values.kafka.tls.caKey }}
        path: {{ .Values.kafka.tls.caKey }}
{{- end }}
{{- if .Values.kafka.tls.clientSecret }}
- name: kafka-client
  secret:
    secretName: {{ .Values.kafka.tls.clientSecret }}
    defaultMode: 0400
{{- end }}
{{- end -}}

{{/* Rule paths of the evaluator and the actuator: the image's catalog and
     rulesets, then this chart's ConfigMaps. */}}
{{- define "rampart.rulePaths" -}}
- /etc/rampart/rules/catalog
- /etc/rampart/rules/rulesets
- /etc/rampart/cluster/catalog
- /etc/rampart/cluster/rulesets
- /etc/rampart/cluster/policies
- /etc/rampart/cluster/clusters
{{- end -}}

{{- define "rampart.ruleVolumeMounts" -}}
{{- range list "catalog" "rulesets" "policies" "clusters" }}
- name: rules-{{ . }}
  mountPath: /etc/rampart/cluster/{{ . }}
  readOnly: true
{{- end }}
{{- end -}}

{{- define "rampart.ruleVolumes" -}}
{{- $root := . -}}
{{- range list "catalog" "rulesets" "policies" "clusters" }}
- name: rules-{{ . }}
  configMap:
    name: {{ include "rampart.fullname" $root }}-{{ . }}
{{- end }}
{{- end -}}

{{/* Restricted pod/container security for the evaluator, the actuator and the
     topics Job: non-root (the image's uid, or OpenShift's), no privilege
     escalation, no capabilities, read-only root, RuntimeDefault seccomp. */}}
{{- define "rampart.restrictedPodSecurity" -}}
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "rampart.restrictedContainerSecurity" -}}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop: [ALL]
{{- end -}}
