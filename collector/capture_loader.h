/* Loads, configures and attaches the capture programs (bpf/capture.bpf.c)
 * and reads their ring buffer. Preconditions are checked first so a failure
 * names what is missing: kernel BTF, privileges, a hook. The exec and
 * sys_exit hooks are required; fork and exit are optional (reported, and the
 * rest runs without them). */
#ifndef RAMPART_CAPTURE_LOADER_H
#define RAMPART_CAPTURE_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct capture_options {
	bool container_only;              /* drop host processes in the kernel */
	uint32_t ringbuf_bytes;           /* power of two >= page size; 0 = 8 MiB */
	const char *const *syscalls;      /* names to capture; NULL = all covered */
	size_t nsyscalls;
	const char *const *ro_prefixes;   /* read-only opens outside these are dropped; none = keep all */
	size_t nprefixes;
	const char *const *env_names;     /* env NAMEs kept at exec; NULL = capture_env_defaults() */
	size_t nenv_names;                /* with env_names set: 0 = no env capture */
	bool capture_self;                /* tests only: do not exclude the calling process */
};

/* Called for each record; a non-zero return stops the current poll. */
typedef int (*capture_record_fn)(void *ctx, const void *data, size_t len);

struct capture;

struct capture *capture_open(const struct capture_options *o, capture_record_fn fn, void *ctx, char *err,
			     size_t errlen);
/* Consumes available records, waiting up to timeout_ms. The kernel wakes
 * the reader only when an eighth of the ring is pending, so callers poll
 * with a short timeout (it bounds the delivery latency). Returns the number
 * consumed or a negative errno. */
int capture_poll(struct capture *c, int timeout_ms);
/* Sum over CPUs of ring-buffer reservation failures. */
uint64_t capture_drops(const struct capture *c);
/* Per CPU, into out[0..max); returns the number of CPUs filled (0 on error).
 * A map lookup: safe from another thread than the reader's. */
int capture_drops_per_cpu(const struct capture *c, uint64_t *out, int max);
/* Comma-separated hooks that failed to attach ("" when none). */
const char *capture_missing_hooks(const struct capture *c);
void capture_close(struct capture *c);

#endif
