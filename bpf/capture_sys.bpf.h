/* Syscall arguments captured at syscall exit: the kernel-side filters that
 * keep noisy syscalls in the kernel, then the strings and socket data each
 * syscall family needs. Arguments come from the task's saved pt_regs, so
 * user pointers are read after the kernel used them (a racing thread could
 * change the memory in between; the result field is always exact). */
#ifndef RAMPART_CAPTURE_SYS_BPF_H
#define RAMPART_CAPTURE_SYS_BPF_H

#include <asm/unistd_64.h>

#include "capture_task.bpf.h"

#define RK_O_ACCMODE 3
#define RK_O_CREAT 0100
#define RK_O_TRUNC 01000
#define RK_FS_IOC_SETFLAGS 0x40086602
#define RK_FS_IOC32_SETFLAGS 0x40046602
#define RK_S_IFMT 0170000
#define RK_S_IFSOCK 0140000
#define RK_AF_INET 2
#define RK_AF_INET6 10

static __always_inline struct socket *rk_fd_socket(struct task_struct *t, long fd)
{
	struct file *f = rk_fd_file(t, fd);

	if (!f || (BPF_CORE_READ(f, f_inode, i_mode) & RK_S_IFMT) != RK_S_IFSOCK)
		return NULL;
	return BPF_CORE_READ(f, private_data);
}

/* Both endpoints of the current task's socket fd (local always, remote once
 * connected). */
__noinline int rk_sock_from_fd(long fd)
{
	struct socket *so = rk_fd_socket(rk_current(), fd);
	struct sock *sk = BPF_CORE_READ(so, sk);
	struct rk_record *rec = rk_rec();
	struct rk_sock *s;

	if (!so || !sk || !rec)
		return 0;
	s = &rec->sock;
	s->family = BPF_CORE_READ(sk, __sk_common.skc_family);
	s->type = BPF_CORE_READ(so, type);
	s->protocol = BPF_CORE_READ(sk, sk_protocol);
	s->lport = BPF_CORE_READ(sk, __sk_common.skc_num);
	s->rport = bpf_ntohs(BPF_CORE_READ(sk, __sk_common.skc_dport));
	if (s->family == RK_AF_INET) {
		bpf_probe_read_kernel(s->laddr, 4, &sk->__sk_common.skc_rcv_saddr);
		bpf_probe_read_kernel(s->raddr, 4, &sk->__sk_common.skc_daddr);
	} else if (s->family == RK_AF_INET6) {
		bpf_probe_read_kernel(s->laddr, 16, &sk->__sk_common.skc_v6_rcv_saddr);
		bpf_probe_read_kernel(s->raddr, 16, &sk->__sk_common.skc_v6_daddr);
	}
	return 1;
}

/* A user sockaddr (connect: remote, bind: local) overrides the socket's view. */
__noinline int rk_sock_from_user(__u64 uaddr, int remote)
{
	struct rk_record *rec = rk_rec();
	unsigned char sa[28] = {};
	struct rk_sock *s;
	__u16 fam, port;

	if (!rec || !uaddr || bpf_probe_read_user(sa, sizeof(sa), (void *)uaddr))
		return 0;
	s = &rec->sock;
	fam = sa[0] | (sa[1] << 8);
	port = (sa[2] << 8) | sa[3];
	if (fam != RK_AF_INET && fam != RK_AF_INET6)
		return 0;
	s->family = fam;
	if (remote)
		s->rport = port;
	else
		s->lport = port;
	if (fam == RK_AF_INET)
		__builtin_memcpy(remote ? s->raddr : s->laddr, &sa[4], 4);
	else
		__builtin_memcpy(remote ? s->raddr : s->laddr, &sa[8], 16);
	return 1;
}

struct rk_match_ctx {
	struct rk_record *rec;
	__u32 start;
	bool hit;
};

/* Compares the path with prefix i; 1 stops (a match, or the list's end). */
static long rk_match_one(__u32 i, void *arg)
{
	struct rk_match_ctx *c = arg;
	struct rk_prefix *p = bpf_map_lookup_elem(&ro_prefixes, &i);
	struct rk_record *rec = c->rec;

	if (!p || !p->len)
		return 1;
	for (__u32 j = 0; j < RK_PREFIX_LEN; j++) {
		if (j >= p->len)
			return c->hit = true;
		if (rec->data[(c->start + j) & RK_DATA_MASK] != p->s[j])
			return 0;
	}
	return c->hit = true;
}

/* Prefix match of an absolute read-only open path against ro_prefixes.
 * Relative paths pass (they cannot be matched without a walk); user space
 * applies the same prefixes after resolving them. */
__noinline int rk_ro_match(__u32 start)
{
	struct rk_match_ctx c = {.rec = rk_rec(), .start = start};

	if (!c.rec)
		return 0;
	if (c.rec->data[start & RK_DATA_MASK] != '/')
		return 1;
	bpf_loop(RK_PREFIX_MAX, rk_match_one, &c, 0);
	return c.hit;
}

/* Cheap per-syscall filters on raw arguments, before any record is built:
 * false = drop. */
static __always_inline bool rk_prefilter(__u32 nr, const __u64 *a, long ret, struct task_struct *t)
{
	switch (nr) {
	case __NR_ioctl:
		return a[1] == RK_FS_IOC_SETFLAGS || a[1] == RK_FS_IOC32_SETFLAGS;
	case __NR_bpf:
		return a[0] == BPF_PROG_LOAD;
	case __NR_dup2:
	case __NR_dup3:
		return ret >= 0 && a[1] <= 2 && rk_fd_socket(t, (long)a[1]);
	}
	return true;
}

static __always_inline bool rk_is_ro_open(__u64 flags)
{
	return (flags & RK_O_ACCMODE) == 0 && !(flags & (RK_O_CREAT | RK_O_TRUNC));
}

/* Open family (args already in rec->args). Returns the new offset, or -1
 * for a read-only open outside the interesting prefixes. */
__noinline int rk_args_open(__u32 off, __u32 nr, __u32 want)
{
	struct rk_record *rec = rk_rec();
	__u32 start = off;
	__u64 flags;

	if (!rec)
		return off;
	if (nr == __NR_open || nr == __NR_creat) {
		off = rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), RK_AT_FDCWD, rec->args[0]);
		flags = nr == __NR_open ? rec->args[1] : 01101; /* creat: O_CREAT|O_WRONLY|O_TRUNC */
	} else {
		off = rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), (long)rec->args[0], rec->args[1]);
		flags = rec->args[2];
		if (nr == __NR_openat2 && bpf_probe_read_user(&flags, sizeof(flags), (void *)rec->args[2]))
			flags = 0;
	}
	rec = rk_rec();
	if (!rec)
		return off;
	rec->aux = flags;
	if (cfg_ro_filter && (want & RK_I_RO_FILTER) && rk_is_ro_open(flags) && !rk_ro_match(start))
		return -1;
	return off;
}

/* Syscalls with two paths (the second may be a link's content). */
__noinline int rk_args_path2(__u32 off, __u32 nr)
{
	struct rk_record *rec = rk_rec();
	__u64 a0, a1, a2, a3;

	if (!rec)
		return off;
	a0 = rec->args[0], a1 = rec->args[1], a2 = rec->args[2], a3 = rec->args[3];
	switch (nr) {
	case __NR_rename: case __NR_link:
		off = rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), RK_AT_FDCWD, a0);
		return rk_put_upath(off, RK_SLOTS(RK_S_PATH2, RK_S_BASE2), RK_AT_FDCWD, a1);
	case __NR_renameat: case __NR_renameat2: case __NR_linkat:
		off = rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), (long)a0, a1);
		return rk_put_upath(off, RK_SLOTS(RK_S_PATH2, RK_S_BASE2), (long)a2, a3);
	case __NR_symlink: /* PATH = the new link, PATH2 = its content, kept as written */
		off = rk_put_ustr(off, RK_S_PATH2, a0, RK_PATH_MAX);
		return rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), RK_AT_FDCWD, a1);
	case __NR_symlinkat:
		off = rk_put_ustr(off, RK_S_PATH2, a0, RK_PATH_MAX);
		return rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), (long)a1, a2);
	case __NR_mount: /* source as written, target resolved, fstype */
		off = rk_put_ustr(off, RK_S_PATH2, a0, RK_PATH_MAX);
		off = rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), RK_AT_FDCWD, a1);
		return rk_put_ustr(off, RK_S_NAME, a2, RK_NAME_MAX);
	}
	return off;
}

/* Syscalls with one path, descriptor or name. */
__noinline int rk_args_path(__u32 off, __u32 nr)
{
	struct rk_record *rec = rk_rec();
	__u64 a0, a1;

	if (!rec)
		return off;
	a0 = rec->args[0], a1 = rec->args[1];
	switch (nr) {
	case __NR_unlink: case __NR_mkdir: case __NR_chmod: case __NR_truncate: case __NR_chdir:
	case __NR_chown: case __NR_lchown: case __NR_umount2:
		return rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), RK_AT_FDCWD, a0);
	case __NR_unlinkat: case __NR_mkdirat: case __NR_fchmodat: case __NR_fchownat:
#ifdef __NR_fchmodat2
	case __NR_fchmodat2:
#endif
		return rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), (long)a0, a1);
	case __NR_setxattr: case __NR_lsetxattr:
		off = rk_put_upath(off, RK_SLOTS(RK_S_PATH, RK_S_BASE), RK_AT_FDCWD, a0);
		return rk_put_ustr(off, RK_S_NAME, a1, RK_NAME_MAX);
	case __NR_fsetxattr:
		off = rk_put_fd(off, RK_S_PATH, (long)a0);
		return rk_put_ustr(off, RK_S_NAME, a1, RK_NAME_MAX);
	case __NR_fchmod: case __NR_fchown: case __NR_ftruncate: case __NR_fchdir: case __NR_finit_module:
	case __NR_ioctl:
		return rk_put_fd(off, RK_S_PATH, (long)a0);
	case __NR_memfd_create:
		return rk_put_ustr(off, RK_S_NAME, a0, RK_NAME_MAX);
	}
	return rk_args_path2(off, nr);
}

/* Syscalls whose interesting argument is behind a pointer or a socket. */
__noinline int rk_args_other(__u32 off, __u32 nr)
{
	struct rk_record *rec = rk_rec();
	__u32 v32[4] = {};
	__u64 v = 0, a0, a1, a2;
	long ret;

	if (!rec)
		return off;
	a0 = rec->args[0], a1 = rec->args[1], a2 = rec->args[2], ret = rec->result;
	switch (nr) {
	case __NR_connect: case __NR_bind:
		rk_sock_from_fd((long)a0);
		rk_sock_from_user(a1, nr == __NR_connect);
		break;
	case __NR_listen:
		rk_sock_from_fd((long)a0);
		break;
	case __NR_socket: case __NR_accept: case __NR_accept4:
		rk_sock_from_fd(ret);
		break;
	case __NR_dup2: case __NR_dup3:
		rk_sock_from_fd((long)a1);
		break;
	case __NR_ioctl: /* the new attribute flags */
		if (!bpf_probe_read_user(&v32[0], 4, (void *)a2))
			rec->aux = v32[0];
		break;
	case __NR_prlimit64: /* the new soft limit */
		if (a2 && !bpf_probe_read_user(&v, sizeof(v), (void *)a2))
			rec->aux = v;
		break;
	case __NR_setrlimit:
		if (!bpf_probe_read_user(&v, sizeof(v), (void *)a1))
			rec->aux = v;
		break;
	case __NR_capset: /* effective set: data[0].effective | data[1].effective << 32 */
		if (!bpf_probe_read_user(v32, sizeof(v32), (void *)a1))
			rec->aux = v32[0];
		if (!bpf_probe_read_user(v32, sizeof(v32), (void *)(a1 + 12)))
			rec->aux |= (__u64)v32[0] << 32;
		break;
	case __NR_bpf: /* union bpf_attr: prog_type at 0, prog_name at 48 */
		if (!bpf_probe_read_user(v32, 4, (void *)a1))
			rec->aux = v32[0];
		return rk_put_ustr(off, RK_S_NAME, a1 + 48, 16);
	}
	return off;
}

#endif
