/* Kernel-side path reconstruction: a d_path-like walk of dentries and
 * mounts (bpf_d_path is not allowed from tracepoints), and copying user
 * strings into the record's string area.
 *
 * The helpers that build the record are global BPF functions: the verifier
 * checks each once instead of once per call site (static subprograms made
 * the syscall program exceed the 1M-instruction budget). Global functions
 * take scalars only, so they find the per-CPU record themselves (tracing
 * programs run with migration disabled: it is the caller's record) and
 * kernel pointers travel as __u64. */
#ifndef RAMPART_CAPTURE_PATH_BPF_H
#define RAMPART_CAPTURE_PATH_BPF_H

#include "capture_maps.bpf.h"

#define RK_AT_FDCWD -100

/* Masks v in the register the next instruction uses: the compiler keeps
 * range checks on a copy, and drops a C mask it can prove redundant, so the
 * verifier would not see the bound. mask must be 2^n - 1. */
#define rk_bound(v, mask) asm volatile("%[x] &= " #mask : [x] "+r"(v))

static __always_inline struct rk_record *rk_rec(void)
{
	__u32 zero = 0;

	return bpf_map_lookup_elem(&scratch, &zero);
}

static __always_inline void rk_slot(struct rk_record *rec, __u32 slot, __u32 start, __u32 end, bool comp)
{
	__u64 i = slot;

	if (i >= RK_S__COUNT)
		return;
	rk_bound(i, 15); /* stays inside the header: str_off/str_len follow each other */
	rec->str_off[i] = start;
	rec->str_len[i] = end - start;
	if (comp)
		rec->str_comp |= 1u << i;
}

static __always_inline struct mount *rk_real_mount(struct vfsmount *vm)
{
	return (void *)vm - bpf_core_field_offset(struct mount, mnt);
}

struct rk_walk_ctx {
	struct rk_record *rec;
	struct dentry *d;
	struct vfsmount *vm;
	struct mount *m;
	__u32 off, start, limit;
	bool done;
};

/* One step of the walk: append d's name and move to its parent, or cross
 * from a mount's root to its mount point. 1 stops the loop. */
static long rk_walk_step(__u32 i, void *arg)
{
	struct rk_walk_ctx *w = arg;
	struct rk_record *rec = w->rec;
	struct dentry *d = w->d;
	struct mount *m = w->m;
	struct vfsmount *vm = w->vm;
	struct dentry *root = BPF_CORE_READ(vm, mnt_root);
	struct dentry *parent = BPF_CORE_READ(d, d_parent);
	__u32 off = w->off;

	if (d == root) {
		struct mount *mp = BPF_CORE_READ(m, mnt_parent);

		if (!mp || mp == m)
			return w->done = true;
		w->d = BPF_CORE_READ(m, mnt_mountpoint);
		w->m = mp;
		w->vm = (void *)mp + bpf_core_field_offset(struct mount, mnt);
		return 0;
	}
	/* A root that is not a mount root is a pseudo (memfd, pipe) or detached
	 * dentry: its own name is the whole path. */
	bool last = !parent || d == parent;
	__u64 room = w->limit - (off - w->start);

	if (off - w->start >= w->limit || room < 2 || off + RK_NAME_MAX > RK_DATA_MAX)
		return 1; /* out of room: reported as truncated */
	if (room > RK_NAME_MAX)
		room = RK_NAME_MAX;
	rk_bound(room, 511);
	const unsigned char *name = BPF_CORE_READ(d, d_name.name);
	long n = bpf_probe_read_kernel_str(&rec->data[off & RK_DATA_MASK], room, name);

	if (n <= 0)
		return w->done = true;
	if (n == room && room < RK_NAME_MAX)
		return 1; /* the component was cut */
	w->off = off + n;
	w->d = parent;
	if (last)
		return w->done = true;
	return 0;
}

/* Appends the components of (dentry, vfsmount) leaf first, crossing mount
 * points up to the root of the mount namespace; writes at most limit bytes
 * at off. Returns the new end offset. */
__noinline int rk_walk(__u32 off, __u32 limit, __u64 dentry, __u64 vfsmount)
{
	struct rk_walk_ctx w = {
		.rec = rk_rec(), .d = (void *)dentry, .vm = (void *)vfsmount,
		.m = rk_real_mount((void *)vfsmount), .off = off, .start = off, .limit = limit,
	};

	if (!w.rec)
		return off;
	bpf_loop(RK_PATH_DEPTH, rk_walk_step, &w, 0);
	if (!w.done)
		w.rec->proc.flags |= RK_F_TRUNCATED; /* too deep or too long */
	return w.off;
}

/* Walks a struct path into slot; nothing when the path is unset. */
__noinline int rk_put_path(__u32 off, __u32 slot, __u64 dentry, __u64 vfsmount)
{
	struct rk_record *rec;
	__u32 end;

	if (!dentry || !vfsmount)
		return off;
	end = rk_walk(off, RK_PATH_MAX, dentry, vfsmount);
	rec = rk_rec();
	if (rec)
		rk_slot(rec, slot, off, end, true);
	return end;
}

static __always_inline struct file *rk_fd_file(struct task_struct *t, long fd)
{
	struct fdtable *fdt = BPF_CORE_READ(t, files, fdt);
	struct file **fds = BPF_CORE_READ(fdt, fd);
	struct file *f = NULL;

	if (fd < 0 || fd >= BPF_CORE_READ(fdt, max_fds))
		return NULL;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	return f;
}

static __always_inline struct task_struct *rk_current(void)
{
	return (void *)bpf_get_current_task();
}

/* The path of the current task's descriptor fd into slot. */
__noinline int rk_put_fd(__u32 off, __u32 slot, long fd)
{
	struct file *f = rk_fd_file(rk_current(), fd);

	if (!f)
		return off;
	return rk_put_path(off, slot, (__u64)BPF_CORE_READ(f, f_path.dentry), (__u64)BPF_CORE_READ(f, f_path.mnt));
}

/* Copies a NUL-terminated user string (at most max bytes) into slot. */
__noinline int rk_put_ustr(__u32 off, __u32 slot, __u64 uptr, __u32 max)
{
	struct rk_record *rec = rk_rec();
	__u64 lim = max;
	long n;

	if (!rec || !uptr || off + RK_PATH_MAX > RK_DATA_MAX)
		return off;
	if (lim > RK_PATH_MAX || lim == 0)
		lim = RK_PATH_MAX;
	rk_bound(lim, 2047);
	n = bpf_probe_read_user_str(&rec->data[off & RK_DATA_MASK], lim, (void *)uptr);
	if (n <= 0)
		return off;
	if (n == lim)
		rec->proc.flags |= RK_F_TRUNCATED;
	rk_slot(rec, slot, off, off + n - 1, false);
	return off + n;
}

/* A user path argument of the current task relative to dfd: the string as
 * passed in slot, and when it is relative, the directory it is relative to
 * in base (slots = RK_SLOTS(slot, base): BPF calls take five arguments). */
#define RK_SLOTS(slot, base) ((slot) | (base) << 8)
__noinline int rk_put_upath(__u32 off, __u32 slots, long dfd, __u64 uptr)
{
	struct task_struct *t = rk_current();
	__u32 start = off, slot = slots & 0xff, base = slots >> 8;
	struct rk_record *rec;

	off = rk_put_ustr(off, slot, uptr, RK_PATH_MAX);
	rec = rk_rec();
	if (!rec || off == start || rec->data[start & RK_DATA_MASK] == '/')
		return off;
	if ((int)dfd == RK_AT_FDCWD)
		return rk_put_path(off, base, (__u64)BPF_CORE_READ(t, fs, pwd.dentry),
				   (__u64)BPF_CORE_READ(t, fs, pwd.mnt));
	return rk_put_fd(off, base, (int)dfd);
}

#endif
