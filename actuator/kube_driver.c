#include "kube_driver_internal.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kube_names.h"

enum act_status kube_decide(struct act_reply *reply, enum act_status st, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(reply->detail, sizeof(reply->detail), fmt, ap);
	va_end(ap);
	reply->status = st;
	return st;
}

static bool uid_chars(const struct rp_str *s)
{
	for (uint32_t i = 0; i < s->len; i++) {
		char c = s->ptr[i];

		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-'))
			return false;
	}
	return true;
}

/* The names go into a URL path: only what the API itself accepts passes. */
static const char *check_target(const struct act_target *t, struct kube_pod_ref *ref)
{
	if (t->orchestrator != RP_ORCH_KUBERNETES)
		return "not a Kubernetes pod";
	if (!kube_dns_label(t->namespace_.ptr, t->namespace_.len))
		return "namespace is not a DNS label";
	if (!kube_dns_subdomain(t->pod.ptr, t->pod.len))
		return "pod name is not a DNS subdomain";
	if (!t->pod_uid.len || t->pod_uid.len >= sizeof(ref->uid) || !uid_chars(&t->pod_uid))
		return "missing or malformed pod uid";
	memcpy(ref->ns, t->namespace_.ptr, t->namespace_.len);
	ref->ns[t->namespace_.len] = 0;
	memcpy(ref->name, t->pod.ptr, t->pod.len);
	ref->name[t->pod.len] = 0;
	memcpy(ref->uid, t->pod_uid.ptr, t->pod_uid.len);
	ref->uid[t->pod_uid.len] = 0;
	snprintf(ref->path, sizeof(ref->path), "/api/v1/namespaces/%s/pods/%s", ref->ns, ref->name);
	return NULL;
}

static enum act_status kube_act(struct act_driver *base, const struct act_call *call, struct act_reply *reply)
{
	struct kube_driver *d = (struct kube_driver *)base;
	const struct act_target *t = call->target;
	struct kube_pod_ref ref;
	const char *bad;

	memset(reply, 0, sizeof(*reply));
	act_reply_target(reply, "%.*s/%.*s", (int)(t->namespace_.len < 200 ? t->namespace_.len : 200),
			 t->namespace_.ptr ? t->namespace_.ptr : "", (int)(t->pod.len < 300 ? t->pod.len : 300),
			 t->pod.ptr ? t->pod.ptr : "");
	bad = check_target(t, &ref);
	if (bad)
		return kube_decide(reply, ACT_FAILED, "invalid target: %s", bad);
	d->api.reauthed = false;
	if (call->action == RP_ACTION_ISOLATE)
		return kube_isolate(d, call, &ref, reply);
	if (call->action == RP_ACTION_TERMINATE)
		return kube_terminate(d, call, &ref, reply);
	return kube_decide(reply, ACT_FAILED, "unsupported action %d", (int)call->action);
}

static void copy_str(json_t *obj, const char *key, char *out, size_t outlen)
{
	const char *s = json_string_value(json_object_get(obj, key));

	snprintf(out, outlen, "%s", s ? s : "");
}

static const char *str_or(json_t *obj, const char *key, const char *fallback)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : fallback;
}

/* The controlling owner, else the first one listed. */
static void pod_owner(json_t *meta, char *out, size_t outlen)
{
	json_t *refs = json_object_get(meta, "ownerReferences"), *ref, *pick = NULL;
	size_t i;

	json_array_foreach(refs, i, ref) {
		if (!pick)
			pick = ref;
		if (json_is_true(json_object_get(ref, "controller"))) {
			pick = ref;
			break;
		}
	}
	out[0] = 0;
	if (pick)
		snprintf(out, outlen, "%s/%s", str_or(pick, "kind", "?"), str_or(pick, "name", "?"));
}

enum kube_pod_lookup kube_get_pod(struct kube_driver *d, const struct kube_pod_ref *ref, struct kube_pod *pod,
				  struct act_reply *reply)
{
	struct http_response resp = {0};
	json_t *doc = NULL, *meta, *label;
	enum kube_pod_lookup r = KUBE_POD_DECIDED;

	memset(pod, 0, sizeof(*pod));
	if (kube_request(&d->api, "GET", ref->path, NULL, NULL, &resp, reply))
		goto out;
	if (resp.status == 404) {
		r = KUBE_POD_GONE;
		goto out;
	}
	if (resp.status != 200) {
		kube_reply_status(reply, &resp, "GET pod");
		goto out;
	}
	doc = kube_response_json(&resp);
	meta = json_object_get(doc, "metadata");
	if (!json_is_object(meta)) {
		kube_decide(reply, ACT_RETRY, "GET pod: the API answered without pod metadata");
		goto out;
	}
	copy_str(meta, "uid", pod->uid, sizeof(pod->uid));
	copy_str(meta, "resourceVersion", pod->resource_version, sizeof(pod->resource_version));
	pod->terminating = json_object_get(meta, "deletionTimestamp") != NULL &&
			   !json_is_null(json_object_get(meta, "deletionTimestamp"));
	label = json_object_get(json_object_get(meta, "labels"), d->label_key);
	pod->labelled = json_is_string(label) && !strcmp(json_string_value(label), d->label_value);
	pod_owner(meta, pod->owner, sizeof(pod->owner));
	r = KUBE_POD_FOUND;
out:
	json_decref(doc);
	http_response_free(&resp);
	return r;
}

static const char *kube_actor(struct act_driver *base)
{
	return kube_auth_actor(((struct kube_driver *)base)->api.auth);
}

static void kube_free(struct act_driver *base)
{
	struct kube_driver *d = (struct kube_driver *)base;

	if (!d)
		return;
	kube_auth_free(d->api.auth);
	http_client_free(d->api.http);
	free(d->policy_name);
	free(d->label_key);
	free(d->label_value);
	free(d);
}

static int check_options(const struct kube_driver_options *o, char *err, size_t errlen)
{
	if (o->policy_name && !kube_dns_subdomain(o->policy_name, strlen(o->policy_name)))
		return snprintf(err, errlen, "policy name \"%s\" is not a DNS subdomain", o->policy_name), -1;
	if (o->label_key && !kube_label_key(o->label_key))
		return snprintf(err, errlen, "\"%s\" is not a valid label key", o->label_key), -1;
	if (o->label_value && (!*o->label_value || !kube_label_value(o->label_value)))
		return snprintf(err, errlen, "\"%s\" is not a valid label value", o->label_value), -1;
	if (o->grace_period_set && (o->grace_period_s < 0 || o->grace_period_s > 86400))
		return snprintf(err, errlen, "grace period must be 0..86400 s, not %ld", o->grace_period_s), -1;
	if (o->timeout_ms < 0)
		return snprintf(err, errlen, "request timeout must not be negative"), -1;
	return 0;
}

struct act_driver *kube_driver_new(const struct kube_driver_options *o, char *err, size_t errlen)
{
	struct kube_driver *d;

	if (check_options(o, err, errlen))
		return NULL;
	d = calloc(1, sizeof(*d));
	if (!d)
		return snprintf(err, errlen, "out of memory"), NULL;
	d->base = (struct act_driver){"kubernetes", kube_act, kube_actor, kube_free};
	d->grace_s = o->grace_period_set ? o->grace_period_s : KUBE_DEFAULT_GRACE_S;
	d->api.timeout_ms = o->timeout_ms ? o->timeout_ms : 10000;
	d->policy_name = strdup(o->policy_name ? o->policy_name : KUBE_DEFAULT_POLICY);
	d->label_key = strdup(o->label_key ? o->label_key : KUBE_DEFAULT_LABEL_KEY);
	d->label_value = strdup(o->label_value ? o->label_value : KUBE_DEFAULT_LABEL_VALUE);
	d->api.http = http_client_new();
	if (!d->policy_name || !d->label_key || !d->label_value || !d->api.http) {
		snprintf(err, errlen, "out of memory");
		kube_free(&d->base);
		return NULL;
	}
	d->api.auth = o->kubeconfig ? kube_auth_from_kubeconfig(o->kubeconfig, o->context, err, errlen)
				    : kube_auth_in_cluster(o->token_path, o->ca_path, err, errlen);
	if (!d->api.auth) {
		kube_free(&d->base);
		return NULL;
	}
	return &d->base;
}
