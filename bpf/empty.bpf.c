// SPDX-License-Identifier: GPL-2.0
/* The overhead floor for bench_collector: programs on the same hooks as
 * capture.bpf.c that return at once. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(empty_exec) { return 0; }

SEC("tp_btf/sched_process_fork")
int BPF_PROG(empty_fork) { return 0; }

SEC("tp_btf/sched_process_exit")
int BPF_PROG(empty_exit) { return 0; }

SEC("tp_btf/sys_exit")
int BPF_PROG(empty_sys_exit) { return 0; }
