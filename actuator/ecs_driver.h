/* The ECS driver: terminate is StopTask on the task the verdict names
 * (act_target.task_arn, in act_target.ecs_cluster, else the cluster in the
 * ARN). One act() is one attempt:
 *   DescribeTasks first: already STOPPED, being stopped, or MISSING
 *     -> ACT_ALREADY_DONE; then StopTask -> ACT_DONE;
 *   StopTask refusing a task as not found -> ACT_ALREADY_DONE only when a
 *     second DescribeTasks confirms it is gone or stopped;
 *   throttling, 5xx, timeouts, credentials endpoints down -> ACT_RETRY;
 *   access denied, unknown cluster, bad parameters, other 4xx -> ACT_FAILED
 *     with the API's own type and message in reply->detail.
 * Isolate is refused with ACT_SKIPPED: ECS cannot cut one task off the
 * network (the core downgrades it to log before it gets here anyway).
 *
 * Region: the option, else the task ARN's, else AWS_REGION, else
 * AWS_DEFAULT_REGION; a task ARN in another region than the option is
 * ACT_FAILED, as is a verdict whose cluster differs from the ARN's: asking
 * the wrong place would read "missing" and report a running task as gone.
 * Requests are signed with SigV4 for the region and service "ecs" whatever
 * the endpoint's host; credentials come from aws_creds.h. */
#ifndef RAMPART_ECS_DRIVER_H
#define RAMPART_ECS_DRIVER_H

#include <stddef.h>

#include "aws_creds.h"
#include "driver.h"

struct ecs_driver_options {
	const char *region;   /* NULL: per task, from its ARN or the environment */
	const char *endpoint; /* NULL: https://ecs.<region>.amazonaws.com/ */
	long timeout_ms;      /* per ECS request; 0: 10000 */
	struct aws_creds_options creds;
};

/* NULL with err filled: bad region, no credential source, no memory. */
struct act_driver *ecs_driver_new(const struct ecs_driver_options *o, char *err, size_t errlen);

#endif
