/* Per-process context read from the kernel at event time: ids, creds,
 * capabilities, ancestry, tty, and the exe path with its drift flags. */
#ifndef RAMPART_CAPTURE_TASK_BPF_H
#define RAMPART_CAPTURE_TASK_BPF_H

#include "capture_path.bpf.h"

#define RK_OVERLAYFS_MAGIC 0x794c7630
#define RK_TMPFS_MAGIC 0x01021994
#define RK_HUGETLBFS_MAGIC 0x958458f6
#define RK_SB_RDONLY 1
#define RK_MNT_READONLY 0x40
#define RK_CAP_DAC_OVERRIDE 1
/* fs/mount.h: kern_mount()ed (kernel-internal) mounts carry this mnt_ns. */
#define RK_MNT_NS_INTERNAL ((void *)-22L)

/* True for the host: both the pid and the mount namespace are the host's.
 * A hostPID container still has its own mount namespace, so it counts as a
 * container. */
static __always_inline bool rk_skip_task(struct task_struct *t)
{
	if (BPF_CORE_READ(t, tgid) == cfg_self_tgid)
		return true;
	if (!cfg_container_only)
		return false;
	struct pid *pid = BPF_CORE_READ(t, thread_pid);
	unsigned int level = BPF_CORE_READ(pid, level);
	struct upid up = {};

	bpf_probe_read_kernel(&up, sizeof(up), &pid->numbers[level & 31]);
	if (BPF_CORE_READ(up.ns, ns.inum) != cfg_host_pidns)
		return false;
	return BPF_CORE_READ(t, nsproxy, mnt_ns, ns.inum) == cfg_host_mntns;
}

/* memfd_create files live on the kernel-internal shmem (or hugetlbfs) mount,
 * named "memfd:<name>", with no directory entry. A /dev/shm file is on a
 * user-visible mount and never matches, whatever its name. */
static __always_inline bool rk_is_memfd(struct file *f, struct inode *ino, unsigned long magic)
{
	char pfx[6] = {};
	struct mount *m;

	if (magic != RK_TMPFS_MAGIC && magic != RK_HUGETLBFS_MAGIC)
		return false;
	m = rk_real_mount(BPF_CORE_READ(f, f_path.mnt));
	if (BPF_CORE_READ(m, mnt_ns) != RK_MNT_NS_INTERNAL)
		return false;
	if (BPF_CORE_READ(ino, __i_nlink) != 0)
		return false;
	bpf_probe_read_kernel(pfx, sizeof(pfx), BPF_CORE_READ(f, f_path.dentry, d_name.name));
	return pfx[0] == 'm' && pfx[1] == 'e' && pfx[2] == 'm' && pfx[3] == 'f' && pfx[4] == 'd' && pfx[5] == ':';
}

/* may_open(MAY_WRITE) without ACLs, supplementary groups or ETXTBSY: the
 * owner/group/other bit that applies to the fs creds, CAP_DAC_OVERRIDE, and
 * read-only mounts or superblocks. */
static __always_inline bool rk_is_writable(struct file *f, struct inode *ino, struct task_struct *t)
{
	const struct cred *c = BPF_CORE_READ(t, cred);
	unsigned int mode = BPF_CORE_READ(ino, i_mode);
	__u64 caps = 0;
	bool w;

	if (BPF_CORE_READ(ino, i_sb, s_flags) & RK_SB_RDONLY)
		return false;
	if (BPF_CORE_READ(f, f_path.mnt, mnt_flags) & RK_MNT_READONLY)
		return false;
	if (BPF_CORE_READ(c, fsuid.val) == BPF_CORE_READ(ino, i_uid.val))
		w = mode & 0200;
	else if (BPF_CORE_READ(c, fsgid.val) == BPF_CORE_READ(ino, i_gid.val))
		w = mode & 0020;
	else
		w = mode & 0002;
	bpf_probe_read_kernel(&caps, sizeof(caps), &c->cap_effective);
	return w || (caps & (1ull << RK_CAP_DAC_OVERRIDE));
}

/* Drift flags of the executable file for task: global, verified once. */
__noinline int rk_drift_flags(__u64 file, __u64 task)
{
	struct file *f = (void *)file;
	struct inode *ino = BPF_CORE_READ(f, f_inode);
	unsigned long magic = BPF_CORE_READ(ino, i_sb, s_magic);
	__u32 fl = 0;

	if (magic == RK_OVERLAYFS_MAGIC) {
		struct ovl_inode *oi = (void *)ino - bpf_core_field_offset(struct ovl_inode, vfs_inode);

		if (BPF_CORE_READ(oi, __upperdentry))
			fl |= RK_F_EXE_UPPER;
	}
	if (rk_is_memfd(f, ino, magic))
		fl |= RK_F_EXE_MEMFD;
	if (rk_is_writable(f, ino, (void *)task))
		fl |= RK_F_EXE_WRITABLE;
	return fl;
}

/* Computes exe path + drift flags of file for task's process into the
 * per-CPU exe_tmp and the cache. The walk uses the record's string area at
 * off as scratch. 0 on success. */
__noinline int rk_exe_compute(__u32 off, __u64 task, __u64 file)
{
	struct task_struct *t = (void *)task;
	struct file *f = (void *)file;
	__u32 zero = 0, tgid = BPF_CORE_READ(t, tgid);
	struct rk_exe *e = bpf_map_lookup_elem(&exe_tmp, &zero);
	struct rk_record *rec = rk_rec();
	__u64 len; /* 64-bit so the bound check and the copy use one register */

	if (!e || !rec || off + RK_EXE_MAX > RK_DATA_MAX)
		return -1;
	e->start_ns = BPF_CORE_READ(t, group_leader, start_boottime);
	e->flags = f ? rk_drift_flags(file, task) : 0;
	e->len = 0;
	e->comp = f ? 1 : 0;
	if (f) {
		len = rk_walk(off, RK_EXE_MAX, (__u64)BPF_CORE_READ(f, f_path.dentry),
			      (__u64)BPF_CORE_READ(f, f_path.mnt)) - off;
		if (len <= RK_EXE_MAX) {
			rk_bound(len, 511);
			bpf_probe_read_kernel(e->path, len, &rec->data[off & RK_DATA_MASK]);
			e->len = len;
		}
	}
	bpf_map_update_elem(&exe_cache, &tgid, e, BPF_ANY);
	return 0;
}

/* Puts task's process exe into slot (cached; computed on a miss); the
 * process's own drift flags go to rec->proc.flags. Returns the new offset. */
__noinline int rk_put_exe(__u32 off, __u32 slot, __u64 task)
{
	struct task_struct *t = (void *)task;
	__u32 zero = 0, tgid = BPF_CORE_READ(t, tgid);
	struct rk_exe *e = bpf_map_lookup_elem(&exe_cache, &tgid);
	struct rk_record *rec;
	__u64 len;

	if (!t || off + RK_EXE_MAX > RK_DATA_MAX)
		return off;
	if (!e || e->start_ns != BPF_CORE_READ(t, group_leader, start_boottime)) {
		if (rk_exe_compute(off, task, (__u64)BPF_CORE_READ(t, mm, exe_file)))
			return off;
		e = bpf_map_lookup_elem(&exe_tmp, &zero);
	}
	rec = rk_rec();
	if (!e || !rec)
		return off;
	len = e->len;
	if (len > RK_EXE_MAX)
		len = RK_EXE_MAX;
	rk_bound(len, 511);
	bpf_probe_read_kernel(&rec->data[off & RK_DATA_MASK], len, e->path);
	rk_slot(rec, slot, off, off + len, e->comp);
	if (slot == RK_S_EXE)
		rec->proc.flags |= e->flags;
	return off + len;
}

static __always_inline __u32 rk_tty(struct task_struct *t)
{
	struct tty_struct *tty = BPF_CORE_READ(t, signal, tty);
	__u32 major, minor;

	if (!tty)
		return 0;
	major = BPF_CORE_READ(tty, driver, major);
	minor = BPF_CORE_READ(tty, driver, minor_start) + BPF_CORE_READ(tty, index);
	return (minor & 0xff) | (major << 8) | ((minor & ~0xffu) << 12);
}

static __always_inline void rk_fill_ids(struct rk_proc *p, struct task_struct *t)
{
	const struct cred *c = BPF_CORE_READ(t, cred);

	p->pid = BPF_CORE_READ(t, tgid);
	p->tid = BPF_CORE_READ(t, pid);
	p->ppid = BPF_CORE_READ(t, real_parent, tgid);
	p->gppid = BPF_CORE_READ(t, real_parent, real_parent, tgid);
	p->uid = BPF_CORE_READ(c, uid.val);
	p->gid = BPF_CORE_READ(c, gid.val);
	p->euid = BPF_CORE_READ(c, euid.val);
	p->egid = BPF_CORE_READ(c, egid.val);
	p->loginuid = BPF_CORE_READ(t, loginuid.val);
	bpf_probe_read_kernel(&p->cap_effective, sizeof(p->cap_effective), &c->cap_effective);
	p->start_ns = BPF_CORE_READ(t, group_leader, start_boottime);
	p->cgroup_id = bpf_get_current_cgroup_id();
	p->tty = rk_tty(t);
}

/* Fills rec->proc for the current task and its exe, parent and
 * grandparent exe strings. Returns the new offset. */
__noinline int rk_fill_proc(__u32 off)
{
	struct task_struct *t = rk_current();
	struct task_struct *parent = BPF_CORE_READ(t, real_parent);
	struct task_struct *gp = BPF_CORE_READ(parent, real_parent);
	struct rk_record *rec = rk_rec();

	if (!rec)
		return off;
	rk_fill_ids(&rec->proc, t);
	BPF_CORE_READ_STR_INTO(&rec->proc.comm, t, comm);
	BPF_CORE_READ_STR_INTO(&rec->proc.pcomm, parent, comm);
	BPF_CORE_READ_STR_INTO(&rec->proc.gpcomm, gp, comm);
	off = rk_put_exe(off, RK_S_EXE, (__u64)t);
	off = rk_put_exe(off, RK_S_PEXE, (__u64)parent);
	return rk_put_exe(off, RK_S_GPEXE, (__u64)gp);
}

/* argv of the current process as it is now (mm->arg_start..arg_end, what
 * /proc/PID/cmdline shows), for events after exec: up to max bytes, only
 * when the record still has room for max bytes. A short argv area that is
 * not resident is skipped (no fault in this context). Returns the new
 * offset. */
__noinline int rk_put_argv(__u32 off, __u32 max)
{
	struct task_struct *t = rk_current();
	struct rk_record *rec = rk_rec();
	__u64 as, ae, len;

	if (!rec || max > RK_ARGV_MAX || off + max > RK_DATA_MAX)
		return off;
	as = BPF_CORE_READ(t, mm, arg_start);
	ae = BPF_CORE_READ(t, mm, arg_end);
	len = ae > as ? ae - as : 0;
	if (!len)
		return off;
	if (len > max) {
		len = max;
		rec->proc.flags |= RK_F_TRUNCATED;
	}
	rk_bound(len, 8191);
	if (len > RK_ARGV_MAX || bpf_probe_read_user(&rec->data[off & RK_DATA_MASK], len, (void *)as))
		return off;
	rk_slot(rec, RK_S_ARGV, off, off + len, false);
	return off + len;
}

static __always_inline struct rk_record *rk_record_new(__u16 kind)
{
	struct rk_record *rec = rk_rec();

	if (!rec)
		return NULL;
	__builtin_memset(rec, 0, sizeof(*rec));
	rec->kind = kind;
	rec->time_ns = bpf_ktime_get_boot_ns();
	return rec;
}

static __always_inline int rk_submit(struct rk_record *rec, __u32 off)
{
	__u64 *n, len = off;
	__u32 zero = 0;

	if (len > RK_DATA_MASK)
		len = RK_DATA_MASK;
	rk_bound(len, 8191); /* RK_DATA_MASK */
	rec->data_len = len;
	__u64 flags = bpf_ringbuf_query(&events, BPF_RB_AVAIL_DATA) >= cfg_wakeup_bytes ? BPF_RB_FORCE_WAKEUP
										    : BPF_RB_NO_WAKEUP;

	if (!bpf_ringbuf_output(&events, rec, sizeof(*rec) + len, flags))
		return 0;
	n = bpf_map_lookup_elem(&drops, &zero);
	if (n)
		*n += 1; /* per-CPU value: no atomic needed */
	return 0;
}

#endif
