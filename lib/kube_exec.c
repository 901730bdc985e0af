#include "kube_exec.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"

#define EXEC_MAX_STDOUT (1u << 20)
#define EXEC_STDERR_KEPT 400
#define EXEC_DEFAULT_TIMEOUT_MS 60000

extern char **environ;

struct plugin_run {
	pid_t pid;
	int out_fd, err_fd;
	struct rp_buf out, err;
	bool timed_out;
	int wstatus;
};

static size_t name_len(const char *entry)
{
	const char *eq = strchr(entry, '=');

	return eq ? (size_t)(eq - entry) : strlen(entry);
}

static bool overridden(const char *entry, char *const *env)
{
	size_t n = name_len(entry);

	if (n == sizeof("KUBERNETES_EXEC_INFO") - 1 && !strncmp(entry, "KUBERNETES_EXEC_INFO", n))
		return true;
	for (; env && *env; env++) {
		if (name_len(*env) == n && !strncmp(*env, entry, n))
			return true;
	}
	return false;
}

/* environ minus what the plugin's env overrides, then the plugin's env, then
 * KUBERNETES_EXEC_INFO (info, owned by the caller). Frees only the array. */
static char **plugin_envp(const struct kube_exec_config *c, char *info)
{
	size_t n = 2, k = 0;
	char **envp;

	for (char **e = environ; e && *e; e++)
		n++;
	for (char **e = c->env; e && *e; e++)
		n++;
	envp = calloc(n, sizeof(*envp));
	if (!envp)
		return NULL;
	for (char **e = environ; e && *e; e++) {
		if (!overridden(*e, c->env))
			envp[k++] = *e;
	}
	for (char **e = c->env; e && *e; e++)
		envp[k++] = *e;
	envp[k++] = info;
	envp[k] = NULL;
	return envp;
}

static char *exec_info(const struct kube_exec_config *c)
{
	json_t *spec = json_pack("{s:b}", "interactive", 0), *doc;
	char *s = NULL, *env = NULL;

	if (spec && c->cluster_json) {
		json_t *cluster = json_loads(c->cluster_json, 0, NULL);

		if (!cluster || json_object_set_new(spec, "cluster", cluster)) {
			json_decref(spec);
			return NULL;
		}
	}
	doc = json_pack("{s:s, s:s, s:o}", "kind", "ExecCredential", "apiVersion", c->api_version, "spec", spec);
	if (doc)
		s = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	if (s && asprintf(&env, "KUBERNETES_EXEC_INFO=%s", s) < 0)
		env = NULL;
	free(s);
	return env;
}

static void close_pair(int p[2])
{
	for (int i = 0; i < 2; i++) {
		if (p[i] >= 0)
			close(p[i]);
		p[i] = -1;
	}
}

static int spawn_plugin(const struct kube_exec_config *c, char **envp, struct plugin_run *r, char *err,
			size_t errlen)
{
	int out[2] = {-1, -1}, errp[2] = {-1, -1}, rc;
	posix_spawn_file_actions_t fa;
	size_t nargs = 0;
	char **argv;

	for (char **a = c->args; a && *a; a++)
		nargs++;
	argv = calloc(nargs + 2, sizeof(*argv));
	/* O_CLOEXEC: plugins another thread starts must not inherit our pipes */
	if (!argv || pipe2(out, O_CLOEXEC) || pipe2(errp, O_CLOEXEC)) {
		snprintf(err, errlen, "credential plugin %s: %s", c->command, strerror(errno));
		close_pair(out);
		free(argv);
		return -1;
	}
	argv[0] = c->command;
	if (nargs)
		memcpy(argv + 1, c->args, nargs * sizeof(*argv));
	rc = posix_spawn_file_actions_init(&fa);
	rc = rc ? rc : posix_spawn_file_actions_addopen(&fa, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
	rc = rc ? rc : posix_spawn_file_actions_adddup2(&fa, out[1], STDOUT_FILENO);
	rc = rc ? rc : posix_spawn_file_actions_adddup2(&fa, errp[1], STDERR_FILENO);
	rc = rc ? rc : posix_spawnp(&r->pid, c->command, &fa, NULL, argv, envp);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	close(out[1]);
	close(errp[1]);
	if (rc) {
		close(out[0]);
		close(errp[0]);
		snprintf(err, errlen, "credential plugin %s: cannot run: %s%s%s", c->command, strerror(rc),
			 c->install_hint ? ". " : "", c->install_hint ? c->install_hint : "");
		return -1;
	}
	r->out_fd = out[0];
	r->err_fd = errp[0];
	return 0;
}

static long ms_left(const struct timespec *deadline)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (deadline->tv_sec - now.tv_sec) * 1000 + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Appends what fd has; 1 at EOF. stderr beyond what is kept is drained. */
static int drain(int fd, struct rp_buf *b, size_t max)
{
	char chunk[4096];
	ssize_t n = read(fd, chunk, sizeof(chunk));

	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : 1;
	if (n == 0)
		return 1;
	if (b->len < max && buf_append(b, chunk, (size_t)n < max - b->len ? (size_t)n : max - b->len))
		return -1;
	return 0;
}

/* Reads both pipes to EOF (or the deadline), then reaps the plugin. */
static int collect(struct plugin_run *r, long timeout_ms)
{
	struct timespec deadline;
	int rc = 0;

	clock_gettime(CLOCK_MONOTONIC, &deadline);
	deadline.tv_sec += timeout_ms / 1000;
	deadline.tv_nsec += (timeout_ms % 1000) * 1000000;
	while ((r->out_fd >= 0 || r->err_fd >= 0) && !rc) {
		struct pollfd p[2] = {{r->out_fd, POLLIN, 0}, {r->err_fd, POLLIN, 0}};
		long left = ms_left(&deadline);
		int n = left > 0 ? poll(p, 2, (int)left) : 0;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -1;
			break;
		}
		if (n == 0) {
			r->timed_out = true;
			kill(r->pid, SIGKILL);
			break;
		}
		for (int i = 0; i < 2 && !rc; i++) {
			int *fd = i ? &r->err_fd : &r->out_fd;
			int d;

			if (*fd < 0 || !(p[i].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			d = drain(*fd, i ? &r->err : &r->out, i ? EXEC_STDERR_KEPT : EXEC_MAX_STDOUT + 1);
			if (d)
				close(*fd), *fd = -1;
			rc = d < 0 ? -1 : 0;
		}
	}
	if (rc)
		kill(r->pid, SIGKILL);
	while (waitpid(r->pid, &r->wstatus, 0) < 0 && errno == EINTR)
		;
	return rc;
}

/* The start of the plugin's stderr on one line, for error messages. */
static const char *stderr_text(struct plugin_run *r)
{
	if (buf_append(&r->err, "", 1))
		return "";
	for (size_t i = 0; i < r->err.len; i++) {
		if (r->err.data[i] == '\n' || r->err.data[i] == '\r' || r->err.data[i] == '\t')
			r->err.data[i] = ' ';
	}
	while (r->err.len > 1 && r->err.data[r->err.len - 2] == ' ')
		r->err.data[--r->err.len - 1] = 0;
	return (const char *)r->err.data;
}

static enum kube_cred_status judge_exit(const struct kube_exec_config *c, struct plugin_run *r, long timeout_ms,
					char *err, size_t errlen)
{
	const char *text = stderr_text(r);

	if (r->timed_out) {
		snprintf(err, errlen, "credential plugin %s: no answer within %ld ms", c->command, timeout_ms);
		return KUBE_CRED_RETRY;
	}
	if (WIFSIGNALED(r->wstatus)) {
		snprintf(err, errlen, "credential plugin %s: killed by signal %d%s%s", c->command,
			 WTERMSIG(r->wstatus), *text ? ": " : "", text);
		return KUBE_CRED_RETRY;
	}
	if (WEXITSTATUS(r->wstatus) != 0) {
		snprintf(err, errlen, "credential plugin %s: exit status %d%s%s", c->command,
			 WEXITSTATUS(r->wstatus), *text ? ": " : "", text);
		return KUBE_CRED_RETRY;
	}
	if (r->out.len > EXEC_MAX_STDOUT) {
		snprintf(err, errlen, "credential plugin %s: output larger than %u bytes", c->command,
			 EXEC_MAX_STDOUT);
		return KUBE_CRED_FAILED;
	}
	return KUBE_CRED_OK;
}

enum kube_cred_status kube_exec_run(const struct kube_exec_config *c, struct kube_exec_cred *out, char *err,
				    size_t errlen)
{
	struct plugin_run r = {.out_fd = -1, .err_fd = -1};
	char *info = exec_info(c);
	char **envp = info ? plugin_envp(c, info) : NULL;
	long timeout_ms = c->timeout_ms > 0 ? c->timeout_ms : EXEC_DEFAULT_TIMEOUT_MS;
	enum kube_cred_status st = KUBE_CRED_FAILED;

	memset(out, 0, sizeof(*out));
	if (!envp)
		snprintf(err, errlen, "credential plugin %s: out of memory", c->command);
	else if (!spawn_plugin(c, envp, &r, err, errlen)) {
		if (collect(&r, timeout_ms))
			snprintf(err, errlen, "credential plugin %s: out of memory", c->command);
		else if ((st = judge_exit(c, &r, timeout_ms, err, errlen)) == KUBE_CRED_OK)
			st = kube_exec_parse(c, r.out.len ? (const char *)r.out.data : "", r.out.len, out, err, errlen);
	}
	if (r.out_fd >= 0)
		close(r.out_fd);
	if (r.err_fd >= 0)
		close(r.err_fd);
	buf_free(&r.out);
	buf_free(&r.err);
	free(envp);
	free(info);
	return st;
}
