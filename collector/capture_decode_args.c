/* Typed syscall arguments of a kernel record: FileArgs, NetArgs, ProcArgs,
 * NsArgs, KernelArgs, by syscall number (x86_64 argument order). */
#include <arpa/inet.h>
#include <fnmatch.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "capture_decode.h"
#include "capture_paths.h"

#define RP_S(buf) ((struct rp_str){(buf), (uint32_t)strlen(buf)})
#define A(i) ((int64_t)r->args[i])

static void text(const struct rk_record *r, enum rk_str s, char *out, size_t cap)
{
	capture_slot_text(r, s, out, cap);
}

/* An open with write access of /proc/<pid>/mem is the memory-write event. */
static int is_proc_mem_write(const char *path, int64_t flags)
{
	return (flags & 3) != 0 && fnmatch("/proc/*/mem", path, FNM_PATHNAME) == 0;
}

static void file_flags_mode(const struct rk_record *r, struct rp_file_args *f)
{
	switch (r->nr) {
	case SYS_open: f->flags = (int64_t)r->aux, f->mode = (int32_t)A(2); break;
	case SYS_openat: case SYS_openat2: f->flags = (int64_t)r->aux, f->mode = (int32_t)A(3); break;
	case SYS_creat: f->flags = (int64_t)r->aux, f->mode = (int32_t)A(1); break;
	case SYS_mkdir: case SYS_chmod: case SYS_fchmod: f->mode = (int32_t)A(1); break;
	case SYS_mkdirat: case SYS_fchmodat: f->mode = (int32_t)A(2); break;
	case SYS_unlinkat: f->flags = A(2); break;
	case SYS_renameat2: case SYS_linkat: f->flags = A(4); break;
	case SYS_chown: case SYS_lchown: case SYS_fchown: f->uid = (int32_t)A(1), f->gid = (int32_t)A(2); break;
	case SYS_fchownat: f->uid = (int32_t)A(2), f->gid = (int32_t)A(3), f->flags = A(4); break;
	case SYS_ioctl: f->flags = (int64_t)r->aux; break;
	case SYS_truncate: case SYS_ftruncate: f->length = A(1); break;
	case SYS_setxattr: case SYS_lsetxattr: case SYS_fsetxattr: f->flags = A(4), f->length = A(3); break;
#ifdef SYS_fchmodat2
	case SYS_fchmodat2: f->mode = (int32_t)A(2), f->flags = A(3); break;
#endif
	}
}

static int is_fd_call(int nr)
{
	return nr == SYS_fchmod || nr == SYS_fchown || nr == SYS_ftruncate || nr == SYS_fsetxattr || nr == SYS_ioctl;
}

static void decode_file(const struct rk_record *r, struct rp_event *ev, struct capture_strings *st)
{
	struct rp_file_args *f = &ev->args.file;

	f->fd = -1, f->uid = -1, f->gid = -1;
	capture_slot_path(r, RK_S_PATH, RK_S_BASE, st->path, sizeof(st->path));
	if (r->nr == SYS_symlink || r->nr == SYS_symlinkat) /* the link's content, as written */
		text(r, RK_S_PATH2, st->target, sizeof(st->target));
	else
		capture_slot_path(r, RK_S_PATH2, RK_S_BASE2, st->target, sizeof(st->target));
	text(r, RK_S_NAME, st->name, sizeof(st->name));
	f->path = RP_S(st->path), f->target = RP_S(st->target), f->xattr = RP_S(st->name);
	if (is_fd_call(r->nr))
		f->fd = (int32_t)A(0);
	else if (ev->type == RP_EV_OPEN)
		f->fd = r->result >= 0 ? (int32_t)r->result : -1;
	file_flags_mode(r, f);
	if (ev->type == RP_EV_OPEN && is_proc_mem_write(st->path, f->flags))
		ev->type = RP_EV_PROC_MEM_WRITE;
}

static void addr_text(int family, const unsigned char *a, char *out, size_t cap)
{
	out[0] = '\0';
	if (family == AF_INET || family == AF_INET6)
		inet_ntop(family, a, out, (socklen_t)cap);
}

static void decode_net(const struct rk_record *r, struct rp_event *ev, struct capture_strings *st)
{
	struct rp_net_args *n = &ev->args.net;
	const struct rk_sock *s = &r->sock;

	n->fd = (int32_t)A(0), n->newfd = -1;
	n->family = s->family, n->socktype = s->type, n->protocol = s->protocol;
	if (r->nr == SYS_socket) {
		n->fd = r->result >= 0 ? (int32_t)r->result : -1;
		n->family = (int32_t)A(0), n->socktype = (int32_t)(A(1) & 0xf), n->protocol = (int32_t)A(2);
	} else if (r->nr == SYS_accept || r->nr == SYS_accept4) {
		n->fd = r->result >= 0 ? (int32_t)r->result : -1;
	} else if (r->nr == SYS_dup2 || r->nr == SYS_dup3) {
		n->newfd = (int32_t)A(1);
	}
	addr_text(s->family, s->laddr, st->laddr, sizeof(st->laddr));
	addr_text(s->family, s->raddr, st->raddr, sizeof(st->raddr));
	n->local_addr = RP_S(st->laddr), n->remote_addr = RP_S(st->raddr);
	n->local_port = s->lport, n->remote_port = s->rport;
}

static void decode_proc(const struct rk_record *r, struct rp_event *ev)
{
	struct rp_proc_args *p = &ev->args.proc;

	p->new_uid = -1, p->new_gid = -1;
	switch (r->nr) {
	case SYS_setuid: p->new_uid = (int32_t)A(0); break;
	case SYS_setreuid: case SYS_setresuid: p->new_uid = (int32_t)A(1); break; /* the effective id */
	case SYS_setgid: p->new_gid = (int32_t)A(0); break;
	case SYS_setregid: case SYS_setresgid: p->new_gid = (int32_t)A(1); break;
	case SYS_ptrace: p->request = A(0), p->target_pid = (int32_t)A(1); break;
	case SYS_kill: p->target_pid = (int32_t)A(0), p->signal = (int32_t)A(1); break;
	case SYS_tgkill: p->target_pid = (int32_t)A(0), p->signal = (int32_t)A(2); break;
	case SYS_prctl: p->request = A(0), p->value = A(1); break;
	case SYS_prlimit64: p->target_pid = (int32_t)A(0), p->request = A(1), p->value = (int64_t)r->aux; break;
	case SYS_setrlimit: p->request = A(0), p->value = (int64_t)r->aux; break;
	case SYS_capset: p->value = (int64_t)r->aux; break;
	}
}

static void decode_ns(const struct rk_record *r, struct rp_event *ev, struct capture_strings *st)
{
	struct rp_ns_args *n = &ev->args.ns;

	n->fd = -1;
	capture_slot_path(r, RK_S_PATH, RK_S_BASE, st->path, sizeof(st->path));
	text(r, RK_S_PATH2, st->target, sizeof(st->target));
	text(r, RK_S_NAME, st->name, sizeof(st->name));
	n->target = RP_S(st->path), n->source = RP_S(st->target), n->fstype = RP_S(st->name);
	switch (r->nr) {
	case SYS_setns: n->fd = (int32_t)A(0), n->ns_flags = A(1); break;
	case SYS_unshare: n->ns_flags = A(0); break;
	case SYS_mount: n->flags = A(3); break;
	case SYS_umount2: n->flags = A(1); break;
	case SYS_fchdir: n->fd = (int32_t)A(0); break;
	}
}

static void decode_kernel(const struct rk_record *r, struct rp_event *ev, struct capture_strings *st)
{
	struct rp_kernel_args *k = &ev->args.kernel;

	/* finit_module: the kernel walked the module fd's path; init_module
	 * leaves the name empty (the image is in user memory, and reading its
	 * .modinfo costs too much in the kernel): the caller identifies it. */
	if (r->nr == SYS_finit_module) {
		capture_slot_path(r, RK_S_PATH, RK_S_BASE, st->path, sizeof(st->path));
		capture_module_name(st->path, st->name, sizeof(st->name));
	} else {
		text(r, RK_S_NAME, st->name, sizeof(st->name));
	}
	k->name = RP_S(st->name);
	switch (r->nr) {
	case SYS_bpf: k->command = (int32_t)A(0), k->prog_type = (int32_t)r->aux; break;
	case SYS_memfd_create: k->flags = A(1); break;
	case SYS_userfaultfd: k->flags = A(0); break;
	case SYS_finit_module: k->flags = A(2); break;
	}
}

void capture_decode_args(const struct rk_record *r, struct rp_event *ev, struct capture_strings *st)
{
	st->path[0] = st->target[0] = st->name[0] = st->laddr[0] = st->raddr[0] = '\0';
	if (r->kind == RK_FORK || r->kind == RK_EXIT) {
		ev->args_kind = RP_ARGS_PROC;
		ev->args.proc.new_uid = -1, ev->args.proc.new_gid = -1;
		if (r->kind == RK_FORK)
			ev->args.proc.target_pid = (int32_t)r->result;
		else
			ev->args.proc.exit_code = (int32_t)((r->result >> 8) & 0xff),
			ev->args.proc.signal = (int32_t)(r->result & 0x7f);
		return;
	}
	switch (ev->args_kind) {
	case RP_ARGS_FILE: decode_file(r, ev, st); break;
	case RP_ARGS_NET: decode_net(r, ev, st); break;
	case RP_ARGS_PROC: decode_proc(r, ev); break;
	case RP_ARGS_NS: decode_ns(r, ev, st); break;
	case RP_ARGS_KERNEL: decode_kernel(r, ev, st); break;
	default: break;
	}
}
