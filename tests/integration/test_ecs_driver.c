/* test_ecs_driver terminate|isolate CLUSTER TASK
 *
 * One act() of the ECS driver (actuator/ecs_driver.c), for
 * test_actuator_ecs.sh: the endpoint is $RAMPART_TEST_ECS_ENDPOINT, the
 * region and credentials come from the environment through the driver's
 * own chain, exactly as in production. Prints what the driver said,
 *   status=DONE|ALREADY_DONE|SKIPPED|RETRY|FAILED
 *   api_status=<HTTP status>
 *   target=<what it acted on>
 *   actor=<who it acted as>
 *   detail=<its detail>
 * and exits 0; 2 when the driver could not be made or on bad usage. */
#include "ecs_driver.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = {"DONE", "ALREADY_DONE", "SKIPPED", "RETRY", "FAILED"};

static struct rp_str view(const char *s)
{
	return (struct rp_str){s, (uint32_t)strlen(s)};
}

int main(int argc, char **argv)
{
	const char *endpoint = getenv("RAMPART_TEST_ECS_ENDPOINT");
	struct ecs_driver_options o = {.endpoint = endpoint, .timeout_ms = 5000};
	struct act_target t = {.orchestrator = RP_ORCH_ECS};
	struct act_call call = {.verdict_id = RP_STR("0192b6c2-test-verdict"), .rule_id = RP_STR("R0042"),
				.rule_name = RP_STR("terminal_shell_in_container"), .target = &t};
	struct act_driver *d;
	struct act_reply r;
	char err[256];

	if (argc != 4 || (strcmp(argv[1], "terminate") && strcmp(argv[1], "isolate")) || !endpoint) {
		fprintf(stderr, "usage: RAMPART_TEST_ECS_ENDPOINT=URL %s terminate|isolate CLUSTER TASK\n", argv[0]);
		return 2;
	}
	call.action = strcmp(argv[1], "terminate") == 0 ? RP_ACTION_TERMINATE : RP_ACTION_ISOLATE;
	t.ecs_cluster = view(argv[2]);
	t.task_arn = view(argv[3]);
	d = ecs_driver_new(&o, err, sizeof(err));
	if (!d) {
		fprintf(stderr, "ecs_driver_new: %s\n", err);
		return 2;
	}
	d->act(d, &call, &r);
	printf("status=%s\napi_status=%ld\ntarget=%s\nactor=%s\ndetail=%s\n", status_names[r.status], r.api_status,
	       r.target, d->actor(d), r.detail);
	d->free(d);
	return 0;
}
