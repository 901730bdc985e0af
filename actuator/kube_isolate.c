/* isolate: a deny-all NetworkPolicy selecting the quarantine label, then
 * the label on the pod. The policy comes first so that the moment the pod
 * carries the label, it is cut off; the reverse order would leave a window
 * in which the pod looks quarantined but is not. */
#include "kube_driver_internal.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

/* POLICY_ABSENT: not there yet, nothing decided; POLICY_DECIDED: reply holds the outcome. */
enum policy_state { POLICY_CREATED, POLICY_PRESENT, POLICY_ABSENT, POLICY_DECIDED };

static json_t *policy_body(const struct kube_driver *d, const struct kube_pod_ref *ref)
{
	return json_pack("{s:s, s:s, s:{s:s, s:s, s:{s:s}}, s:{s:{s:{s:s}}, s:[s,s]}}", "apiVersion",
			 "networking.k8s.io/v1", "kind", "NetworkPolicy", "metadata", "name", d->policy_name,
			 "namespace", ref->ns, "labels", "app.kubernetes.io/managed-by", "rampart", "spec",
			 "podSelector", "matchLabels", d->label_key, d->label_value, "policyTypes", "Ingress",
			 "Egress");
}

static bool empty_or_absent(json_t *v) { return !v || json_is_null(v) || json_array_size(v) == 0; }

static bool has_type(json_t *types, const char *t)
{
	json_t *v;
	size_t i;

	json_array_foreach(types, i, v) {
		if (json_is_string(v) && !strcmp(json_string_value(v), t))
			return true;
	}
	return false;
}

/* A policy of that name that is not exactly ours would leave a labelled
 * pod connected: it must select our label and nothing else, cover both
 * directions, and allow nothing. */
static bool is_our_deny_all(const struct kube_driver *d, json_t *policy)
{
	json_t *spec = json_object_get(policy, "spec");
	json_t *sel = json_object_get(spec, "podSelector"), *labels = json_object_get(sel, "matchLabels");
	json_t *value = json_object_get(labels, d->label_key);

	return json_object_size(labels) == 1 && json_is_string(value) &&
	       !strcmp(json_string_value(value), d->label_value) &&
	       empty_or_absent(json_object_get(sel, "matchExpressions")) &&
	       has_type(json_object_get(spec, "policyTypes"), "Ingress") &&
	       has_type(json_object_get(spec, "policyTypes"), "Egress") &&
	       empty_or_absent(json_object_get(spec, "ingress")) && empty_or_absent(json_object_get(spec, "egress"));
}

static enum policy_state check_existing(struct kube_driver *d, const struct kube_pod_ref *ref, const char *path,
					struct act_reply *reply)
{
	struct http_response resp = {0};
	enum policy_state st = POLICY_DECIDED;
	json_t *doc;

	if (kube_request(&d->api, "GET", path, NULL, NULL, &resp, reply))
		goto out;
	if (resp.status == 404) {
		st = POLICY_ABSENT;
	} else if (resp.status != 200) {
		kube_reply_status(reply, &resp, "GET NetworkPolicy");
	} else {
		doc = kube_response_json(&resp);
		if (is_our_deny_all(d, doc))
			st = POLICY_PRESENT;
		else
			kube_decide(reply, ACT_FAILED,
				    "NetworkPolicy %s/%s exists but is not a deny-all selecting only %s=%s: "
				    "refusing to label the pod as isolated",
				    ref->ns, d->policy_name, d->label_key, d->label_value);
		json_decref(doc);
	}
out:
	http_response_free(&resp);
	return st;
}

static enum policy_state create_policy(struct kube_driver *d, const struct kube_pod_ref *ref, const char *collection,
				       const char *item, struct act_reply *reply)
{
	struct http_response resp = {0};
	json_t *body = policy_body(d, ref);
	enum policy_state st = POLICY_DECIDED;

	if (!body) {
		kube_decide(reply, ACT_FAILED, "out of memory");
	} else if (!kube_request(&d->api, "POST", collection, "application/json", body, &resp, reply)) {
		if (resp.status == 201 || resp.status == 200)
			st = POLICY_CREATED;
		else if (resp.status == 409) /* created meanwhile by someone else: it must be ours */
			st = check_existing(d, ref, item, reply);
		else
			kube_reply_status(reply, &resp, "POST NetworkPolicy");
	}
	if (st == POLICY_ABSENT)
		kube_decide(reply, ACT_RETRY, "NetworkPolicy %s/%s vanished while being checked", ref->ns,
			    d->policy_name);
	json_decref(body);
	http_response_free(&resp);
	return st == POLICY_ABSENT ? POLICY_DECIDED : st;
}

/* Read first: once a namespace has its policy, every later isolate there
 * costs one GET instead of a create answered 409 plus that GET. */
static enum policy_state ensure_policy(struct kube_driver *d, const struct kube_pod_ref *ref,
				       struct act_reply *reply)
{
	char collection[400], item[512];
	enum policy_state st;

	snprintf(collection, sizeof(collection), "/apis/networking.k8s.io/v1/namespaces/%s/networkpolicies", ref->ns);
	snprintf(item, sizeof(item), "%s/%s", collection, d->policy_name);
	st = check_existing(d, ref, item, reply);
	return st == POLICY_ABSENT ? create_policy(d, ref, collection, item, reply) : st;
}

static json_t *patch_body(const struct kube_driver *d, const struct act_call *call, const struct kube_pod *pod)
{
	const struct rp_str *rule = call->rule_id.len ? &call->rule_id : &call->rule_name;
	char now[32];
	struct tm tm;
	time_t t = time(NULL);

	strftime(now, sizeof(now), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	return json_pack("{s:{s:s, s:{s:s}, s:{s:s%, s:s%, s:s}}}", "metadata", "resourceVersion",
			 pod->resource_version, "labels", d->label_key, d->label_value, "annotations",
			 "rampart.io/verdict-id", call->verdict_id.ptr ? call->verdict_id.ptr : "",
			 (size_t)call->verdict_id.len, "rampart.io/rule", rule->ptr ? rule->ptr : "",
			 (size_t)rule->len, "rampart.io/quarantined-at", now);
}

static enum act_status label_pod(struct kube_driver *d, const struct act_call *call,
				 const struct kube_pod_ref *ref, const struct kube_pod *pod, enum policy_state ps,
				 struct act_reply *reply)
{
	struct http_response resp = {0};
	json_t *body = patch_body(d, call, pod);

	if (!body)
		return kube_decide(reply, ACT_FAILED, "verdict id or rule is not valid UTF-8");
	if (!kube_request(&d->api, "PATCH", ref->path, "application/merge-patch+json", body, &resp, reply)) {
		if (resp.status == 200)
			kube_decide(reply, ACT_DONE,
				    "isolated: labelled %s=%s; NetworkPolicy %s (%s) denies all its ingress and egress",
				    d->label_key, d->label_value, d->policy_name,
				    ps == POLICY_CREATED ? "created" : "already present");
		else if (resp.status == 409)
			kube_decide(reply, ACT_RETRY, "PATCH pod: 409: the pod changed since it was read");
		else if (resp.status == 404)
			kube_decide(reply, ACT_SKIPPED, "pod no longer exists");
		else
			kube_reply_status(reply, &resp, "PATCH pod");
	}
	json_decref(body);
	http_response_free(&resp);
	return reply->status;
}

enum act_status kube_isolate(struct kube_driver *d, const struct act_call *call, const struct kube_pod_ref *ref,
			     struct act_reply *reply)
{
	struct kube_pod pod;
	enum policy_state ps;

	switch (kube_get_pod(d, ref, &pod, reply)) {
	case KUBE_POD_GONE:
		return kube_decide(reply, ACT_SKIPPED, "pod no longer exists");
	case KUBE_POD_DECIDED:
		return reply->status;
	case KUBE_POD_FOUND:
		break;
	}
	if (strcmp(pod.uid, ref->uid))
		return kube_decide(reply, ACT_SKIPPED, "pod replaced (uid %s): the verdict's pod %s is gone", pod.uid,
				   ref->uid);
	ps = ensure_policy(d, ref, reply);
	if (ps == POLICY_DECIDED)
		return reply->status;
	if (pod.labelled && ps == POLICY_CREATED)
		return kube_decide(reply, ACT_DONE, "pod was already labelled %s=%s; NetworkPolicy %s re-created",
				   d->label_key, d->label_value, d->policy_name);
	if (pod.labelled)
		return kube_decide(reply, ACT_ALREADY_DONE, "already isolated: labelled %s=%s, NetworkPolicy %s present",
				   d->label_key, d->label_value, d->policy_name);
	return label_pod(d, call, ref, &pod, ps, reply);
}
