#include "local_cgroup.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <unistd.h>

/* Deeper than any container runtime nests cgroups; bounds the walk. */
#define LOCAL_CGROUP_MAX_DEPTH 32

static bool is_cgroup2(const char *path)
{
	struct statfs sf;

	return statfs(path, &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC;
}

int local_cgroup_root_open(const char *root, char *err, size_t errlen)
{
	int fd;

	if (!root) {
		/* Pure v2 hosts mount it at /sys/fs/cgroup; hybrid ones (v1
		 * controllers alongside) at /sys/fs/cgroup/unified. */
		root = is_cgroup2("/sys/fs/cgroup") ? "/sys/fs/cgroup" : "/sys/fs/cgroup/unified";
		if (!is_cgroup2(root)) {
			snprintf(err, errlen, "no cgroup2 mount at /sys/fs/cgroup or /sys/fs/cgroup/unified");
			return -1;
		}
	}
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		snprintf(err, errlen, "cgroup2 root %s: %s", root, strerror(errno));
	return fd;
}

int local_cgroup_path_norm(struct rp_str in, char *out, size_t n)
{
	size_t i = 0, o = 0;

	if (!in.len || memchr(in.ptr, '\0', in.len))
		return -1;
	while (i < in.len) {
		size_t start, len;

		while (i < in.len && in.ptr[i] == '/')
			i++;
		for (start = i; i < in.len && in.ptr[i] != '/'; i++)
			;
		len = i - start;
		if (!len)
			break;
		if ((len == 1 && in.ptr[start] == '.') || (len == 2 && !memcmp(in.ptr + start, "..", 2)))
			return -1;
		if (o + 1 + len >= n)
			return -1;
		out[o++] = '/';
		memcpy(out + o, in.ptr + start, len);
		o += len;
	}
	if (!o)
		return -1;
	out[o] = '\0';
	return 0;
}

bool local_cgroup_contains(const char *cgroup, const char *member)
{
	size_t n = strlen(cgroup);

	return !strncmp(cgroup, member, n) && (member[n] == '\0' || member[n] == '/');
}

int local_cgroup_of_pid(pid_t pid, char *out, size_t n)
{
	char path[64], *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = -1, saved;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/cgroup", (int)pid);
	if (!(f = fopen(path, "re")))
		return -1;
	errno = ENODATA;
	while ((len = getline(&line, &cap, f)) > 0) {
		if (strncmp(line, "0::", 3))
			continue;
		if (line[len - 1] == '\n')
			line[--len] = '\0';
		if ((size_t)len - 3 < n) {
			memcpy(out, line + 3, (size_t)len - 2);
			rc = 0;
		} else {
			errno = ENAMETOOLONG;
		}
		break;
	}
	saved = errno;
	free(line);
	fclose(f);
	errno = saved;
	return rc;
}

int local_cgroup_open(int rootfd, const char *path)
{
	return openat(rootfd, path + 1, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
}

/* fn over the pids of one cgroup.procs; same results as each_pid. */
static int procs_of(int dirfd, int (*fn)(pid_t, void *), void *arg)
{
	int fd = openat(dirfd, "cgroup.procs", O_RDONLY | O_CLOEXEC), pid, rc = 0;
	FILE *f;

	if (fd < 0)
		return errno == ENOENT || errno == ENODEV ? 0 : -1;
	if (!(f = fdopen(fd, "r"))) {
		close(fd);
		return -1;
	}
	while (!rc && fscanf(f, "%d", &pid) == 1)
		rc = fn((pid_t)pid, arg) ? 1 : 0;
	if (!rc && ferror(f) && errno != ENODEV)
		rc = -1;
	fclose(f);
	return rc;
}

static int walk(int dirfd, int depth, int (*fn)(pid_t, void *), void *arg)
{
	int rc = procs_of(dirfd, fn, arg), fd;
	struct dirent *e;
	DIR *d;

	if (rc || depth >= LOCAL_CGROUP_MAX_DEPTH)
		return rc;
	/* Not dup(): that shares the offset, and a second walk of the same
	 * dirfd would find the directory already read to its end. */
	if ((fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0)
		return errno == ENOENT ? 0 : -1;
	if (!(d = fdopendir(fd))) {
		close(fd);
		return -1;
	}
	while (!rc && (e = readdir(d))) {
		int sub;

		if (e->d_type != DT_DIR || e->d_name[0] == '.')
			continue;
		sub = openat(dirfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		if (sub < 0) {
			rc = errno == ENOENT ? 0 : -1; /* removed since readdir */
			continue;
		}
		rc = walk(sub, depth + 1, fn, arg);
		close(sub);
	}
	closedir(d);
	return rc;
}

int local_cgroup_each_pid(int dirfd, int (*fn)(pid_t pid, void *arg), void *arg)
{
	return walk(dirfd, 0, fn, arg);
}

static int stop_at_first(pid_t pid, void *arg)
{
	(void)pid;
	(void)arg;
	return 1;
}

int local_cgroup_populated(int dirfd)
{
	char buf[256], *p;
	ssize_t len;
	int fd = openat(dirfd, "cgroup.events", O_RDONLY | O_CLOEXEC);

	/* No cgroup.events: the root cgroup, a removed one, or a stand-in tree. */
	if (fd < 0)
		return errno == ENOENT ? local_cgroup_each_pid(dirfd, stop_at_first, NULL) : -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len < 0)
		return errno == ENODEV ? 0 : -1;
	buf[len] = '\0';
	if (!(p = strstr(buf, "populated "))) {
		errno = EPROTO;
		return -1;
	}
	return p[sizeof("populated ") - 1] == '1';
}
