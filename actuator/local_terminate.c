/* terminate: kill every process of the container's cgroup. */
#include "local_actions.h"
#include "clock.h"
#include "local_cgroup.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define LOCAL_KILL_POLL_MS 10

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000};

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* -1 (detail filled) when the cgroup holds the actuator itself or
 * pid 1: killing it would take the host (or us) down. */
static int refuse_host_cgroup(const char *path, struct act_reply *r)
{
	const pid_t guarded[] = {getpid(), 1};
	char cg[LOCAL_CGROUP_PATH_MAX];

	for (size_t i = 0; i < sizeof(guarded) / sizeof(guarded[0]); i++) {
		if (local_cgroup_of_pid(guarded[i], cg, sizeof(cg))) {
			act_reply_detail(r, "refusing to kill %s: cannot read the cgroup of pid %d: %s", path,
					 (int)guarded[i], strerror(errno));
			return -1;
		}
		if (local_cgroup_contains(path, cg)) {
			act_reply_detail(r, "refusing to kill the root/host cgroup: %s contains %s (pid %d%s)", path,
					 cg, (int)guarded[i], i ? ", the host's init" : ", the actuator");
			return -1;
		}
	}
	return 0;
}

static int count_one(pid_t pid, void *arg)
{
	(void)pid;
	++*(int *)arg;
	return 0;
}

/* Fallback for kernels before 5.14. Skips the guarded pids in case one
 * moved into the cgroup after the check. */
static int kill_one(pid_t pid, void *arg)
{
	(void)arg;
	if (pid > 1 && pid != getpid())
		kill(pid, SIGKILL);
	return 0;
}

/* 0 written, 1 no cgroup.kill here (kernel < 5.14), -1 with errno. */
static int write_cgroup_kill(int dirfd)
{
	int fd = openat(dirfd, "cgroup.kill", O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return errno == ENOENT ? 1 : -1;
	n = write(fd, "1", 1);
	close(fd);
	return n == 1 ? 0 : -1;
}

/* Kills and waits up to wait_ms for the subtree to empty. Without
 * cgroup.kill every round signals what is left, so processes forked
 * between rounds are caught by the next one. */
static enum act_status kill_and_wait(int dirfd, const char *path, int nprocs, uint32_t wait_ms,
				     struct act_reply *r)
{
	int64_t deadline = clock_mono_ms() + wait_ms;
	int fallback = write_cgroup_kill(dirfd), populated = -1;

	if (fallback < 0) {
		act_reply_detail(r, "%s/cgroup.kill: %s", path, strerror(errno));
		return r->status = errno == EACCES || errno == EPERM ? ACT_FAILED : ACT_RETRY;
	}
	for (;;) {
		if (fallback && local_cgroup_each_pid(dirfd, kill_one, NULL) < 0)
			break;
		if ((populated = local_cgroup_populated(dirfd)) <= 0 || clock_mono_ms() >= deadline)
			break;
		sleep_ms(LOCAL_KILL_POLL_MS);
	}
	if (populated == 0) {
		act_reply_detail(r, "killed %d process%s of cgroup %s (%s)", nprocs, nprocs == 1 ? "" : "es", path,
				 fallback ? "SIGKILL each" : "cgroup.kill");
		return r->status = ACT_DONE;
	}
	act_reply_detail(r, "cgroup %s still populated %u ms after %s: %s", path, wait_ms,
			 fallback ? "SIGKILL" : "cgroup.kill", populated > 0 ? "processes left" : strerror(errno));
	return r->status = ACT_RETRY;
}

static enum act_status terminate_cgroup(const struct local_env *env, const char *path, struct act_reply *r)
{
	int dirfd = local_cgroup_open(env->rootfd, path), nprocs = 0, populated, err = errno;
	enum act_status st;

	if (dirfd < 0) {
		act_reply_detail(r, "cgroup %s: %s", path, err == ENOENT ? "gone" : strerror(err));
		return r->status = err == ENOENT ? ACT_ALREADY_DONE : ACT_FAILED;
	}
	if (local_cgroup_each_pid(dirfd, count_one, &nprocs) < 0 || (populated = local_cgroup_populated(dirfd)) < 0) {
		act_reply_detail(r, "cgroup %s: %s", path, strerror(errno));
		close(dirfd);
		return r->status = ACT_RETRY;
	}
	if (!populated) {
		act_reply_detail(r, "cgroup %s has no processes", path);
		close(dirfd);
		return r->status = ACT_ALREADY_DONE;
	}
	st = kill_and_wait(dirfd, path, nprocs, env->kill_wait_ms, r);
	close(dirfd);
	return st;
}

enum act_status local_terminate(const struct local_env *env, const struct act_target *t, struct act_reply *r)
{
	char path[LOCAL_CGROUP_PATH_MAX];

	if (local_cgroup_path_norm(t->cgroup, path, sizeof(path))) {
		act_reply_detail(r, "refusing to kill the root/host cgroup: '%.*s' is not a path below the root",
				 (int)(t->cgroup.len > 256 ? 256 : t->cgroup.len), t->cgroup.len ? t->cgroup.ptr : "");
		return r->status = ACT_FAILED;
	}
	if (refuse_host_cgroup(path, r))
		return r->status = ACT_FAILED;
	return terminate_cgroup(env, path, r);
}
