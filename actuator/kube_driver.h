/* The Kubernetes driver: isolate and terminate pods through the API server.
 *
 * isolate (kube_isolate.c): GET the pod (gone: ACT_SKIPPED; another UID
 *   under the name: ACT_SKIPPED), make sure the namespace has the deny-all
 *   NetworkPolicy selecting <label_key>=<label_value> (Ingress and Egress,
 *   no rules; an existing one must be exactly that), then merge-patch the
 *   label and the rampart.io/verdict-id, rampart.io/rule and
 *   rampart.io/quarantined-at annotations onto the pod, conditioned on the
 *   resourceVersion read (a conflict is ACT_RETRY). Already labelled, with
 *   the policy in place: ACT_ALREADY_DONE.
 * terminate (kube_terminate.c): GET the pod (gone, terminating, or another
 *   UID: ACT_ALREADY_DONE), then DELETE it with a UID precondition, so a
 *   retried delete never removes a replacement of the same name, and the
 *   configured grace period. The detail names the owner that will recreate
 *   it.
 * Namespaces and pod names are checked against the API's naming rules
 * before they go into a URL (ACT_FAILED "invalid target: ..."). Status
 * classification: kube_api.h. */
#ifndef RAMPART_KUBE_DRIVER_H
#define RAMPART_KUBE_DRIVER_H

#include <stdbool.h>
#include <stddef.h>

#include "driver.h"

#define KUBE_DEFAULT_GRACE_S 5
#define KUBE_DEFAULT_POLICY "rampart-quarantine"
#define KUBE_DEFAULT_LABEL_KEY "rampart.io/quarantine"
#define KUBE_DEFAULT_LABEL_VALUE "true"

struct kube_driver_options {
	const char *kubeconfig;       /* NULL: in-cluster */
	const char *context;          /* NULL: the kubeconfig's current-context */
	const char *token_path;       /* in-cluster; NULL: the service account's */
	const char *ca_path;          /* in-cluster; NULL: the service account's */
	bool grace_period_set;        /* else KUBE_DEFAULT_GRACE_S; 0 only when set */
	long grace_period_s;          /* 0..86400 */
	const char *policy_name;      /* NULL: KUBE_DEFAULT_POLICY */
	const char *label_key;        /* NULL: KUBE_DEFAULT_LABEL_KEY */
	const char *label_value;      /* NULL: KUBE_DEFAULT_LABEL_VALUE */
	long timeout_ms;              /* per request; 0: 10000 */
};

/* NULL with err when an option is invalid or the credentials cannot be
 * loaded. The API server is not contacted until the first act(). */
struct act_driver *kube_driver_new(const struct kube_driver_options *o, char *err, size_t errlen);

#endif
