/* The field table. Direct fields are described by their offset in struct
 * rp_event so one generic reader (and the JSON event reader of `explain`)
 * serves them all; derived fields have a getter. */
#include "fields.h"

#include <fcntl.h>
#include <string.h>

const char *const field_type_names[FT__COUNT] = {"string", "int", "bool", "string-list"};
const char *const field_avail_names[FA__COUNT] = {"all events", "file events", "network events",
						  "process-argument events", "namespace/mount events",
						  "kernel events", "pods (kubernetes)", "ECS tasks"};

static struct rp_str basename_of(struct rp_str p)
{
	uint32_t i = p.len;
	while (i > 0 && p.ptr[i - 1] != '/')
		i--;
	return (struct rp_str){p.ptr + i, p.len - i};
}

/* argv joined by single spaces into the scratch buffer; cut at
 * FIELD_CMDLINE_MAX (the collector bounds argv well below that). */
static struct rp_str join_cmdline(const struct rp_event *ev, struct field_scratch *sc)
{
	uint32_t n = 0;
	for (uint32_t i = 0; i < ev->process.nargs && n < FIELD_CMDLINE_MAX; i++) {
		struct rp_str a = ev->process.args[i];
		if (i)
			sc->cmdline[n++] = ' ';
		uint32_t k = a.len < FIELD_CMDLINE_MAX - n ? a.len : FIELD_CMDLINE_MAX - n;
		if (k)
			memcpy(sc->cmdline + n, a.ptr, k);
		n += k;
	}
	return (struct rp_str){sc->cmdline, n};
}

static bool env_var(const struct rp_event *ev, struct rp_str key, struct rp_str *v)
{
	for (uint32_t i = 0; i < ev->process.nenv; i++) {
		struct rp_str e = ev->process.env[i];
		if (e.len > key.len && e.ptr[key.len] == '=' && memcmp(e.ptr, key.ptr, key.len) == 0) {
			*v = (struct rp_str){e.ptr + key.len + 1, e.len - key.len - 1};
			return true;
		}
	}
	return false;
}

static bool pod_label(const struct rp_event *ev, struct rp_str key, struct rp_str *v)
{
	const struct rp_pod *p = &ev->workload.pod;
	for (uint32_t i = 0; i < p->nlabels; i++)
		if (p->labels[i].key.len == key.len && key.len && memcmp(p->labels[i].key.ptr, key.ptr, key.len) == 0) {
			*v = p->labels[i].value;
			return true;
		}
	return false;
}

static struct rp_str cstr(const char *s)
{
	return (struct rp_str){s, (uint32_t)strlen(s)};
}

static struct rp_str file_dir(struct rp_str p)
{
	uint32_t n = p.len - basename_of(p).len;
	if (n > 1)
		n--; /* drop the separator, keep "/" for the root */
	return (struct rp_str){p.ptr, n};
}

/* The derived string, computed (f->memo: the caller memoises it). */
static bool derive_str(const struct field_def *f, const struct rp_event *ev, struct rp_str key,
		       struct field_scratch *sc, struct rp_str *v)
{
	switch ((enum field_derived)f->derived) {
	case FD_EVT_TYPE:
		*v = cstr((unsigned)ev->type < RP_EV__COUNT ? rp_event_type_names[ev->type] : "unknown");
		return true;
	case FD_ORCHESTRATOR:
		*v = cstr((unsigned)ev->orchestrator < RP_ORCH__COUNT ? rp_orchestrator_names[ev->orchestrator] : "");
		return true;
	case FD_CMDLINE: *v = join_cmdline(ev, sc); return true;
	case FD_EXE_NAME: *v = basename_of(ev->process.exe); return true;
	case FD_ENV_VAR: return env_var(ev, key, v);
	case FD_POD_LABEL: return pod_label(ev, key, v);
	case FD_FILE_NAME: *v = basename_of(ev->args.file.path); return true;
	case FD_FILE_DIR: *v = file_dir(ev->args.file.path); return true;
	default: return false;
	}
}

bool field_derived_str(const struct field_def *f, const struct rp_event *ev, struct rp_str key,
		       struct field_scratch *sc, struct rp_str *out)
{
	if (f->memo == FM_NONE)
		return derive_str(f, ev, key, sc, out);
	if (sc->of != ev) {
		sc->of = ev;
		sc->have = 0;
	}
	if (!(sc->have >> f->memo & 1)) {
		if (!derive_str(f, ev, key, sc, &sc->memo[f->memo]))
			return false; /* memoised fields are never absent; keep it honest */
		sc->have |= 1u << f->memo;
	}
	*out = sc->memo[f->memo];
	return true;
}

/* Derived ints and bools: cheap, never memoised. */
static bool derive_num(const struct field_def *f, const struct rp_event *ev, struct field_val *v)
{
	int64_t fl = ev->args.file.flags;
	switch ((enum field_derived)f->derived) {
	case FD_ARGC: v->i = ev->process.nargs; return true;
	case FD_AGE:
		if (ev->process.start_time_ns == 0)
			return false; /* start unknown: an age would be meaningless */
		v->i = ev->time_ns - ev->process.start_time_ns;
		return true;
	case FD_IS_WRITE:
		/* flags mean open(2) flags only on open; other file events are
		 * writes by nature (unlink, rename, chmod, ...) but say so
		 * through evt.type. */
		v->b = ev->type == RP_EV_OPEN && ((fl & O_ACCMODE) != O_RDONLY || (fl & (O_CREAT | O_TRUNC)));
		return true;
	case FD_IS_CREATE:
		v->b = (ev->type == RP_EV_OPEN && (fl & O_CREAT)) || ev->type == RP_EV_MKDIR ||
		       ev->type == RP_EV_SYMLINK || ev->type == RP_EV_LINK;
		return true;
	case FD_MODE_EXEC: v->b = (ev->args.file.mode & 0111) != 0; return true;
	case FD_MODE_SUID: v->b = (ev->args.file.mode & 06000) != 0; return true;
	default: return false;
	}
}

#define OFF(m) ((uint16_t)offsetof(struct rp_event, m))
#define S(n, av, m, doc) {n, FT_STR, av, FS_STR, OFF(m), 0, false, FD_NONE, FM_NONE, doc}
#define I32(n, av, m, doc) {n, FT_INT, av, FS_I32, OFF(m), 0, false, FD_NONE, FM_NONE, doc}
#define I64(n, av, m, doc) {n, FT_INT, av, FS_I64, OFF(m), 0, false, FD_NONE, FM_NONE, doc}
#define B(n, av, m, doc) {n, FT_BOOL, av, FS_BOOL, OFF(m), 0, false, FD_NONE, FM_NONE, doc}
#define L(n, av, m, c, doc) {n, FT_STRLIST, av, FS_STRLIST, OFF(m), OFF(c), false, FD_NONE, FM_NONE, doc}
/* derived: D plain, M memoised string, K keyed */
#define D(n, t, av, id, doc) {n, t, av, FS_DERIVED, 0, 0, false, id, FM_NONE, doc}
#define M(n, av, id, slot, doc) {n, FT_STR, av, FS_DERIVED, 0, 0, false, id, slot, doc}
#define K(n, t, av, id, doc) {n, t, av, FS_DERIVED, 0, 0, true, id, FM_NONE, doc}

const struct field_def field_table[] = {
	M("evt.type", FA_ALWAYS, FD_EVT_TYPE, FM_EVT_TYPE, "Event type: exec, open, connect, ... (rules list theirs in `events`)"),
	S("evt.syscall", FA_ALWAYS, syscall, "Syscall or scheduler event that produced the event (openat2, finit_module, ...)"),
	I64("evt.result", FA_ALWAYS, result, "Syscall return value; negative errno on failure"),
	I64("evt.time", FA_ALWAYS, time_ns, "Event time, ns since the Unix epoch"),
	I64("evt.sequence", FA_ALWAYS, sequence, "Per-node sequence number"),
	S("node", FA_ALWAYS, node, "Node (host) name"),
	S("cluster", FA_ALWAYS, cluster, "Cluster name from the collector's configuration"),
	M("orchestrator", FA_ALWAYS, FD_ORCHESTRATOR, FM_ORCHESTRATOR, "kubernetes, ecs or none"),
	S("container.id", FA_ALWAYS, container.id, "Full container id; empty for a host process"),
	S("container.name", FA_ALWAYS, container.name, "Container name"),
	S("container.image", FA_ALWAYS, container.image, "Image reference (repository:tag)"),
	S("container.image_digest", FA_ALWAYS, container.image_digest, "Image digest (sha256:...)"),
	B("container.privileged", FA_ALWAYS, container.privileged, "Container runs privileged"),
	S("container.runtime", FA_ALWAYS, container.runtime, "runc, containerd, cri-o, docker, ..."),
	S("container.cgroup", FA_ALWAYS, container.cgroup, "The process's cgroup v2 path"),
	S("k8s.ns", FA_POD, workload.pod.namespace_, "Pod namespace"),
	S("k8s.pod", FA_POD, workload.pod.name, "Pod name"),
	S("k8s.pod.uid", FA_POD, workload.pod.uid, "Pod uid"),
	K("k8s.pod.label", FT_STR, FA_POD, FD_POD_LABEL, "k8s.pod.label[KEY]: value of pod label KEY; absent if unset"),
	S("k8s.owner.kind", FA_POD, workload.pod.owner_kind, "Pod owner kind (ReplicaSet, DaemonSet, Job, ...)"),
	S("k8s.owner.name", FA_POD, workload.pod.owner_name, "Pod owner name"),
	S("k8s.sa", FA_POD, workload.pod.service_account, "Pod service account"),
	S("ecs.cluster", FA_ECS, workload.ecs.cluster, "ECS cluster"),
	S("ecs.task", FA_ECS, workload.ecs.task_arn, "ECS task ARN"),
	S("ecs.family", FA_ECS, workload.ecs.family, "ECS task definition family"),
	S("ecs.revision", FA_ECS, workload.ecs.revision, "ECS task definition revision"),
	S("ecs.service", FA_ECS, workload.ecs.service, "ECS service"),
	I32("proc.pid", FA_ALWAYS, process.pid, "Process id (host namespace)"),
	I32("proc.tid", FA_ALWAYS, process.tid, "Thread id"),
	I32("proc.ppid", FA_ALWAYS, process.ppid, "Parent process id"),
	I32("proc.uid", FA_ALWAYS, process.uid, "Real uid"),
	I32("proc.gid", FA_ALWAYS, process.gid, "Real gid"),
	I32("proc.euid", FA_ALWAYS, process.euid, "Effective uid"),
	I32("proc.egid", FA_ALWAYS, process.egid, "Effective gid"),
	I64("proc.loginuid", FA_ALWAYS, process.loginuid, "Audit login uid; -1 when unset"),
	S("proc.name", FA_ALWAYS, process.comm, "Command name (comm, at most 15 bytes)"),
	S("proc.exe", FA_ALWAYS, process.exe, "Executable path"),
	M("proc.exe_name", FA_ALWAYS, FD_EXE_NAME, FM_EXE_NAME, "Basename of proc.exe"),
	L("proc.args", FA_ALWAYS, process.args, process.nargs, "argv, argv[0] first; an operator matches if any element does"),
	M("proc.cmdline", FA_ALWAYS, FD_CMDLINE, FM_CMDLINE, "argv joined by single spaces"),
	D("proc.argc", FT_INT, FA_ALWAYS, FD_ARGC, "Number of argv elements"),
	B("proc.args_truncated", FA_ALWAYS, process.args_truncated, "argv was cut by the collector"),
	L("proc.env", FA_ALWAYS, process.env, process.nenv, "Captured NAME=value environment entries; any element matches"),
	K("proc.env", FT_STR, FA_ALWAYS, FD_ENV_VAR, "proc.env[NAME]: value of captured variable NAME; absent if unset"),
	S("proc.cwd", FA_ALWAYS, process.cwd, "Working directory"),
	I32("proc.tty", FA_ALWAYS, process.tty, "Controlling terminal device number; 0 when none"),
	I64("proc.start_time", FA_ALWAYS, process.start_time_ns, "Process start, ns since the Unix epoch"),
	D("proc.age_ns", FT_INT, FA_ALWAYS, FD_AGE, "evt.time - proc.start_time; absent when the start is unknown"),
	I64("proc.cap_effective", FA_ALWAYS, process.cap_effective, "Effective capability set (bit mask)"),
	B("proc.exe_upper_layer", FA_ALWAYS, process.exe_upper_layer, "Executable is in the container's writable layer (drift)"),
	B("proc.exe_from_memfd", FA_ALWAYS, process.exe_from_memfd, "Executable is a memfd_create file (fileless)"),
	B("proc.exe_writable", FA_ALWAYS, process.exe_writable, "Executable file is writable by the process"),
	S("proc.pname", FA_ALWAYS, process.parent_comm, "Parent command name"),
	S("proc.pexe", FA_ALWAYS, process.parent_exe, "Parent executable path"),
	S("proc.gpname", FA_ALWAYS, process.gparent_comm, "Grandparent command name"),
	S("proc.gpexe", FA_ALWAYS, process.gparent_exe, "Grandparent executable path"),
	S("file.path", FA_FILE, args.file.path, "Absolute path (resolved against cwd/dirfd)"),
	M("file.name", FA_FILE, FD_FILE_NAME, FM_FILE_NAME, "Basename of file.path"),
	M("file.directory", FA_FILE, FD_FILE_DIR, FM_FILE_DIR, "Directory of file.path (\"/\" for the root)"),
	S("file.target", FA_FILE, args.file.target, "New path of rename/link, content of symlink"),
	I32("file.fd", FA_FILE, args.file.fd, "File descriptor"),
	I64("file.flags", FA_FILE, args.file.flags, "open(2) flags, AT_* flags or FS_*_FL attribute flags"),
	I32("file.mode", FA_FILE, args.file.mode, "Mode of chmod / creating open"),
	I32("file.uid", FA_FILE, args.file.uid, "New owner of chown"),
	I32("file.gid", FA_FILE, args.file.gid, "New group of chown"),
	S("file.xattr", FA_FILE, args.file.xattr, "Extended attribute name of setxattr"),
	I64("file.length", FA_FILE, args.file.length, "truncate length, bytes written"),
	D("file.is_write", FT_BOOL, FA_FILE, FD_IS_WRITE, "open for writing: O_WRONLY, O_RDWR, O_CREAT or O_TRUNC"),
	D("file.is_create", FT_BOOL, FA_FILE, FD_IS_CREATE, "open with O_CREAT, mkdir, symlink or link"),
	D("file.mode_exec", FT_BOOL, FA_FILE, FD_MODE_EXEC, "file.mode has an execute bit (0111)"),
	D("file.mode_suid", FT_BOOL, FA_FILE, FD_MODE_SUID, "file.mode has the setuid or setgid bit (06000)"),
	I32("net.fd", FA_NET, args.net.fd, "Socket descriptor"),
	I32("net.family", FA_NET, args.net.family, "AF_INET=2, AF_INET6=10, AF_UNIX=1, AF_PACKET=17"),
	I32("net.type", FA_NET, args.net.socktype, "SOCK_STREAM=1, SOCK_DGRAM=2, SOCK_RAW=3"),
	I32("net.proto", FA_NET, args.net.protocol, "IP protocol number"),
	S("net.laddr", FA_NET, args.net.local_addr, "Local address"),
	I32("net.lport", FA_NET, args.net.local_port, "Local port"),
	S("net.raddr", FA_NET, args.net.remote_addr, "Remote address"),
	I32("net.rport", FA_NET, args.net.remote_port, "Remote port"),
	I32("net.newfd", FA_NET, args.net.newfd, "dup2/dup3 target descriptor"),
	I32("target.pid", FA_PROC, args.proc.target_pid, "Target process of ptrace/kill/prlimit"),
	I64("syscall.request", FA_PROC, args.proc.request, "ptrace request, prctl option, prlimit resource"),
	I32("syscall.signal", FA_PROC, args.proc.signal, "Signal of kill"),
	I32("proc.exit_code", FA_PROC, args.proc.exit_code, "Exit code of exit"),
	I32("setuid.uid", FA_PROC, args.proc.new_uid, "New uid of setuid"),
	I32("setuid.gid", FA_PROC, args.proc.new_gid, "New gid of setgid"),
	I64("syscall.value", FA_PROC, args.proc.value, "prlimit new limit, capset effective set, prctl arg2"),
	I64("ns.flags", FA_NS, args.ns.ns_flags, "CLONE_NEW* flags of setns/unshare"),
	I32("ns.fd", FA_NS, args.ns.fd, "Namespace descriptor of setns"),
	S("mount.source", FA_NS, args.ns.source, "Mount source"),
	S("mount.target", FA_NS, args.ns.target, "Mount point, unmounted path, new working directory (chdir)"),
	S("mount.fstype", FA_NS, args.ns.fstype, "Filesystem type"),
	I64("mount.flags", FA_NS, args.ns.flags, "Mount flags"),
	S("kernel.name", FA_KERNEL, args.kernel.name, "Module name or memfd name"),
	I32("bpf.cmd", FA_KERNEL, args.kernel.command, "bpf(2) command"),
	I32("bpf.prog_type", FA_KERNEL, args.kernel.prog_type, "BPF program type"),
	I64("kernel.flags", FA_KERNEL, args.kernel.flags, "Module / memfd / userfaultfd flags"),
};
const size_t field_count = sizeof(field_table) / sizeof(field_table[0]);

const struct field_def *field_lookup(const char *name, size_t n, struct rp_str *key)
{
	const char *br = memchr(name, '[', n);
	size_t base = br ? (size_t)(br - name) : n;

	if (br && (n < base + 3 || name[n - 1] != ']'))
		return NULL; /* "[" without "]" or an empty key */
	for (size_t i = 0; i < field_count; i++) {
		const struct field_def *f = &field_table[i];
		if (f->keyed != (br != NULL) || strlen(f->name) != base || memcmp(f->name, name, base) != 0)
			continue;
		if (key)
			*key = br ? (struct rp_str){br + 1, (uint32_t)(n - base - 2)} : (struct rp_str){"", 0};
		return f;
	}
	return NULL;
}

enum rp_args_kind field_args_kind_of(enum rp_event_type t)
{
	switch (t) {
	case RP_EV_OPEN: case RP_EV_UNLINK: case RP_EV_RENAME: case RP_EV_LINK: case RP_EV_SYMLINK:
	case RP_EV_MKDIR: case RP_EV_CHMOD: case RP_EV_CHOWN: case RP_EV_SETXATTR: case RP_EV_SETATTR:
	case RP_EV_TRUNCATE: case RP_EV_PROC_MEM_WRITE:
		return RP_ARGS_FILE;
	case RP_EV_SOCKET: case RP_EV_CONNECT: case RP_EV_ACCEPT: case RP_EV_BIND: case RP_EV_LISTEN:
	case RP_EV_DUP:
		return RP_ARGS_NET;
	case RP_EV_FORK: case RP_EV_EXIT: case RP_EV_SETUID: case RP_EV_SETGID: case RP_EV_PTRACE:
	case RP_EV_KILL: case RP_EV_PRCTL: case RP_EV_PRLIMIT: case RP_EV_CAPSET:
		return RP_ARGS_PROC;
	case RP_EV_SETNS: case RP_EV_UNSHARE: case RP_EV_MOUNT: case RP_EV_UMOUNT: case RP_EV_CHDIR:
		return RP_ARGS_NS;
	case RP_EV_MODULE_LOAD: case RP_EV_BPF: case RP_EV_MEMFD_CREATE: case RP_EV_USERFAULTFD:
		return RP_ARGS_KERNEL;
	default:
		return RP_ARGS_NONE;
	}
}

static const enum rp_args_kind avail_args[FA__COUNT] = {
	[FA_FILE] = RP_ARGS_FILE, [FA_NET] = RP_ARGS_NET, [FA_PROC] = RP_ARGS_PROC,
	[FA_NS] = RP_ARGS_NS, [FA_KERNEL] = RP_ARGS_KERNEL};

bool field_applies_to(const struct field_def *f, enum rp_event_type t)
{
	if (f->avail >= FA_FILE && f->avail <= FA_KERNEL)
		return field_args_kind_of(t) == avail_args[f->avail];
	return true; /* workload fields depend on where, not what */
}

bool field_available(const struct field_def *f, const struct rp_event *ev)
{
	switch (f->avail) {
	case FA_ALWAYS: return true;
	case FA_POD: return ev->workload_kind == RP_WORKLOAD_POD;
	case FA_ECS: return ev->workload_kind == RP_WORKLOAD_ECS_TASK;
	default: return ev->args_kind == avail_args[f->avail];
	}
}

bool field_get(const struct field_def *f, const struct rp_event *ev, struct rp_str key, struct field_scratch *sc,
	       struct field_val *out)
{
	const char *base = (const char *)ev;

	if (!field_available(f, ev))
		return false;
	out->type = f->type;
	switch (f->store) {
	case FS_STR: memcpy(&out->s, base + f->off, sizeof(out->s)); return true;
	case FS_I32: { int32_t x; memcpy(&x, base + f->off, sizeof(x)); out->i = x; return true; }
	case FS_I64: memcpy(&out->i, base + f->off, sizeof(out->i)); return true;
	case FS_BOOL: memcpy(&out->b, base + f->off, sizeof(out->b)); return true;
	case FS_STRLIST:
		memcpy(&out->list.v, base + f->off, sizeof(out->list.v));
		memcpy(&out->list.n, base + f->count_off, sizeof(out->list.n));
		return true;
	case FS_DERIVED:
		return f->type == FT_STR ? field_derived_str(f, ev, key, sc, &out->s) : derive_num(f, ev, out);
	}
	return false;
}
