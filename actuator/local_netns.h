/* A container's network namespace, found through its cgroup, and running
 * code inside it.
 *
 * The namespace is taken from a process that is in the cgroup: the given
 * pid while it still is, else any process of the cgroup's subtree. The
 * actuator itself never changes namespace: local_netns_run() forks a child
 * that enters it, runs fn and reports back. */
#ifndef RAMPART_ACT_LOCAL_NETNS_H
#define RAMPART_ACT_LOCAL_NETNS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct local_netns_id {
	uint64_t dev, ino; /* of the nsfs inode: equal ids, same namespace */
};

struct local_netns {
	int fd; /* /proc/<pid>/ns/net, open */
	struct local_netns_id id;
	pid_t pid; /* whose namespace it is */
};

/* 0 with ns open, 1 when the cgroup has no process (or is gone) or, with
 * want, none whose namespace is want; -1 with msg filled. pid <= 0: none
 * given; want NULL: any namespace. */
int local_netns_of_cgroup(int rootfd, const char *cgroup, pid_t pid, const struct local_netns_id *want,
			  struct local_netns *ns, char *msg, size_t n);
void local_netns_close(struct local_netns *ns);

/* 1 when ns is the host's: the actuator's own network namespace or that
 * of pid 1 (which differ when the actuator runs in a container that sees
 * the host's processes); 0 when neither, -1 with errno when the actuator's
 * own cannot be read. */
int local_netns_is_host(const struct local_netns *ns);

/* Runs fn(msg, n) in a child inside ns; fn returns 0..99 and may fill msg.
 * Returns fn's result, or with msg filled: LOCAL_NETNS_ENTER_FAILED when
 * the namespace could not be entered (permanent), LOCAL_NETNS_LOST when
 * the child could not be started, timed out or died (transient). */
#define LOCAL_NETNS_ENTER_FAILED (-1)
#define LOCAL_NETNS_LOST (-2)
typedef int (*local_netns_fn)(char *msg, size_t n);
int local_netns_run(const struct local_netns *ns, local_netns_fn fn, int timeout_ms, char *msg, size_t n);

#endif
