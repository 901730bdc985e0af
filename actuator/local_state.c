#include "local_state.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static bool id_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       (!first && (c == '_' || c == '.' || c == '-'));
}

bool local_state_id_valid(const char *id)
{
	size_t len = strlen(id);

	if (!len || len > LOCAL_STATE_ID_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		if (!id_char(id[i], i == 0))
			return false;
	}
	return true;
}

static int record_path(const char *dir, const char *id, const char *prefix, char *out, size_t outlen, char *err,
		       size_t n)
{
	if (!local_state_id_valid(id)) {
		snprintf(err, n, "invalid container id '%.128s'", id);
		return -1;
	}
	if ((size_t)snprintf(out, outlen, "%s/%s%s", dir, prefix, id) >= outlen) {
		snprintf(err, n, "state path too long under %s", dir);
		return -1;
	}
	return 0;
}

/* mkdir -p, 0700 for what it creates. */
static int make_dirs(const char *dir, char *err, size_t n)
{
	char path[PATH_MAX];

	if ((size_t)snprintf(path, sizeof(path), "%s/", dir) >= sizeof(path)) {
		snprintf(err, n, "state dir %s: path too long", dir);
		return -1;
	}
	for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(path, 0700) && errno != EEXIST) {
			snprintf(err, n, "state dir %s: %s", path, strerror(errno));
			return -1;
		}
		*p = '/';
	}
	return 0;
}

static int write_file(const char *path, const char *text, char *err, size_t n)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600), saved;
	ssize_t w;

	if (fd < 0) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	w = write(fd, text, len);
	saved = w < 0 ? errno : EIO;
	if (close(fd) && w == (ssize_t)len) {
		saved = errno;
		w = -1;
	}
	if (w != (ssize_t)len) {
		snprintf(err, n, "%s: %s", path, strerror(saved));
		unlink(path);
		return -1;
	}
	return 0;
}

int local_state_write(const char *dir, const char *id, const struct local_state *s, char *err, size_t n)
{
	char path[PATH_MAX], tmp[PATH_MAX], text[LOCAL_CGROUP_PATH_MAX + 128];

	if (record_path(dir, id, "", path, sizeof(path), err, n) ||
	    record_path(dir, id, ".tmp.", tmp, sizeof(tmp), err, n) || make_dirs(dir, err, n))
		return -1;
	snprintf(text, sizeof(text), "cgroup %s\nnetns %" PRIu64 " %" PRIu64 "\n", s->cgroup, s->netns.dev,
		 s->netns.ino);
	if (write_file(tmp, text, err, n))
		return -1;
	if (rename(tmp, path)) {
		snprintf(err, n, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

/* Fills s from one "key value" line; -1 when the line is not ours. */
static int parse_line(char *line, struct local_state *s, int *seen)
{
	line[strcspn(line, "\n")] = '\0';
	if (!strncmp(line, "cgroup ", 7)) {
		*seen |= 1;
		return local_cgroup_path_norm((struct rp_str){line + 7, (uint32_t)strlen(line + 7)}, s->cgroup,
					      sizeof(s->cgroup));
	}
	if (sscanf(line, "netns %" SCNu64 " %" SCNu64, &s->netns.dev, &s->netns.ino) == 2) {
		*seen |= 2;
		return 0;
	}
	return -1;
}

int local_state_read(const char *dir, const char *id, struct local_state *s, char *err, size_t n)
{
	char path[PATH_MAX], *line = NULL;
	size_t cap = 0;
	int seen = 0, rc = 0;
	FILE *f;

	if (record_path(dir, id, "", path, sizeof(path), err, n))
		return -1;
	if (!(f = fopen(path, "re"))) {
		if (errno == ENOENT)
			return 1;
		snprintf(err, n, "%s: %s", path, strerror(errno));
		return -1;
	}
	while (!rc && getline(&line, &cap, f) > 0)
		rc = parse_line(line, s, &seen);
	if (rc || ferror(f) || seen != 3) {
		snprintf(err, n, "%s: malformed isolation record", path);
		rc = -1;
	}
	free(line);
	fclose(f);
	return rc;
}

int local_state_remove(const char *dir, const char *id, char *err, size_t n)
{
	char path[PATH_MAX];

	if (record_path(dir, id, "", path, sizeof(path), err, n))
		return -1;
	if (unlink(path) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	snprintf(err, n, "%s: %s", path, strerror(errno));
	return -1;
}
