#include "ecs_api.h"

#include <stdio.h>
#include <string.h>

static enum aws_call_status ecs_call(const struct ecs_endpoint *e, const char *op, json_t *body,
				     struct aws_call_result *r)
{
	struct aws_call call = {.endpoint = e->url, .region = e->region, .service = "ecs",
				.target = NULL, .creds = e->creds, .body = body, .timeout_ms = e->timeout_ms};
	char target[96];

	if (!body) {
		memset(r, 0, sizeof(*r));
		snprintf(r->message, sizeof(r->message), "%s: cannot build the request (out of memory)", op);
		return r->status = AWS_CALL_FAILED;
	}
	snprintf(target, sizeof(target), ECS_TARGET_PREFIX "%s", op);
	call.target = target;
	aws_json_call(e->http, &call, r);
	json_decref(body);
	return r->status;
}

/* Whether arn (a task ARN in an answer) names the task with this id. */
static bool names_task(const char *arn, const char *task_id)
{
	size_t n = arn ? strlen(arn) : 0, m = strlen(task_id);

	return n > m && arn[n - m - 1] == '/' && strcmp(arn + n - m, task_id) == 0;
}

static const char *str(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

static void read_task(const json_t *t, struct ecs_task_view *v)
{
	snprintf(v->last_status, sizeof(v->last_status), "%s", str(t, "lastStatus"));
	snprintf(v->stopped_reason, sizeof(v->stopped_reason), "%s", str(t, "stoppedReason"));
	if (strcmp(v->last_status, "STOPPED") == 0)
		v->state = ECS_TASK_STOPPED;
	else if (strcmp(str(t, "desiredStatus"), "STOPPED") == 0)
		v->state = ECS_TASK_STOPPING;
	else
		v->state = ECS_TASK_ACTIVE;
}

/* A failure entry about our task (or about no task in particular). */
static void read_failure(const json_t *f, struct ecs_task_view *v, struct aws_call_result *r)
{
	if (strcmp(str(f, "reason"), "MISSING") == 0)
		return;
	snprintf(r->type, sizeof(r->type), "failure:%s", str(f, "reason"));
	snprintf(r->message, sizeof(r->message), "%s", str(f, "detail"));
	r->status = AWS_CALL_FAILED;
	v->state = ECS_TASK_ACTIVE;
}

static void read_answer(const json_t *doc, const char *task_id, struct ecs_task_view *v,
			struct aws_call_result *r)
{
	const json_t *t, *f;
	size_t i;

	v->state = ECS_TASK_MISSING;
	json_array_foreach(json_object_get(doc, "tasks"), i, t)
		if (names_task(json_string_value(json_object_get(t, "taskArn")), task_id))
			return read_task(t, v);
	json_array_foreach(json_object_get(doc, "failures"), i, f) {
		const char *arn = json_string_value(json_object_get(f, "arn"));

		if (!arn || names_task(arn, task_id) || strcmp(arn, task_id) == 0)
			return read_failure(f, v, r);
	}
}

enum aws_call_status ecs_describe_task(const struct ecs_endpoint *e, const char *cluster, const char *task,
				       const char *task_id, struct ecs_task_view *v, struct aws_call_result *r)
{
	json_t *body = json_pack("{s:s, s:[s]}", "cluster", cluster, "tasks", task);

	memset(v, 0, sizeof(*v));
	if (ecs_call(e, "DescribeTasks", body, r) == AWS_CALL_OK)
		read_answer(r->doc, task_id, v, r);
	return r->status;
}

enum aws_call_status ecs_stop_task(const struct ecs_endpoint *e, const char *cluster, const char *task,
				   const char *reason, struct aws_call_result *r)
{
	json_t *body = json_pack("{s:s, s:s, s:s}", "cluster", cluster, "task", task, "reason", reason);

	return ecs_call(e, "StopTask", body, r);
}
