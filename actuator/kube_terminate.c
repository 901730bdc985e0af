/* terminate: delete the pod, but only the pod the verdict is about. The
 * UID precondition makes the API refuse the delete when the name now
 * belongs to a replacement (StatefulSets reuse names), which matters most
 * when the core retries a delete whose first attempt did go through. */
#include "kube_driver_internal.h"

#include <stdio.h>
#include <string.h>

/* "owner ReplicaSet/web-abc: a controller will recreate the pod". The
 * pod's ownerReferences when it was read, else what the collector saw. */
static void owner_note(const struct act_call *call, const struct kube_pod *pod, char *out, size_t outlen)
{
	const struct act_target *t = call->target;

	if (pod && pod->owner[0])
		snprintf(out, outlen, "owner %s: a controller will recreate the pod", pod->owner);
	else if (t->owner_kind.len && t->owner_kind.ptr)
		snprintf(out, outlen, "owner %.*s/%.*s: a controller will recreate the pod", (int)t->owner_kind.len,
			 t->owner_kind.ptr, (int)t->owner_name.len, t->owner_name.ptr ? t->owner_name.ptr : "");
	else
		snprintf(out, outlen, "no owner: nothing will recreate the pod");
}

/* API servers word this differently by version (older: "Precondition
 * failed: UID in precondition: ...", newer: "the UID in the precondition
 * (...) does not match the UID in record (...)"); both name the UID and the
 * precondition, which the other 409 of a delete (a write conflict) does not. */
static bool uid_precondition_failed(const struct http_response *resp)
{
	char msg[512];

	kube_status_message(resp, msg, sizeof(msg));
	return strstr(msg, "UID") && (strstr(msg, "precondition") || strstr(msg, "Precondition"));
}

static enum act_status delete_pod(struct kube_driver *d, const struct kube_pod_ref *ref, const char *note,
				  struct act_reply *reply)
{
	struct http_response resp = {0};
	json_t *body = json_pack("{s:s, s:s, s:I, s:{s:s}}", "kind", "DeleteOptions", "apiVersion", "v1",
				 "gracePeriodSeconds", (json_int_t)d->grace_s, "preconditions", "uid", ref->uid);

	if (!body)
		return kube_decide(reply, ACT_FAILED, "out of memory");
	if (!kube_request(&d->api, "DELETE", ref->path, "application/json", body, &resp, reply)) {
		if (resp.status == 200 || resp.status == 202)
			kube_decide(reply, ACT_DONE, "deleted (grace period %ld s); %s", d->grace_s, note);
		else if (resp.status == 404)
			kube_decide(reply, ACT_ALREADY_DONE, "pod already gone; %s", note);
		else if (resp.status == 409 && uid_precondition_failed(&resp))
			kube_decide(reply, ACT_ALREADY_DONE,
				    "pod was replaced by another with the same name (uid precondition failed); "
				    "the replacement was left alone");
		else
			kube_reply_status(reply, &resp, "DELETE pod");
	}
	json_decref(body);
	http_response_free(&resp);
	return reply->status;
}

enum act_status kube_terminate(struct kube_driver *d, const struct act_call *call,
			       const struct kube_pod_ref *ref, struct act_reply *reply)
{
	struct kube_pod pod;
	char note[400];

	switch (kube_get_pod(d, ref, &pod, reply)) {
	case KUBE_POD_GONE:
		owner_note(call, NULL, note, sizeof(note));
		return kube_decide(reply, ACT_ALREADY_DONE, "pod already gone; %s", note);
	case KUBE_POD_DECIDED:
		return reply->status;
	case KUBE_POD_FOUND:
		break;
	}
	if (strcmp(pod.uid, ref->uid))
		return kube_decide(reply, ACT_ALREADY_DONE,
				   "pod was replaced by another with the same name (uid %s); the replacement was "
				   "left alone",
				   pod.uid);
	owner_note(call, &pod, note, sizeof(note));
	if (pod.terminating)
		return kube_decide(reply, ACT_ALREADY_DONE, "pod already terminating; %s", note);
	return delete_pod(d, ref, note, reply);
}
