#include "cgroup_resolve.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#define FILEID_KERNFS 0xfe
#define CGROUP2_SUPER_MAGIC 0x63677270
#define CGROUP_WALK_MAX_DEPTH 32

int cgroup_resolver_open(struct cgroup_resolver *r, const char *root, char *err, size_t errlen)
{
	char *canon = realpath(root, NULL);
	struct statfs sf;

	memset(r, 0, sizeof(*r));
	r->rootfd = -1;
	if (!canon || strlen(canon) >= sizeof(r->root)) {
		snprintf(err, errlen, "cgroup2 root %s: %s", root, canon ? "path too long" : strerror(errno));
		free(canon);
		return -1;
	}
	strcpy(r->root, strcmp(canon, "/") ? canon : "");
	free(canon);
	r->rootfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (r->rootfd < 0) {
		snprintf(err, errlen, "cgroup2 root %s: %s", root, strerror(errno));
		return -1;
	}
	/* kernfs file handles only mean cgroup ids on cgroup2 itself. */
	r->use_handles = fstatfs(r->rootfd, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
	return 0;
}

void cgroup_resolver_close(struct cgroup_resolver *r)
{
	if (r->rootfd >= 0)
		close(r->rootfd);
	r->rootfd = -1;
}

/* The path below the mount from an absolute one; -1 when outside it. */
static int strip_root(const struct cgroup_resolver *r, const char *abs, char *out, size_t outlen)
{
	size_t n = strlen(r->root);
	const char *rest = abs + n;

	if (strncmp(abs, r->root, n) || (*rest && *rest != '/'))
		return -1;
	if (!*rest)
		rest = "/";
	if (strlen(rest) >= outlen)
		return -1;
	strcpy(out, rest);
	return 0;
}

/* 1 found, 0 no such cgroup, -1 handles unusable here. */
static int resolve_by_handle(struct cgroup_resolver *r, uint64_t id, char *out, size_t outlen)
{
	struct {
		struct file_handle fh;
		uint64_t id;
	} h = {.fh = {.handle_bytes = sizeof(uint64_t), .handle_type = FILEID_KERNFS}, .id = id};
	char link[64], abs[PATH_MAX];
	ssize_t n;
	int fd = open_by_handle_at(r->rootfd, &h.fh, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return errno == ESTALE || errno == ENOENT || errno == ENOTDIR ? 0 : -1;
	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, abs, sizeof(abs) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	abs[n] = '\0';
	return strip_root(r, abs, out, outlen) ? -1 : 1;
}

/* Depth-first search below dirfd; path holds the dir's relative path. */
static int walk(int dirfd, char *path, size_t len, size_t cap, uint64_t id, int depth)
{
	DIR *d;
	struct dirent *e;
	int found = 0;

	if (depth > CGROUP_WALK_MAX_DEPTH || !(d = fdopendir(dirfd))) {
		close(dirfd);
		return 0;
	}
	while (!found && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		int sub;

		if (e->d_type != DT_DIR || e->d_name[0] == '.' || len + 1 + n >= cap)
			continue;
		path[len] = '/';
		memcpy(path + len + 1, e->d_name, n + 1);
		if ((uint64_t)e->d_ino == id)
			found = 1;
		else if ((sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0)
			found = walk(sub, path, len + 1 + n, cap, id, depth + 1);
	}
	closedir(d);
	if (!found)
		path[len] = '\0';
	return found;
}

static int resolve_by_walk(const struct cgroup_resolver *r, uint64_t id, char *out, size_t outlen)
{
	struct stat st;
	int fd;

	if (fstat(r->rootfd, &st) == 0 && (uint64_t)st.st_ino == id) {
		snprintf(out, outlen, "/");
		return 1;
	}
	fd = openat(r->rootfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0 || outlen == 0)
		return 0;
	out[0] = '\0';
	return walk(fd, out, 0, outlen, id, 0);
}

int cgroup_resolve_path(struct cgroup_resolver *r, uint64_t cgroup_id, char *out, size_t outlen)
{
	int rc = -1;

	if (r->use_handles) {
		rc = resolve_by_handle(r, cgroup_id, out, outlen);
		if (rc < 0 && (errno == EPERM || errno == EOPNOTSUPP || errno == EINVAL))
			r->use_handles = false;
	}
	if (rc < 0)
		rc = resolve_by_walk(r, cgroup_id, out, outlen);
	return rc == 1 ? 0 : -1;
}

uint64_t cgroup_id_of(const struct cgroup_resolver *r, const char *relpath)
{
	struct stat st;
	const char *rel = relpath;

	while (*rel == '/')
		rel++;
	if (fstatat(r->rootfd, *rel ? rel : ".", &st, AT_SYMLINK_NOFOLLOW) || !S_ISDIR(st.st_mode))
		return 0;
	return (uint64_t)st.st_ino;
}

bool cgroup_path_alive(const struct cgroup_resolver *r, const char *relpath, uint64_t cgroup_id)
{
	return relpath[0] && cgroup_id_of(r, relpath) == cgroup_id;
}
