/* State and helpers shared by the Kubernetes driver's files. */
#ifndef RAMPART_KUBE_DRIVER_INTERNAL_H
#define RAMPART_KUBE_DRIVER_INTERNAL_H

#include "kube_api.h"
#include "kube_driver.h"

struct kube_driver {
	struct act_driver base; /* first: the core holds a pointer to it */
	struct kube_api api;
	long grace_s;
	char *policy_name, *label_key, *label_value;
};

/* The verdict's pod, validated and NUL-terminated. */
struct kube_pod_ref {
	char ns[64], name[254], uid[129];
	char path[400]; /* /api/v1/namespaces/<ns>/pods/<name> */
};

/* What a GET of the pod said. */
struct kube_pod {
	char uid[129], resource_version[64];
	char owner[320];   /* "Kind/name" of the controller, "" when none */
	bool terminating;  /* metadata.deletionTimestamp is set */
	bool labelled;     /* carries label_key=label_value */
};

enum kube_pod_lookup { KUBE_POD_FOUND, KUBE_POD_GONE, KUBE_POD_DECIDED };

/* GET the pod. KUBE_POD_DECIDED: reply holds the outcome (API error). */
enum kube_pod_lookup kube_get_pod(struct kube_driver *d, const struct kube_pod_ref *ref, struct kube_pod *pod,
				  struct act_reply *reply);

enum act_status kube_isolate(struct kube_driver *d, const struct act_call *call, const struct kube_pod_ref *ref,
			     struct act_reply *reply);
enum act_status kube_terminate(struct kube_driver *d, const struct act_call *call,
			       const struct kube_pod_ref *ref, struct act_reply *reply);

/* reply->status = st with detail; returns st. */
enum act_status kube_decide(struct act_reply *reply, enum act_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
