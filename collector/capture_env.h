/* Environment entries captured at exec: the allow-list of names the kernel
 * keeps (bpf/capture_env.bpf.h matches them in the env_names map), its
 * documented default, and splitting a record's RK_S_ENV slot into
 * "NAME=value" strings.
 *
 * Bounds (bpf/rampart_event.h): a name is 1..RK_ENV_NAME_LEN-1 bytes, at most
 * RK_ENV_NAMES_MAX names; each kept entry is cut to RK_ENV_ENTRY_MAX-1 bytes
 * of "NAME=value"; the kernel examines at most RK_ENV_SCAN_READS entries and
 * RK_ENV_SCAN_BYTES bytes of the env block (entries past that are missed and
 * the record carries RK_F_TRUNCATED). */
#ifndef RAMPART_CAPTURE_ENV_H
#define RAMPART_CAPTURE_ENV_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"
#include "rampart_event.h"

/* The default allow-list (collector.env unset): proxies, loader hijacks,
 * GLIBC_TUNABLES, package-manager install context. Returns the names and
 * sets *n. */
const char *const *capture_env_defaults(size_t *n);

/* The map key of an allowed name; 0, or -1 when the name is empty, longer
 * than RK_ENV_NAME_LEN-1 bytes or contains '='. */
int capture_env_key(const char *name, struct rk_env_key *k);

/* Splits n bytes of NUL-separated entries (an RK_S_ENV slot) into views
 * into p; entries without "NAME=" (malformed) are skipped. Fills at most max
 * views and returns how many. */
uint32_t capture_env_split(const char *p, size_t n, struct rp_str *out, uint32_t max);

#endif
