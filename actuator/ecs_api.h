/* The two ECS API calls the driver makes, over aws_json.h:
 *   DescribeTasks {"cluster", "tasks": [task]}  what state one task is in
 *   StopTask {"cluster", "task", "reason"}      stop it
 * DescribeTasks' answer is read as: the task listed with lastStatus STOPPED
 * -> ECS_TASK_STOPPED; listed with desiredStatus STOPPED -> ECS_TASK_STOPPING
 * (a stop is already under way); listed otherwise -> ECS_TASK_ACTIVE; a
 * failure with reason MISSING, or no mention of it at all -> ECS_TASK_MISSING.
 * Any other failure entry makes the call AWS_CALL_FAILED with r->type
 * "failure:<reason>" and its detail as r->message. */
#ifndef RAMPART_ECS_API_H
#define RAMPART_ECS_API_H

#include "aws_json.h"

#define ECS_TARGET_PREFIX "AmazonEC2ContainerServiceV20141113."
/* StopTask's reason is cut to this many bytes by the API contract. */
#define ECS_REASON_MAX 255

struct ecs_endpoint {
	struct http_client *http;
	const char *url, *region;
	const struct aws_credentials *creds;
	long timeout_ms;
};

enum ecs_task_state { ECS_TASK_ACTIVE, ECS_TASK_STOPPING, ECS_TASK_STOPPED, ECS_TASK_MISSING };

struct ecs_task_view {
	enum ecs_task_state state;
	char last_status[32];
	char stopped_reason[256];
};

/* task is the ARN or id sent; task_id is its id, to recognise it in the answer. */
enum aws_call_status ecs_describe_task(const struct ecs_endpoint *e, const char *cluster, const char *task,
				       const char *task_id, struct ecs_task_view *v, struct aws_call_result *r);

enum aws_call_status ecs_stop_task(const struct ecs_endpoint *e, const char *cluster, const char *task,
				   const char *reason, struct aws_call_result *r);

#endif
