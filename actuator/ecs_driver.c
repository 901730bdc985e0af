#include "ecs_driver.h"

#include "aws_url.h"
#include "ecs_api.h"
#include "ecs_arn.h"
#include "http.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Long rule names are cut so that the verdict id always fits in the reason. */
#define REASON_RULE_MAX 160
#define ENDPOINT_MAX 512
#define CLUSTER_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_:/."

struct ecs_driver {
	struct act_driver base; /* first: the core holds a struct act_driver * */
	struct http_client *http;
	struct aws_creds *creds;
	char region[32];        /* the option; "" to take each task's */
	char env_region[32];    /* AWS_REGION, else AWS_DEFAULT_REGION; "" when unset */
	char *endpoint;         /* the option, or NULL */
	long timeout_ms;
	bool actor_known;
};

/* One task as resolved for one call. */
struct ecs_task {
	char task[512];         /* as the verdict gave it: ARN or id */
	char cluster[512];
	char region[32];
	char endpoint[ENDPOINT_MAX];
	struct ecs_task_ref ref;
};

static enum act_status set_status(struct act_reply *r, enum act_status st, long api_status)
{
	r->status = st;
	r->api_status = api_status;
	return st;
}

static const char *view_ptr(struct rp_str s)
{
	return s.ptr ? s.ptr : "";
}

static int copy_view(char *dst, size_t dstlen, struct rp_str s)
{
	if (s.len >= dstlen || memchr(view_ptr(s), '\0', s.len))
		return -1;
	memcpy(dst, view_ptr(s), s.len);
	dst[s.len] = '\0';
	return 0;
}

static int fail(struct act_reply *reply, const char *what, const char *value)
{
	act_reply_detail(reply, "%s%s", what, value);
	set_status(reply, ACT_FAILED, 0);
	return -1;
}

static int resolve_region(const struct ecs_driver *d, struct ecs_task *k, struct act_reply *reply)
{
	const char *r = d->region[0] ? d->region : k->ref.region[0] ? k->ref.region : d->env_region;

	if (d->region[0] && k->ref.region[0] && strcmp(d->region, k->ref.region) != 0) {
		act_reply_detail(reply, "the task is in region %s; this driver is configured for %s", k->ref.region,
				 d->region);
		return set_status(reply, ACT_FAILED, 0), -1;
	}
	if (!r[0])
		return fail(reply, "no region: the task id carries none, and neither the driver's region option "
				   "nor AWS_REGION / AWS_DEFAULT_REGION sets one", "");
	snprintf(k->region, sizeof(k->region), "%s", r);
	if (d->endpoint)
		snprintf(k->endpoint, sizeof(k->endpoint), "%s", d->endpoint);
	else
		ecs_default_endpoint(k->ref.partition, k->region, k->endpoint, sizeof(k->endpoint));
	return 0;
}

static int resolve_cluster(const struct act_target *t, struct ecs_task *k, struct act_reply *reply)
{
	if (!t->ecs_cluster.len) {
		if (!k->ref.cluster[0])
			return fail(reply, "no cluster: the verdict names none and the task ARN has none", "");
		snprintf(k->cluster, sizeof(k->cluster), "%s", k->ref.cluster);
		return 0;
	}
	if (copy_view(k->cluster, sizeof(k->cluster), t->ecs_cluster) ||
	    strspn(k->cluster, CLUSTER_CHARS) != strlen(k->cluster))
		return fail(reply, "not an ECS cluster name or ARN: ", k->cluster);
	if (k->ref.cluster[0] && strcmp(ecs_cluster_name(k->cluster), k->ref.cluster) != 0) {
		act_reply_detail(reply, "the verdict names cluster %s but the task ARN is in cluster %s", k->cluster,
				 k->ref.cluster);
		return set_status(reply, ACT_FAILED, 0), -1;
	}
	return 0;
}

static int resolve(const struct ecs_driver *d, const struct act_target *t, struct ecs_task *k,
		   struct act_reply *reply)
{
	memset(k, 0, sizeof(*k));
	if (!t->task_arn.len)
		return fail(reply, "the verdict names no ECS task", "");
	if (copy_view(k->task, sizeof(k->task), t->task_arn) ||
	    ecs_task_ref_parse(k->task, strlen(k->task), &k->ref))
		return fail(reply, "not an ECS task ARN or task id: ", k->task);
	if (resolve_region(d, k, reply) || resolve_cluster(t, k, reply))
		return -1;
	return 0;
}

/* "rampart: <rule> (verdict <id>)", printable ASCII only, within ECS's limit. */
static void stop_reason(const struct act_call *call, char *out, size_t outlen)
{
	struct rp_str rule = call->rule_name.len ? call->rule_name : call->rule_id;
	int rlen = rule.len > REASON_RULE_MAX ? REASON_RULE_MAX : (int)rule.len;

	snprintf(out, outlen, "rampart: %.*s (verdict %.*s)", rlen, view_ptr(rule), (int)call->verdict_id.len,
		 view_ptr(call->verdict_id));
	for (char *p = out; *p; p++)
		if ((unsigned char)*p < 0x20 || (unsigned char)*p > 0x7e)
			*p = '?';
}

static enum act_status api_error(struct ecs_driver *d, const char *op, struct aws_call_result *r,
				 struct act_reply *reply)
{
	enum act_status st = r->status == AWS_CALL_RETRY ? ACT_RETRY : ACT_FAILED;

	if (r->expired_token)
		aws_creds_invalidate(d->creds);
	if (!r->http_status)
		act_reply_detail(reply, "%s: no answer: %s", op, r->message);
	else
		act_reply_detail(reply, "%s: %s%s%s (HTTP %ld)", op, r->type, r->type[0] ? ": " : "", r->message,
				 r->http_status);
	aws_call_result_free(r);
	return set_status(reply, st, r->http_status);
}

static enum act_status already(struct act_reply *reply, const struct ecs_task_view *v, long api_status,
			       const char *stop_said)
{
	const char *pre = stop_said ? stop_said : "", *sep = stop_said ? "; DescribeTasks confirms: " : "";

	if (v->state == ECS_TASK_STOPPED)
		act_reply_detail(reply, "%s%stask already stopped (%s)", pre, sep,
				 v->stopped_reason[0] ? v->stopped_reason : "no reason given");
	else if (v->state == ECS_TASK_STOPPING)
		act_reply_detail(reply, "%s%sa stop is already under way (lastStatus %s)", pre, sep, v->last_status);
	else
		act_reply_detail(reply, "%s%stask not found (MISSING): already gone", pre, sep);
	return set_status(reply, ACT_ALREADY_DONE, api_status);
}

static bool says_not_found(const struct aws_call_result *r)
{
	return r->status == AWS_CALL_FAILED &&
	       (strcmp(r->type, "ClientException") == 0 || strcmp(r->type, "InvalidParameterException") == 0) &&
	       strcasestr(r->message, "not found");
}

/* StopTask said the task is not found: believe it only if DescribeTasks agrees. */
static enum act_status confirm_gone(struct ecs_driver *d, const struct ecs_endpoint *e, const struct ecs_task *k,
				    struct aws_call_result *stop, struct act_reply *reply)
{
	struct aws_call_result r;
	struct ecs_task_view v;
	char said[sizeof(stop->type) + sizeof(stop->message) + 16];

	snprintf(said, sizeof(said), "StopTask: %s: %s", stop->type, stop->message);
	ecs_describe_task(e, k->cluster, k->task, k->ref.id, &v, &r);
	aws_call_result_free(&r);
	if (r.status == AWS_CALL_OK && v.state != ECS_TASK_ACTIVE)
		return aws_call_result_free(stop), already(reply, &v, stop->http_status, said);
	return api_error(d, "StopTask", stop, reply);
}

static enum act_status terminate(struct ecs_driver *d, const struct act_call *call, const struct ecs_task *k,
				 const struct aws_credentials *c, struct act_reply *reply)
{
	struct ecs_endpoint e = {.http = d->http, .url = k->endpoint, .region = k->region, .creds = c,
				 .timeout_ms = d->timeout_ms};
	struct aws_call_result r;
	struct ecs_task_view v;
	char reason[ECS_REASON_MAX + 1];

	if (ecs_describe_task(&e, k->cluster, k->task, k->ref.id, &v, &r) != AWS_CALL_OK)
		return api_error(d, "DescribeTasks", &r, reply);
	aws_call_result_free(&r);
	if (v.state != ECS_TASK_ACTIVE)
		return already(reply, &v, r.http_status, NULL);
	stop_reason(call, reason, sizeof(reason));
	if (ecs_stop_task(&e, k->cluster, k->task, reason, &r) == AWS_CALL_OK) {
		act_reply_detail(reply, "StopTask: stopping the task (lastStatus was %s), reason \"%s\"", v.last_status,
				 reason);
		aws_call_result_free(&r);
		return set_status(reply, ACT_DONE, r.http_status);
	}
	if (says_not_found(&r))
		return confirm_gone(d, &e, k, &r, reply);
	return api_error(d, "StopTask", &r, reply);
}

static enum act_status refuse(const struct act_call *call, struct act_reply *reply)
{
	if (call->action == RP_ACTION_ISOLATE)
		act_reply_detail(reply, "ECS has no network isolation of a task; logged");
	else
		act_reply_detail(reply, "nothing for the ECS driver to carry out for action %d", (int)call->action);
	return set_status(reply, ACT_SKIPPED, 0);
}

static enum act_status ecs_act(struct act_driver *base, const struct act_call *call, struct act_reply *reply)
{
	struct ecs_driver *d = (struct ecs_driver *)base;
	const struct aws_credentials *c;
	enum aws_creds_status cs;
	struct ecs_task k;
	char err[512];

	memset(reply, 0, sizeof(*reply));
	act_reply_target(reply, "%.*s", (int)call->target->task_arn.len, view_ptr(call->target->task_arn));
	if (call->action != RP_ACTION_TERMINATE)
		return refuse(call, reply);
	if (resolve(d, call->target, &k, reply))
		return reply->status;
	cs = aws_creds_get(d->creds, &c, err, sizeof(err));
	if (cs != AWS_CREDS_OK) {
		act_reply_detail(reply, "no AWS credentials: %s", err);
		return set_status(reply, cs == AWS_CREDS_RETRY ? ACT_RETRY : ACT_FAILED, 0);
	}
	d->actor_known = true;
	return terminate(d, call, &k, c, reply);
}

static const char *ecs_actor(struct act_driver *base)
{
	struct ecs_driver *d = (struct ecs_driver *)base;
	const struct aws_credentials *c;
	char err[256];

	/* Resolved on first use, so that even the record of a refused isolate
	 * names the identity; while no credentials can be had the actor reads
	 * "iam:unresolved" and act() reports why. */
	if (!d->actor_known && aws_creds_get(d->creds, &c, err, sizeof(err)) == AWS_CREDS_OK)
		d->actor_known = true;
	return aws_creds_actor(d->creds);
}

static void ecs_free(struct act_driver *base)
{
	struct ecs_driver *d = (struct ecs_driver *)base;

	if (!d)
		return;
	http_client_free(d->http);
	aws_creds_free(d->creds);
	free(d->endpoint);
	free(d);
}

/* The session token travels in a header: plain http only to this host. */
static bool endpoint_allowed(const char *url)
{
	char host[256];
	bool https;

	return strlen(url) < ENDPOINT_MAX && !aws_url_host(url, &https, host, sizeof(host)) &&
	       (https || aws_host_loopback(host));
}

static int configure(struct ecs_driver *d, const struct ecs_driver_options *o, char *err, size_t errlen)
{
	const char *env = getenv("AWS_REGION");

	if (!env || !env[0])
		env = getenv("AWS_DEFAULT_REGION");
	if (o->region && !ecs_region_valid(o->region))
		return snprintf(err, errlen, "ecs: not a region name: %s", o->region), -1;
	if (env && env[0] && !ecs_region_valid(env))
		return snprintf(err, errlen, "ecs: AWS_REGION / AWS_DEFAULT_REGION is not a region name: %s", env), -1;
	snprintf(d->region, sizeof(d->region), "%s", o->region ? o->region : "");
	snprintf(d->env_region, sizeof(d->env_region), "%s", env ? env : "");
	if (o->endpoint && !endpoint_allowed(o->endpoint))
		return snprintf(err, errlen, "ecs: endpoint must be an https URL, or http to loopback: %s", o->endpoint),
		       -1;
	if (o->endpoint && !(d->endpoint = strdup(o->endpoint)))
		return snprintf(err, errlen, "ecs: out of memory"), -1;
	d->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 10000;
	return 0;
}

struct act_driver *ecs_driver_new(const struct ecs_driver_options *o, char *err, size_t errlen)
{
	struct ecs_driver *d = calloc(1, sizeof(*d));

	if (!d)
		return snprintf(err, errlen, "ecs: out of memory"), NULL;
	d->base = (struct act_driver){.name = "ecs", .act = ecs_act, .actor = ecs_actor, .free = ecs_free};
	if (configure(d, o, err, errlen) || !(d->creds = aws_creds_new(&o->creds, err, errlen))) {
		ecs_free(&d->base);
		return NULL;
	}
	d->http = http_client_new();
	if (!d->http) {
		snprintf(err, errlen, "ecs: libcurl failed to initialise");
		ecs_free(&d->base);
		return NULL;
	}
	return &d->base;
}
