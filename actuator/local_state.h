/* Records of isolated containers, so an isolation can be undone by id:
 * one file per container, <dir>/<container id>, holding its cgroup path
 * and the identity of the network namespace that was isolated:
 *   cgroup /kubepods/besteffort/pod.../<id>
 *   netns <st_dev> <st_ino>
 * Written atomically (temporary file + rename), mode 0600; the directory
 * is created 0700 when missing. */
#ifndef RAMPART_ACT_LOCAL_STATE_H
#define RAMPART_ACT_LOCAL_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "local_cgroup.h"
#include "local_netns.h"

#define LOCAL_STATE_ID_MAX 128

struct local_state {
	char cgroup[LOCAL_CGROUP_PATH_MAX]; /* normalised (local_cgroup.h) */
	struct local_netns_id netns;
};

/* True when id is usable as a record's file name: 1..LOCAL_STATE_ID_MAX of
 * [A-Za-z0-9_.-], starting with a letter or digit. */
bool local_state_id_valid(const char *id);

/* 0, or -1 with err filled. */
int local_state_write(const char *dir, const char *id, const struct local_state *s, char *err, size_t n);

/* 0 read, 1 no record for id, -1 with err filled (unreadable or malformed:
 * a cgroup that local_cgroup_path_norm() refuses is malformed). */
int local_state_read(const char *dir, const char *id, struct local_state *s, char *err, size_t n);

/* 0 removed, 1 there was none, -1 with err filled. */
int local_state_remove(const char *dir, const char *id, char *err, size_t n);

#endif
