/* Skeleton lifecycle: preflight, configure, load, attach, ring buffer. */
#include "capture_loader.h"

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture.skel.h"
#include "capture_env.h"
#include "capture_syscalls.h"
#include "rampart_event.h"

struct capture {
	struct rampart_capture_bpf *skel;
	struct ring_buffer *rb;
	struct bpf_link *links[4];
	capture_record_fn fn;
	void *ctx;
	char missing[128];
};

static int on_record(void *ctx, void *data, size_t len)
{
	struct capture *c = ctx;

	return c->fn(c->ctx, data, len);
}

static int preflight(char *err, size_t errlen)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		snprintf(err, errlen, "kernel BTF missing: /sys/kernel/btf/vmlinux (CONFIG_DEBUG_INFO_BTF) is required");
		return -1;
	}
	if (geteuid() != 0) {
		snprintf(err, errlen, "not root: loading eBPF programs needs root (CAP_BPF, CAP_PERFMON, CAP_SYS_RESOURCE)");
		return -1;
	}
	return 0;
}

/* The host's namespace of a kind: init's, or when /proc/1 is hidden from
 * us (hardened hosts), our own — the collector runs in the host namespaces. */
static uint32_t host_ns_inode(const char *kind)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/1/ns/%s", kind);
	if (stat(path, &st) == 0)
		return (uint32_t)st.st_ino;
	snprintf(path, sizeof(path), "/proc/self/ns/%s", kind);
	return stat(path, &st) == 0 ? (uint32_t)st.st_ino : 0;
}

/* The env allow-list in effect: the configured one or the default. */
static const char *const *env_names(const struct capture_options *o, size_t *n)
{
	if (!o->env_names)
		return capture_env_defaults(n);
	*n = o->nenv_names;
	return o->env_names;
}

/* Bit n set when an allowed name is n bytes long (names are < 32 bytes;
 * longer ones are rejected by set_env). */
static uint32_t env_lengths(const struct capture_options *o)
{
	size_t n;
	const char *const *names = env_names(o, &n);
	uint32_t bits = 0;

	for (size_t i = 0; i < n; i++)
		if (strlen(names[i]) < RK_ENV_NAME_LEN)
			bits |= 1u << strlen(names[i]);
	return bits;
}

static void set_rodata(struct rampart_capture_bpf *s, const struct capture_options *o)
{
	size_t nenv;

	env_names(o, &nenv);
	s->rodata->cfg_self_tgid = o->capture_self ? 0 : (uint32_t)getpid();
	s->rodata->cfg_container_only = o->container_only;
	/* The host's namespaces: the collector runs with hostPID (DaemonSet). */
	s->rodata->cfg_host_pidns = host_ns_inode("pid");
	s->rodata->cfg_host_mntns = host_ns_inode("mnt");
	s->rodata->cfg_ro_filter = o->nprefixes > 0;
	s->rodata->cfg_env = nenv > 0; /* no list: the exec program skips the scan entirely */
	s->rodata->cfg_env_lens = env_lengths(o);
	/* An eighth of the ring: the reader wakes well before it fills. */
	s->rodata->cfg_wakeup_bytes = (o->ringbuf_bytes ? o->ringbuf_bytes : 8u << 20) / 8;
}

static int set_interest(struct capture *c, const struct capture_options *o, char *err, size_t errlen)
{
	int fd = bpf_map__fd(c->skel->maps.interest);
	size_t n = 0;
	const struct capture_syscall *all = capture_syscalls_all(&n);

	for (size_t i = 0; i < (o->syscalls ? o->nsyscalls : n); i++) {
		const struct capture_syscall *sc = o->syscalls ? capture_syscall_by_name(o->syscalls[i]) : &all[i];
		uint32_t key, val = RK_I_ON;

		if (!sc) {
			snprintf(err, errlen, "collector.syscalls: unknown syscall '%s'", o->syscalls[i]);
			return -1;
		}
		key = (uint32_t)sc->nr;
		if (capture_syscall_is_open(sc->nr))
			val |= RK_I_RO_FILTER;
		if (bpf_map_update_elem(fd, &key, &val, BPF_ANY)) {
			snprintf(err, errlen, "interest map update for %s: %s", sc->name, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int set_prefixes(struct capture *c, const struct capture_options *o, char *err, size_t errlen)
{
	int fd = bpf_map__fd(c->skel->maps.ro_prefixes);

	if (o->nprefixes > RK_PREFIX_MAX) {
		snprintf(err, errlen, "collector.sensitive_paths: at most %d prefixes", RK_PREFIX_MAX);
		return -1;
	}
	for (uint32_t i = 0; i < o->nprefixes; i++) {
		struct rk_prefix p = {0};
		size_t n = strlen(o->ro_prefixes[i]);

		if (n == 0 || n >= RK_PREFIX_LEN) {
			snprintf(err, errlen, "collector.sensitive_paths: '%s' must be 1..%d bytes", o->ro_prefixes[i],
				 RK_PREFIX_LEN - 1);
			return -1;
		}
		p.len = (uint32_t)n;
		memcpy(p.s, o->ro_prefixes[i], n);
		if (bpf_map_update_elem(fd, &i, &p, BPF_ANY)) {
			snprintf(err, errlen, "prefix map update: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int set_env(struct capture *c, const struct capture_options *o, char *err, size_t errlen)
{
	int fd = bpf_map__fd(c->skel->maps.env_names);
	size_t n;
	const char *const *names = env_names(o, &n);
	uint8_t one = 1;

	if (n > RK_ENV_NAMES_MAX) {
		snprintf(err, errlen, "collector.env: at most %d names", RK_ENV_NAMES_MAX);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		struct rk_env_key k;

		if (capture_env_key(names[i], &k)) {
			snprintf(err, errlen, "collector.env: '%s' must be 1..%d bytes without '='", names[i],
				 RK_ENV_NAME_LEN - 1);
			return -1;
		}
		if (bpf_map_update_elem(fd, &k, &one, BPF_ANY)) {
			snprintf(err, errlen, "env name map update: %s", strerror(errno));
			return -1;
		}
	}
	return 0;
}

/* Attaches every program; required hooks failing is an error, optional
 * ones are listed in c->missing. */
static int attach_all(struct capture *c, char *err, size_t errlen)
{
	struct {
		struct bpf_program *prog;
		const char *hook;
		bool required;
	} hooks[] = {
		{c->skel->progs.rp_sys_exit, "tp_btf/sys_exit", true},
		{c->skel->progs.rp_exec, "tp_btf/sched_process_exec", true},
		{c->skel->progs.rp_fork, "tp_btf/sched_process_fork", false},
		{c->skel->progs.rp_exit, "tp_btf/sched_process_exit", false},
	};

	for (size_t i = 0; i < 4; i++) {
		c->links[i] = bpf_program__attach(hooks[i].prog);
		if (c->links[i])
			continue;
		if (hooks[i].required) {
			snprintf(err, errlen, "hook unavailable: cannot attach %s: %s", hooks[i].hook, strerror(errno));
			return -1;
		}
		size_t at = strlen(c->missing);
		snprintf(c->missing + at, sizeof(c->missing) - at, "%s%s", at ? "," : "", hooks[i].hook);
	}
	return 0;
}

static int load(struct capture *c, const struct capture_options *o, char *err, size_t errlen)
{
	int rc;

	c->skel = rampart_capture_bpf__open();
	if (!c->skel) {
		snprintf(err, errlen, "cannot open the capture BPF object: %s", strerror(errno));
		return -1;
	}
	set_rodata(c->skel, o);
	if (bpf_map__set_max_entries(c->skel->maps.events, o->ringbuf_bytes ? o->ringbuf_bytes : 8u << 20)) {
		snprintf(err, errlen, "ring buffer size %u: must be a power of two >= page size", o->ringbuf_bytes);
		return -1;
	}
	rc = rampart_capture_bpf__load(c->skel);
	if (rc) {
		snprintf(err, errlen, "the kernel refused the capture programs (%s): needs BTF, tp_btf, ring buffers and "
			 "bpf_loop (5.17+); see the verifier log above", strerror(-rc));
		return -1;
	}
	return 0;
}

struct capture *capture_open(const struct capture_options *o, capture_record_fn fn, void *ctx, char *err,
			     size_t errlen)
{
	struct capture *c;

	if (preflight(err, errlen))
		return NULL;
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->fn = fn, c->ctx = ctx;
	if (load(c, o, err, errlen) || set_interest(c, o, err, errlen) || set_prefixes(c, o, err, errlen) ||
	    set_env(c, o, err, errlen))
		goto fail;
	c->rb = ring_buffer__new(bpf_map__fd(c->skel->maps.events), on_record, c, NULL);
	if (!c->rb) {
		snprintf(err, errlen, "ring buffer: %s", strerror(errno));
		goto fail;
	}
	if (attach_all(c, err, errlen))
		goto fail;
	return c;
fail:
	capture_close(c);
	return NULL;
}

int capture_poll(struct capture *c, int timeout_ms)
{
	int n = ring_buffer__poll(c->rb, timeout_ms), m;

	if (n < 0 && n != -EINTR)
		return n;
	/* Records written without a wakeup are not signalled through epoll:
	 * consume whatever is pending once the wait is over. */
	m = ring_buffer__consume(c->rb);
	if (m < 0)
		return m;
	return (n > 0 ? n : 0) + m;
}

int capture_drops_per_cpu(const struct capture *c, uint64_t *out, int max)
{
	int ncpu = libbpf_num_possible_cpus(), n;
	uint64_t *v;
	uint32_t key = 0;

	if (ncpu <= 0)
		return 0;
	v = calloc((size_t)ncpu, sizeof(*v)); /* the kernel writes every possible CPU */
	if (!v)
		return 0;
	n = bpf_map_lookup_elem(bpf_map__fd(c->skel->maps.drops), &key, v) == 0 ? (ncpu < max ? ncpu : max) : 0;
	memcpy(out, v, (size_t)n * sizeof(*v));
	free(v);
	return n;
}

uint64_t capture_drops(const struct capture *c)
{
	uint64_t v[1024], total = 0;
	int n = capture_drops_per_cpu(c, v, 1024);

	for (int i = 0; i < n; i++)
		total += v[i];
	return total;
}

const char *capture_missing_hooks(const struct capture *c)
{
	return c->missing;
}

void capture_close(struct capture *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < 4; i++)
		bpf_link__destroy(c->links[i]);
	ring_buffer__free(c->rb);
	rampart_capture_bpf__destroy(c->skel);
	free(c);
}
