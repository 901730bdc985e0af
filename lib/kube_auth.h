/* How the Kubernetes driver reaches and authenticates to the API server.
 *
 * Two sources:
 *  - in-cluster: https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT
 *    (an IPv6 host is bracketed), the service account's CA file and token
 *    file (defaults under /var/run/secrets/kubernetes.io/serviceaccount);
 *  - a kubeconfig (kube_kubeconfig.c): the given or current context's
 *    cluster server and CA (file or -data), and its user's client
 *    certificate/key (file or -data), token, tokenFile, or exec plugin
 *    (kube_exec.h). TLS is always verified: insecure-skip-tls-verify: true
 *    and http:// servers are refused. Errors say file:line:col.
 *
 * Credentials stay fresh: a token file is re-read when it is older than
 * KUBE_TOKEN_REREAD_S (projected service-account tokens rotate) and after
 * a 401; an exec plugin's credential is cached until shortly before its
 * expirationTimestamp (or, without one, until a 401).
 *
 * kube_auth_prepare sets rq->tls and appends "Authorization: Bearer ..." to
 * rq->headers (both point into auth: valid until the next call on it).
 * `now` is wall-clock time, passed in so tests can move it.
 * kube_auth_on_unauthorized marks the credential stale after a 401 and
 * returns true when the next prepare may present a different one (token
 * file or plugin), false when retrying is pointless (a static token or
 * certificate). One thread at a time, like the driver owning it. */
#ifndef RAMPART_KUBE_AUTH_H
#define RAMPART_KUBE_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "http.h"
#include "kube_exec.h"

#define KUBE_TOKEN_REREAD_S 60
#define KUBE_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

struct kube_auth;

/* context NULL: the kubeconfig's current-context. */
struct kube_auth *kube_auth_from_kubeconfig(const char *path, const char *context, char *err, size_t errlen);
/* NULL paths: KUBE_SA_DIR/token and KUBE_SA_DIR/ca.crt. */
struct kube_auth *kube_auth_in_cluster(const char *token_path, const char *ca_path, char *err, size_t errlen);
void kube_auth_free(struct kube_auth *a);

/* "https://host:port[/prefix]", without a trailing '/'. */
const char *kube_auth_server(const struct kube_auth *a);

enum kube_cred_status kube_auth_prepare(struct kube_auth *a, time_t now, struct http_request *rq, char *err,
					size_t errlen);
bool kube_auth_on_unauthorized(struct kube_auth *a);

/* The token's service account ("system:serviceaccount:ns:name") when the
 * token is a JWT with a sub claim, else "kubeconfig user <name>", else
 * "in-cluster service account". Changes when the credential does. */
const char *kube_auth_actor(const struct kube_auth *a);

/* The sub claim of a JWT's payload (not verified: only for naming the
 * actor) into out; -1 when token is not a JWT with a string sub. */
int kube_jwt_subject(const char *token, char *out, size_t outlen);

#endif
