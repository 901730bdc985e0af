/* Maps and load-time configuration shared by the capture programs. */
#ifndef RAMPART_CAPTURE_MAPS_BPF_H
#define RAMPART_CAPTURE_MAPS_BPF_H

#include "rampart_event.h"

/* Set by the loader before load (read-only data lets the verifier prune the
 * branches a configuration does not use). */
const volatile __u32 cfg_self_tgid = 0;        /* the collector itself is never captured */
const volatile bool cfg_container_only = true; /* drop host processes in the kernel */
const volatile __u32 cfg_host_pidns = 0;       /* inode numbers of the host's pid and mnt ns */
const volatile __u32 cfg_host_mntns = 0;
const volatile bool cfg_ro_filter = false;     /* read-only opens must match ro_prefixes */
const volatile bool cfg_env = false;           /* env_names is not empty: scan the env at exec */
const volatile __u32 cfg_env_lens = 0;         /* bit n: some allowed name is n bytes long */
/* Wake the reader only once this much is pending: a wakeup per record costs
 * the traced task an irq_work and the reader a context switch. The reader
 * polls with a short timeout, which bounds the latency. */
const volatile __u64 cfg_wakeup_bytes = 0;

/* Sized by the loader (bpf_map__set_max_entries) before load. */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 16 << 20);
} events SEC(".maps");

/* Ring-buffer reservation failures, per CPU: the kernel side of measured loss. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} drops SEC(".maps");

/* Syscall number -> RK_I_* flags; 0 = not captured (the cheap early return). */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RK_NR_MAX);
	__type(key, __u32);
	__type(value, __u32);
} interest SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RK_PREFIX_MAX);
	__type(key, __u32);
	__type(value, struct rk_prefix);
} ro_prefixes SEC(".maps");

/* Environment names kept at exec (rk_env_key -> 1), set by the loader. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, RK_ENV_NAMES_MAX);
	__type(key, struct rk_env_key);
	__type(value, __u8);
} env_names SEC(".maps");

/* One record under construction per CPU: header + string area + slack so
 * masked offsets never index past the value. */
#define RK_SCRATCH_SIZE (sizeof(struct rk_record) + RK_DATA_MAX + RK_SLACK)
struct rk_scratch {
	char b[RK_SCRATCH_SIZE];
};
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rk_scratch);
} scratch SEC(".maps");

/* Exe path and drift flags per process (tgid), computed once per exec (or on
 * the first event of a process that predates the collector). start_ns
 * detects a recycled pid. */
struct rk_exe {
	__u64 start_ns;
	__u32 flags;
	__u16 len;
	__u16 comp;
	char path[RK_EXE_MAX + RK_NAME_MAX];
};
struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 32768);
	__type(key, __u32);
	__type(value, struct rk_exe);
} exe_cache SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct rk_exe);
} exe_tmp SEC(".maps");

#endif
