/* The cgroup2 files the local driver reads and writes: finding the mount,
 * validating a cgroup path given by a verdict, a process's cgroup, the
 * processes of a cgroup subtree, and whether it is still populated.
 *
 * Paths are relative to the cgroup2 mount, written "/a/b" (normalised: no
 * empty, "." or ".." components, no trailing slash). */
#ifndef RAMPART_ACT_LOCAL_CGROUP_H
#define RAMPART_ACT_LOCAL_CGROUP_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "event.h"

#define LOCAL_CGROUP_PATH_MAX 4096

/* Opens the cgroup2 mount (root NULL: /sys/fs/cgroup if it is cgroup2,
 * else /sys/fs/cgroup/unified, which must then be cgroup2). An explicit
 * root may be any directory (a stand-in tree in tests). fd or -1 with err. */
int local_cgroup_root_open(const char *root, char *err, size_t errlen);

/* Normalises in into out. -1 when it is empty or the root, has a "." or
 * ".." component or a NUL byte, or does not fit: nothing a verdict may name
 * as a container's cgroup. */
int local_cgroup_path_norm(struct rp_str in, char *out, size_t n);

/* True when member is cgroup or below it (both normalised as above). */
bool local_cgroup_contains(const char *cgroup, const char *member);

/* pid's cgroup2 path (the "0::" line of /proc/<pid>/cgroup). 0, or -1 with
 * errno (ENOENT: no such process; ENODATA: no cgroup2 line). */
int local_cgroup_of_pid(pid_t pid, char *out, size_t n);

/* The cgroup's directory, O_DIRECTORY; -1 with errno (ENOENT: gone). */
int local_cgroup_open(int rootfd, const char *path);

/* Calls fn for every process of the cgroup and its descendants until fn
 * returns non-zero. 1 when fn stopped the walk, 0 when every process was
 * seen, -1 with errno when a cgroup.procs could not be read. A cgroup
 * removed meanwhile has no processes. */
int local_cgroup_each_pid(int dirfd, int (*fn)(pid_t pid, void *arg), void *arg);

/* 1 while any process is left in the subtree, 0 when none is (or the
 * cgroup is gone), -1 with errno. */
int local_cgroup_populated(int dirfd);

#endif
