/* identity_probe: resolve processes or cgroup ids with collector/identity.c
 * and print each identity as one JSON line (for test_identity_runc.sh).
 *
 *   identity_probe [--cgroup2 ROOT] [--state-dir DIR]... [--cluster NAME]
 *                  (--pid PID | --cgroup-id ID)...
 * A pid's cgroup id is the inode of its "0::" cgroup directory, the value
 * bpf_get_current_cgroup_id() reports for it. */
#include "identity.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#define MAX_DIRS 16

static const char *default_root(void)
{
	struct statfs sf;

	return statfs("/sys/fs/cgroup/unified", &sf) == 0 && sf.f_type == 0x63677270 ? "/sys/fs/cgroup/unified"
										      : "/sys/fs/cgroup";
}

static uint64_t cgroup_id_of_pid(const char *root, const char *pid)
{
	char path[4096], line[4096];
	struct stat st;
	uint64_t id = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/cgroup", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f)) {
		if (strncmp(line, "0::", 3))
			continue;
		line[strcspn(line, "\n")] = '\0';
		if (snprintf(path, sizeof(path), "%s%s", root, line + 3) < (int)sizeof(path) && stat(path, &st) == 0)
			id = (uint64_t)st.st_ino;
	}
	if (f)
		fclose(f);
	return id;
}

static const char *workload_name(enum rp_workload_kind k)
{
	return k == RP_WORKLOAD_POD ? "pod" : k == RP_WORKLOAD_ECS_TASK ? "ecs_task" : "none";
}

static void print_identity(uint64_t cgroup_id, const struct container_identity *ci)
{
	struct rp_event ev;
	json_t *o;
	char *s;

	memset(&ev, 0, sizeof(ev));
	identity_fill_event(ci, &ev);
	o = json_pack("{s:I s:b s:b s:s s:s s:s s:s s:s s:s s:b s:s s:s s:s s:s s:s s:s s:s}",
		      "cgroup_id", (json_int_t)cgroup_id, "in_container", ci->in_container, "metadata_found",
		      ci->metadata_found, "cgroup_path", ci->cgroup_path, "container_id", ci->container_id,
		      "container_name", ci->container_name, "image", ci->image, "image_digest", ci->image_digest,
		      "runtime", ci->runtime, "privileged", ci->privileged, "pod_namespace", ci->pod_namespace,
		      "pod_name", ci->pod_name, "pod_uid", ci->pod_uid, "ecs_task_id", ci->ecs_task_id, "workload",
		      workload_name(ev.workload_kind), "cluster", ci->cluster ? ci->cluster : "", "event_container_id",
		      ev.container.id.ptr ? ev.container.id.ptr : "");
	s = o ? json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	puts(s ? s : "{}");
	free(s);
	json_decref(o);
}

static int usage(void)
{
	fprintf(stderr, "usage: identity_probe [--cgroup2 ROOT] [--state-dir DIR]... [--cluster NAME] "
			"(--pid PID | --cgroup-id ID)...\n");
	return 2;
}

static bool is_query(const char *opt)
{
	return !strcmp(opt, "--pid") || !strcmp(opt, "--cgroup-id");
}

/* Options first (any order), then the queries, each resolved in turn. */
int main(int argc, char **argv)
{
	const char *dirs[MAX_DIRS];
	struct identity_config cfg = {.orchestrator = RP_ORCH_KUBERNETES};
	struct identity *id;
	char err[512];
	size_t ndirs = 0;
	int rc = 0;

	if (argc < 3 || argc % 2 == 0)
		return usage();
	for (int i = 1; i < argc; i += 2) {
		if (!strcmp(argv[i], "--state-dir") && ndirs < MAX_DIRS)
			dirs[ndirs++] = argv[i + 1];
		else if (!strcmp(argv[i], "--cgroup2"))
			cfg.cgroup2_root = argv[i + 1];
		else if (!strcmp(argv[i], "--cluster"))
			cfg.cluster = argv[i + 1];
		else if (!is_query(argv[i]))
			return usage();
	}
	if (!cfg.cgroup2_root)
		cfg.cgroup2_root = default_root();
	cfg.state_dirs = ndirs ? dirs : NULL;
	cfg.nstate_dirs = ndirs;
	id = identity_new(&cfg, err, sizeof(err));
	if (!id) {
		fprintf(stderr, "identity_probe: %s\n", err);
		return 2;
	}
	for (int i = 1; i < argc; i += 2) {
		uint64_t cg;

		if (!is_query(argv[i]))
			continue;
		cg = !strcmp(argv[i], "--pid") ? cgroup_id_of_pid(cfg.cgroup2_root, argv[i + 1])
					       : strtoull(argv[i + 1], NULL, 0);
		if (!cg) {
			fprintf(stderr, "identity_probe: no cgroup for %s %s\n", argv[i], argv[i + 1]);
			rc = 1;
		}
		print_identity(cg, identity_lookup(id, cg));
	}
	identity_free(id);
	return rc;
}
