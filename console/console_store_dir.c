/* The dir store: managed entries as files in the rule directories that
 * `rampart run` and file-based evaluators hot-reload. */
#include "console_store_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* mkdir -p, mode 0755 (evaluators may run as another user). */
static int make_dirs(const char *path, char *err, size_t errlen)
{
	char tmp[1024];

	if ((size_t)snprintf(tmp, sizeof(tmp), "%s", path) >= sizeof(tmp))
		return snprintf(err, errlen, "%s: path too long", path), -1;
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return snprintf(err, errlen, "%s: %s", tmp, strerror(errno)), -1;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return snprintf(err, errlen, "%s: %s", tmp, strerror(errno)), -1;
	return 0;
}

static int inside(const char *dir, const char *path)
{
	size_t n = strlen(dir);
	return strncmp(dir, path, n) == 0 && (path[n] == 0 || path[n] == '/');
}

/* A managed directory inside a console.rules path (or the reverse) would
 * load the same files twice, as duplicates. */
static int check_disjoint(const struct console_store *s, const struct console_config *c, char *err, size_t errlen)
{
	char rule[PATH_MAX], dir[PATH_MAX];

	for (size_t i = 0; i < c->nrule_paths; i++) {
		if (!realpath(c->rule_paths[i], rule))
			return snprintf(err, errlen, "console.rules: %s: %s", c->rule_paths[i], strerror(errno)), -1;
		for (int k = 0; k < CONSOLE_KINDS; k++) {
			if (!realpath(s->dirs[k], dir))
				return snprintf(err, errlen, "%s: %s", s->dirs[k], strerror(errno)), -1;
			if (inside(rule, dir) || inside(dir, rule))
				return snprintf(err, errlen, "console.rules: '%s' overlaps the managed directory '%s' "
						"(list the other rule paths, e.g. the catalog)", c->rule_paths[i],
						s->dirs[k]), -1;
		}
	}
	return 0;
}

int console_store_dir_open(struct console_store *s, const struct console_config *c, char *err, size_t errlen)
{
	for (int k = 0; k < CONSOLE_KINDS; k++) {
		if ((size_t)snprintf(s->dirs[k], sizeof(s->dirs[k]), "%s", c->dirs[k]) >= sizeof(s->dirs[k]))
			return snprintf(err, errlen, "%s: path too long", c->dirs[k]), -1;
		if (make_dirs(s->dirs[k], err, errlen))
			return -1;
	}
	return check_disjoint(s, c, err, errlen);
}

/* Written next to its final name as a dot file (which the loader and the
 * evaluators' watcher skip), flushed to disk, then renamed over it. */
int console_store_dir_put(const char *path, const char *text, size_t len, char *err, size_t errlen)
{
	char tmp[2100];
	const char *slash = strrchr(path, '/');
	int fd, rc;

	if (!slash)
		return snprintf(err, errlen, "%s: not a path", path), -1;
	snprintf(tmp, sizeof(tmp), "%.*s/.%s.tmp", (int)(slash - path), path, slash + 1);
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) < 0)
		return snprintf(err, errlen, "%s: %s", tmp, strerror(errno)), -1;
	rc = write(fd, text, len) == (ssize_t)len && fsync(fd) == 0 ? 0 : -1;
	if (rc)
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno ? errno : EIO));
	if (close(fd) && rc == 0)
		rc = (snprintf(err, errlen, "%s: %s", tmp, strerror(errno)), -1);
	if (rc == 0 && rename(tmp, path))
		rc = (snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1);
	if (rc)
		unlink(tmp);
	return rc;
}
