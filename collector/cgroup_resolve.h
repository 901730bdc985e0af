/* cgroup id -> cgroup path in the unified (v2) hierarchy.
 *
 * bpf_get_current_cgroup_id() is the kernfs id of the cgroup's directory,
 * which is also its inode number. The fast path opens the directory by file
 * handle (open_by_handle_at with a kernfs handle: needs
 * CAP_DAC_READ_SEARCH) and reads the path back from /proc/self/fd; when
 * that is not possible the tree is walked comparing inode numbers (which
 * also makes any directory tree usable as a stand-in root in tests). */
#ifndef RAMPART_COLLECTOR_CGROUP_RESOLVE_H
#define RAMPART_COLLECTOR_CGROUP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cgroup_resolver {
	int rootfd;            /* the cgroup2 mount, O_DIRECTORY */
	char root[4096];       /* its canonical path, no trailing slash */
	bool use_handles;      /* root is cgroup2; cleared after the first EPERM/EOPNOTSUPP */
};

/* Opens root (the cgroup2 mount point). 0, or -1 with err filled. */
int cgroup_resolver_open(struct cgroup_resolver *r, const char *root, char *err, size_t errlen);
void cgroup_resolver_close(struct cgroup_resolver *r);

/* Writes the path relative to the mount ("/" for the root cgroup,
 * "/kubepods/..." otherwise). 0 when found, -1 when no such cgroup exists
 * (any more) or the path does not fit. */
int cgroup_resolve_path(struct cgroup_resolver *r, uint64_t cgroup_id, char *out, size_t outlen);

/* True when relpath still names the cgroup with this id. */
bool cgroup_path_alive(const struct cgroup_resolver *r, const char *relpath, uint64_t cgroup_id);

/* The id of the cgroup at relpath, 0 when it does not exist. */
uint64_t cgroup_id_of(const struct cgroup_resolver *r, const char *relpath);

#endif
