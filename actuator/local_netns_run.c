#include "local_netns.h"
#include "clock.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* Exit status of a child that could not enter the namespace; above any
 * result fn may return. */
#define CHILD_ENTER_FAILED 100

static void write_all(int fd, const char *s, size_t len)
{
	while (len) {
		ssize_t w = write(fd, s, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		s += w;
		len -= (size_t)w;
	}
}

/* The child: enter, run, send msg down the pipe, exit with the result.
 * _exit, so the parent's atexit handlers and stdio buffers stay the
 * parent's. */
static void child_main(int nsfd, local_netns_fn fn, int out)
{
	char msg[1024] = "";
	int rc;

	if (setns(nsfd, CLONE_NEWNET)) {
		snprintf(msg, sizeof(msg), "setns into the container's network namespace: %s", strerror(errno));
		rc = CHILD_ENTER_FAILED;
	} else {
		rc = fn(msg, sizeof(msg));
	}
	write_all(out, msg, strlen(msg));
	_exit(rc);
}

/* Reads the child's message until EOF (it exited) or the deadline. 0 at
 * EOF, -1 on timeout or error. */
static int read_message(int fd, int timeout_ms, char *msg, size_t n)
{
	int64_t deadline = clock_mono_ms() + timeout_ms;
	size_t len = 0;

	for (;;) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		int64_t left = deadline - clock_mono_ms();
		char discard[256];
		ssize_t r;

		int ready;

		if (left <= 0)
			return -1;
		if ((ready = poll(&p, 1, (int)left)) <= 0) {
			if (ready < 0 && errno == EINTR)
				continue;
			return -1;
		}
		r = len + 1 < n ? read(fd, msg + len, n - 1 - len) : read(fd, discard, sizeof(discard));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return r == 0 ? 0 : -1;
		if (len + 1 < n) {
			len += (size_t)r;
			msg[len] = '\0';
		}
	}
}

static int wait_child(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0) {
		if (errno != EINTR)
			return -1;
	}
	return 0;
}

static int child_result(int status, char *msg, size_t n)
{
	if (WIFEXITED(status) && WEXITSTATUS(status) == CHILD_ENTER_FAILED)
		return LOCAL_NETNS_ENTER_FAILED;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	snprintf(msg, n, "network namespace helper killed by signal %d", WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return LOCAL_NETNS_LOST;
}

int local_netns_run(const struct local_netns *ns, local_netns_fn fn, int timeout_ms, char *msg, size_t n)
{
	int p[2], status, timed_out;
	pid_t pid;

	msg[0] = '\0';
	if (pipe2(p, O_CLOEXEC)) {
		snprintf(msg, n, "pipe: %s", strerror(errno));
		return LOCAL_NETNS_LOST;
	}
	if ((pid = fork()) < 0) {
		snprintf(msg, n, "fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		return LOCAL_NETNS_LOST;
	}
	if (pid == 0) {
		close(p[0]);
		child_main(ns->fd, fn, p[1]);
	}
	close(p[1]);
	/* A child stuck on a lock another thread held at fork() is killed
	 * here rather than hanging the actuator. */
	if ((timed_out = read_message(p[0], timeout_ms, msg, n)))
		kill(pid, SIGKILL);
	close(p[0]);
	if (wait_child(pid, &status)) {
		snprintf(msg, n, "waitpid: %s", strerror(errno));
		return LOCAL_NETNS_LOST;
	}
	if (timed_out) {
		snprintf(msg, n, "network namespace helper gave no answer in %d ms", timeout_ms);
		return LOCAL_NETNS_LOST;
	}
	return child_result(status, msg, n);
}
