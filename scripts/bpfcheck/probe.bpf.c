// SPDX-License-Identifier: GPL-2.0
/* Counts getppid() calls of one pid: the smallest program that proves the
 * kernel loads, verifies and attaches a tracepoint program with a map. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

const volatile __u32 target_pid = 0;

SEC("tracepoint/syscalls/sys_enter_getppid")
int count_getppid(void *ctx)
{
	__u32 key = 0;
	__u64 *n;

	if ((bpf_get_current_pid_tgid() >> 32) != target_pid)
		return 0;
	n = bpf_map_lookup_elem(&hits, &key);
	if (n)
		__sync_fetch_and_add(n, 1);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
