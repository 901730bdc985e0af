/* Drives the local driver (actuator/local_driver.h) once, for
 * test_actuator_local.sh:
 *   test_local_driver_run [--state-dir D] [--cgroup2-root R] isolate|terminate ID CGROUP PID
 *       prints "<outcome>: <detail>" (done, already_done, skipped, retry, failed)
 *   test_local_driver_run [--state-dir D] [--cgroup2-root R] release ID
 *       prints "released: ...", "not_isolated: ..." or "failed: ..."
 *   test_local_driver_run table-present
 *       prints "present" or "absent": the quarantine table in this
 *       process's own network namespace
 * Exit 0 when the driver answered, 1 when it could not be set up or
 * table-present failed, 2 on usage errors. */
#include "local_driver.h"
#include "local_nft.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const outcome_names[] = {
	[ACT_DONE] = "done", [ACT_ALREADY_DONE] = "already_done", [ACT_SKIPPED] = "skipped",
	[ACT_RETRY] = "retry", [ACT_FAILED] = "failed",
};

static int usage(void)
{
	fprintf(stderr, "usage: test_local_driver_run [--state-dir D] [--cgroup2-root R] "
			"isolate|terminate ID CGROUP PID | release ID | table-present\n");
	return 2;
}

static struct rp_str str(const char *s)
{
	return (struct rp_str){s, (uint32_t)strlen(s)};
}

static int run_action(const struct local_driver_options *o, enum rp_action a, char **argv)
{
	struct act_target t = {.orchestrator = RP_ORCH_NONE, .container_id = str(argv[0]), .cgroup = str(argv[1]),
			       .pid = (int32_t)atoi(argv[2])};
	struct act_call call = {.verdict_id = str("test-verdict"), .action = a, .target = &t};
	struct act_reply r;
	char err[256];
	struct act_driver *d = local_driver_new(o, err, sizeof(err));

	if (!d) {
		fprintf(stderr, "local driver: %s\n", err);
		return 1;
	}
	d->act(d, &call, &r);
	printf("%s: %s\n", outcome_names[r.status], r.detail);
	fprintf(stderr, "target %s, actor %s\n", r.target, d->actor(d));
	d->free(d);
	return 0;
}

static int run_release(const struct local_driver_options *o, const char *id)
{
	char msg[1024];
	int rc = local_driver_release(o, id, msg, sizeof(msg));

	printf("%s: %s\n", rc == 0 ? "released" : rc > 0 ? "not_isolated" : "failed", msg);
	return 0;
}

static int run_table_present(void)
{
	char msg[512];
	int rc = local_nft_present(msg, sizeof(msg));

	if (rc < 0) {
		fprintf(stderr, "%s\n", msg);
		return 1;
	}
	puts(rc ? "present" : "absent");
	return 0;
}

int main(int argc, char **argv)
{
	struct local_driver_options o = {0};
	int i = 1;

	for (; i + 1 < argc && !strncmp(argv[i], "--", 2); i += 2) {
		if (!strcmp(argv[i], "--state-dir"))
			o.state_dir = argv[i + 1];
		else if (!strcmp(argv[i], "--cgroup2-root"))
			o.cgroup2_root = argv[i + 1];
		else
			return usage();
	}
	if (argc - i == 4 && !strcmp(argv[i], "isolate"))
		return run_action(&o, RP_ACTION_ISOLATE, argv + i + 1);
	if (argc - i == 4 && !strcmp(argv[i], "terminate"))
		return run_action(&o, RP_ACTION_TERMINATE, argv + i + 1);
	if (argc - i == 2 && !strcmp(argv[i], "release"))
		return run_release(&o, argv[i + 1]);
	if (argc - i == 1 && !strcmp(argv[i], "table-present"))
		return run_table_present();
	return usage();
}
