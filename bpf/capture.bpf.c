// SPDX-License-Identifier: GPL-2.0
/* rampart capture: process lifecycle from the scheduler tracepoints and the
 * interesting syscalls from one sys_exit program, written as rk_record
 * (rampart_event.h) to the `events` ring buffer. */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "capture_env.bpf.h"
#include "capture_sys.bpf.h"

char LICENSE[] SEC("license") = "GPL";

SEC("tp_btf/sched_process_exec")
int BPF_PROG(rp_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	struct task_struct *t = rk_current(); /* == p, as a scalar for global functions */
	struct rk_record *rec;
	__u64 as, ae, len;
	__u32 off;

	if (rk_skip_task(p))
		return 0;
	rec = rk_record_new(RK_EXEC);
	if (!rec)
		return 0;
	/* The new image replaces whatever the cache held for this process. */
	rk_exe_compute(0, (__u64)t, (__u64)BPF_CORE_READ(bprm, file));
	off = rk_fill_proc(0);
	off = rk_put_path(off, RK_S_CWD, (__u64)BPF_CORE_READ(t, fs, pwd.dentry), (__u64)BPF_CORE_READ(t, fs, pwd.mnt));
	as = BPF_CORE_READ(t, mm, arg_start);
	ae = BPF_CORE_READ(t, mm, arg_end);
	len = ae > as ? ae - as : 0;
	if (len > RK_ARGV_MAX) {
		len = RK_ARGV_MAX;
		rec->proc.flags |= RK_F_TRUNCATED;
	}
	rk_bound(len, 8191);
	if (len <= RK_ARGV_MAX && off + RK_ARGV_MAX <= RK_DATA_MAX &&
	    !bpf_probe_read_user(&rec->data[off & RK_DATA_MASK], len, (void *)as)) {
		rk_slot(rec, RK_S_ARGV, off, off + len, false);
		off += len;
	}
	off = rk_put_env(off, (__u64)t);
	rec = rk_rec();
	return rec ? rk_submit(rec, off) : 0;
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(rp_fork, struct task_struct *parent, struct task_struct *child)
{
	struct rk_record *rec;
	__u32 off;

	if (BPF_CORE_READ(child, pid) != BPF_CORE_READ(child, tgid)) /* a new thread */
		return 0;
	if (rk_skip_task(parent))
		return 0;
	rec = rk_record_new(RK_FORK);
	if (!rec)
		return 0;
	rec->result = BPF_CORE_READ(child, tgid);
	off = rk_fill_proc(0); /* current is the parent */
	rec = rk_rec();
	return rec ? rk_submit(rec, off) : 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(rp_exit, struct task_struct *p)
{
	struct rk_record *rec;
	__u32 off, tgid = BPF_CORE_READ(p, tgid);

	if (BPF_CORE_READ(p, pid) != tgid) /* a thread, not the process */
		return 0;
	if (rk_skip_task(p)) {
		bpf_map_delete_elem(&exe_cache, &tgid);
		return 0;
	}
	rec = rk_record_new(RK_EXIT);
	if (!rec)
		return 0;
	rec->result = BPF_CORE_READ(p, exit_code);
	off = rk_fill_proc(0);
	bpf_map_delete_elem(&exe_cache, &tgid);
	rec = rk_rec();
	return rec ? rk_submit(rec, off) : 0;
}

static __always_inline int rk_sys_event(struct pt_regs *regs, __u32 nr, __u32 want, long ret)
{
	struct task_struct *t = rk_current();
	struct rk_record *rec;
	__u64 a[6];
	int off = 0;

	if (rk_skip_task(t))
		return 0;
	a[0] = regs->di;
	a[1] = regs->si;
	a[2] = regs->dx;
	a[3] = regs->r10;
	a[4] = regs->r8;
	a[5] = regs->r9;
	if (!rk_prefilter(nr, a, ret, t))
		return 0;
	rec = rk_record_new(RK_SYSCALL);
	if (!rec)
		return 0;
	rec->nr = nr;
	rec->result = ret;
	__builtin_memcpy(rec->args, a, sizeof(a));
	if (nr == __NR_open || nr == __NR_openat || nr == __NR_openat2 || nr == __NR_creat) {
		off = rk_args_open(0, nr, want);
		if (off < 0)
			return 0;
	} else {
		off = rk_args_path(0, nr);
		off = rk_args_other(off, nr);
	}
	off = rk_fill_proc(off);
	off = rk_put_argv(off, RK_SYS_ARGV_MAX);
	rec = rk_rec();
	return rec ? rk_submit(rec, off) : 0;
}

/* Every syscall of every task passes here: the interest lookup (an inlined
 * array access) is the whole cost of an uninteresting syscall. */
SEC("tp_btf/sys_exit")
int BPF_PROG(rp_sys_exit, struct pt_regs *regs, long ret)
{
	__u32 nr = regs->orig_ax;
	__u32 *want;

	if (nr >= RK_NR_MAX)
		return 0;
	want = bpf_map_lookup_elem(&interest, &nr);
	if (!want || !*want)
		return 0;
	return rk_sys_event(regs, nr, *want, ret);
}
