/* Record framing, process block and event type of a kernel record. */
#include "capture_decode.h"

#include <string.h>
#include <sys/syscall.h>

#include "capture_env.h"
#include "capture_paths.h"
#include "capture_syscalls.h"

#define RP_S(buf) ((struct rp_str){(buf), (uint32_t)strlen(buf)})

struct capture_slot capture_slot(const struct rk_record *r, enum rk_str s)
{
	struct capture_slot v = {0};
	uint32_t off = r->str_off[s], n = r->str_len[s];

	v.comp = (r->str_comp >> s) & 1;
	if ((n == 0 && !v.comp) || (size_t)off + n > r->data_len)
		return v;
	v.p = (const char *)r->data + off;
	v.n = n;
	v.present = 1;
	return v;
}

/* A slot as text: component lists become absolute paths, plain strings are
 * copied (they carry no NUL inside the slot). */
size_t capture_slot_text(const struct rk_record *r, enum rk_str s, char *out, size_t cap)
{
	struct capture_slot v = capture_slot(r, s);
	size_t n;

	out[0] = '\0';
	if (!v.present)
		return 0;
	if (v.comp)
		return capture_path_from_comps(v.p, v.n, out, cap);
	n = strnlen(v.p, v.n < cap - 1 ? v.n : cap - 1);
	memcpy(out, v.p, n);
	out[n] = '\0';
	return n;
}

size_t capture_slot_path(const struct rk_record *r, enum rk_str path, enum rk_str base, char *out, size_t cap)
{
	char rel[RK_PATH_MAX + 1], dir[CAPTURE_TEXT_MAX];
	struct capture_slot p = capture_slot(r, path);

	if (!p.present) {
		out[0] = '\0';
		return 0;
	}
	if (p.comp) /* already a kernel-walked absolute path */
		return capture_slot_text(r, path, out, cap);
	capture_slot_text(r, path, rel, sizeof(rel));
	if (rel[0] == '/' || !capture_slot(r, base).present)
		return capture_path_resolve(NULL, rel, out, cap);
	capture_slot_text(r, base, dir, sizeof(dir));
	return capture_path_resolve(dir, rel, out, cap);
}

static void copy_comm(char *dst, const char *src)
{
	memcpy(dst, src, RK_COMM_LEN);
	dst[RK_COMM_LEN] = '\0';
}

/* argv as NUL-separated bytes -> list of views into st->argv. */
static void decode_argv(const struct rk_record *r, struct rp_process *p, struct capture_strings *st,
			struct event_scratch *sc)
{
	struct capture_slot v = capture_slot(r, RK_S_ARGV);
	size_t at = 0;

	p->args = sc->args;
	p->nargs = 0;
	if (!v.present || v.n == 0)
		return;
	if (v.n > RK_ARGV_MAX) /* a malformed record: the kernel never sends more */
		v.n = RK_ARGV_MAX;
	memcpy(st->argv, v.p, v.n);
	st->argv[v.n] = '\0';
	while (at < v.n && p->nargs < RP_MAX_ARGS) {
		size_t n = strnlen(st->argv + at, v.n - at);

		sc->args[p->nargs++] = (struct rp_str){st->argv + at, (uint32_t)n};
		at += n + 1;
	}
	/* A complete argv area ends with its last argument's NUL; the kernel
	 * cuts it at RK_ARGV_MAX (exec) or RK_SYS_ARGV_MAX (syscall events). */
	p->args_truncated = at < v.n || st->argv[v.n - 1] != '\0';
}

/* Exec only: the kernel kept just the allow-listed entries (its bounds are
 * in capture_env.h); they are copied to st->env and split into views. */
static void decode_env(const struct rk_record *r, struct rp_process *p, struct capture_strings *st,
		       struct event_scratch *sc)
{
	struct capture_slot v = capture_slot(r, RK_S_ENV);

	p->env = sc->env;
	p->nenv = 0;
	if (!v.present || r->kind != RK_EXEC)
		return;
	if (v.n > sizeof(st->env) - 1)
		v.n = sizeof(st->env) - 1;
	memcpy(st->env, v.p, v.n);
	st->env[v.n] = '\0';
	p->nenv = capture_env_split(st->env, v.n, sc->env, RP_MAX_ENV);
}

static void decode_process(const struct rk_record *r, int64_t boot_to_epoch_ns, struct rp_process *p,
			   struct capture_strings *st, struct event_scratch *sc)
{
	const struct rk_proc *k = &r->proc;

	p->pid = (int32_t)k->pid, p->tid = (int32_t)k->tid, p->ppid = (int32_t)k->ppid;
	p->uid = (int32_t)k->uid, p->gid = (int32_t)k->gid, p->euid = (int32_t)k->euid, p->egid = (int32_t)k->egid;
	p->loginuid = k->loginuid == UINT32_MAX ? -1 : (int64_t)k->loginuid;
	copy_comm(st->comm, k->comm), copy_comm(st->pcomm, k->pcomm), copy_comm(st->gpcomm, k->gpcomm);
	p->comm = RP_S(st->comm), p->parent_comm = RP_S(st->pcomm), p->gparent_comm = RP_S(st->gpcomm);
	capture_slot_text(r, RK_S_EXE, st->exe, sizeof(st->exe));
	capture_slot_text(r, RK_S_PEXE, st->pexe, sizeof(st->pexe));
	capture_slot_text(r, RK_S_GPEXE, st->gpexe, sizeof(st->gpexe));
	capture_slot_text(r, RK_S_CWD, st->cwd, sizeof(st->cwd));
	p->exe = RP_S(st->exe), p->parent_exe = RP_S(st->pexe), p->gparent_exe = RP_S(st->gpexe);
	p->cwd = RP_S(st->cwd);
	p->tty = (int32_t)k->tty;
	p->start_time_ns = (int64_t)k->start_ns + boot_to_epoch_ns;
	p->cap_effective = (int64_t)k->cap_effective;
	p->exe_upper_layer = k->flags & RK_F_EXE_UPPER;
	p->exe_from_memfd = k->flags & RK_F_EXE_MEMFD;
	p->exe_writable = k->flags & RK_F_EXE_WRITABLE;
	decode_argv(r, p, st, sc);
	decode_env(r, p, st, sc);
}

/* Event type and syscall name; 0, or -1 for an unknown kind/syscall. */
static int decode_type(const struct rk_record *r, struct rp_event *ev)
{
	const struct capture_syscall *sc;

	switch (r->kind) {
	case RK_EXEC: ev->type = RP_EV_EXEC, ev->syscall = RP_STR("sched_process_exec"); return 0;
	case RK_FORK: ev->type = RP_EV_FORK, ev->syscall = RP_STR("sched_process_fork"); return 0;
	case RK_EXIT: ev->type = RP_EV_EXIT, ev->syscall = RP_STR("sched_process_exit"); return 0;
	case RK_SYSCALL: break;
	default: return -1;
	}
	sc = capture_syscall_by_nr(r->nr);
	if (!sc)
		return -1;
	ev->type = sc->type;
	ev->syscall = (struct rp_str){sc->name, (uint32_t)strlen(sc->name)};
	ev->args_kind = sc->args;
	return 0;
}

int capture_decode(const void *data, size_t len, int64_t boot_to_epoch_ns, struct rp_event *ev,
		   struct capture_strings *st, struct event_scratch *scratch)
{
	const struct rk_record *r = data;

	if (len < sizeof(*r) || r->data_len > len - sizeof(*r))
		return -1;
	memset(ev, 0, sizeof(*ev));
	if (decode_type(r, ev))
		return -1;
	ev->time_ns = (int64_t)r->time_ns + boot_to_epoch_ns;
	ev->result = r->result;
	decode_process(r, boot_to_epoch_ns, &ev->process, st, scratch);
	capture_decode_args(r, ev, st);
	return 0;
}
