/* What the Kubernetes API server knows about this node's pods and the
 * container runtime does not: labels, owner (ReplicaSet, StatefulSet,
 * DaemonSet, Job, ...) and service account.
 *
 * A background thread LISTs GET /api/v1/pods?fieldSelector=spec.nodeName=
 * <node> (resourceVersion=0: served from the API server's watch cache, as
 * the kubelet and client-go informers list, so a fleet of collectors
 * starting at once does not each scan etcd), then WATCHes from the list's
 * resourceVersion, applying ADDED/MODIFIED/DELETED and BOOKMARKs, and
 * re-watching from the last version seen when the server ends a watch
 * (timeoutSeconds) or the connection breaks. 410 Gone (the version left
 * the server's window) relists. Transport errors, 429 and 5xx back off
 * exponentially with jitter; a 401 marks the credential stale first
 * (lib/kube_auth.h re-reads a token file every 60 s and after a 401).
 * Pods that finished (Succeeded, Failed) are not kept: nothing runs in them.
 *
 * Lookups are thread-safe and copy into caller storage under a read lock
 * (collector/pod_cache.h). pod_watch_stop wakes the thread and joins it:
 * within about a second during a watch or a back-off, at worst after one
 * LIST request's timeout (20 s). RBAC needed: pods get, list, watch
 * (deploy/kubernetes/collector-rbac.yaml). */
#ifndef RAMPART_COLLECTOR_POD_WATCH_H
#define RAMPART_COLLECTOR_POD_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "metrics_http.h"
#include "pod_cache.h"

struct pod_watch_config {
	const char *node;           /* spec.nodeName of the pods to watch; required */
	const char *kubeconfig;     /* NULL or "": in-cluster (KUBERNETES_SERVICE_HOST/PORT) */
	const char *context;        /* kubeconfig context; NULL or "": its current-context */
	const char *token_file;     /* in-cluster; NULL or "": the service account's */
	const char *ca_file;        /* in-cluster; NULL or "": the service account's */
	uint32_t watch_timeout_s;   /* 0: 300; the server ends each watch after this */
	uint32_t backoff_max_ms;    /* 0: 30000 */
	FILE *log;                  /* NULL: silent */
};

/* Written by the watcher thread only; read anywhere (metrics). */
struct pod_watch_stats {
	metrics_u64 lists;          /* completed LISTs: the first and every relist */
	metrics_u64 watch_restarts; /* watches opened again after one ended */
	metrics_u64 events;         /* ADDED, MODIFIED and DELETED events applied */
	metrics_u64 errors;         /* failed requests, error statuses and events, unusable pods */
	metrics_u64 pods;           /* pods in the store (gauge) */
	metrics_u64 synced;         /* 1 once the first LIST is in the store (gauge) */
};

struct pod_watch;

/* Builds the credentials and starts the thread; does not wait for the
 * first LIST. NULL with err on bad configuration or credentials. */
struct pod_watch *pod_watch_start(const struct pod_watch_config *cfg, char *err, size_t errlen);
/* Stops and joins the thread, frees w. NULL is fine. */
void pod_watch_stop(struct pod_watch *w);

/* Copies the pod the runtime knows as pod_uid into *out. */
bool pod_watch_lookup(struct pod_watch *w, const char *pod_uid, struct pod_meta *out);
/* Whether the first LIST is in the store. */
bool pod_watch_synced(const struct pod_watch *w);
/* Changes whenever the store does (a lock-free hint for re-reading). */
uint64_t pod_watch_generation(const struct pod_watch *w);
const struct pod_watch_stats *pod_watch_stats(const struct pod_watch *w);

#endif
