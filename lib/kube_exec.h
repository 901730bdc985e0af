/* client-go exec credential plugins, as kubeconfigs for EKS
 * (`aws eks get-token`), AKS (`kubelogin`) and GKE
 * (`gke-gcloud-auth-plugin`) name them under users[].user.exec.
 *
 * kube_exec_run starts command with args, the actuator's environment plus
 * the plugin's env entries (which override variables of the same name) and
 * KUBERNETES_EXEC_INFO (an ExecCredential with spec.interactive false, and
 * spec.cluster when the kubeconfig asks for provideClusterInfo). stdin is
 * /dev/null: the actuator never has a terminal to prompt on. The plugin's
 * stdout must be an ExecCredential of the configured apiVersion whose status
 * holds a token and/or clientCertificateData + clientKeyData, optionally
 * with an RFC 3339 expirationTimestamp.
 *
 * Results: KUBE_CRED_OK with *out filled (caller frees); KUBE_CRED_RETRY
 * when the plugin ran but exited non-zero or timed out (cloud token
 * services have outages, so asking again later may help); KUBE_CRED_FAILED
 * when it cannot be started or prints no usable credential. err then says
 * which, with the start of the plugin's stderr and its install hint. */
#ifndef RAMPART_KUBE_EXEC_H
#define RAMPART_KUBE_EXEC_H

#include <stddef.h>
#include <time.h>

enum kube_cred_status { KUBE_CRED_OK, KUBE_CRED_RETRY, KUBE_CRED_FAILED };

struct kube_exec_config {
	char *api_version;  /* client.authentication.k8s.io/v1 or /v1beta1 */
	char *command;      /* a path, or a name looked up in PATH */
	char **args;        /* NULL-terminated; may be NULL */
	char **env;         /* "NAME=value", NULL-terminated; may be NULL */
	char *cluster_json; /* spec.cluster (provideClusterInfo) or NULL */
	char *install_hint; /* may be NULL */
	long timeout_ms;    /* 0: 60 s */
};

struct kube_exec_cred {
	char *token;              /* NULL when the plugin gave only a certificate */
	char *cert_pem, *key_pem; /* both or neither */
	size_t cert_len, key_len;
	time_t expires;           /* 0: no expirationTimestamp */
};

enum kube_cred_status kube_exec_run(const struct kube_exec_config *c, struct kube_exec_cred *out, char *err,
				    size_t errlen);
/* The plugin's stdout (text, len) as an ExecCredential of c->api_version:
 * KUBE_CRED_OK with *out filled (memset first), or KUBE_CRED_FAILED. */
enum kube_cred_status kube_exec_parse(const struct kube_exec_config *c, const char *text, size_t len,
				      struct kube_exec_cred *out, char *err, size_t errlen);
void kube_exec_cred_free(struct kube_exec_cred *c);
void kube_exec_config_free(struct kube_exec_config *c);

/* RFC 3339 ("2026-01-02T03:04:05Z", fractions and offsets allowed) to a
 * time_t; -1 when malformed. */
time_t kube_rfc3339(const char *s);

#endif
