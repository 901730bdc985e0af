/* Field order below is the schema's; keep them in step with event.avsc (the
 * cross-check test against avro-c catches any drift). */
#include "event_codec.h"

#include "codec_internal.h"

const char *const rp_event_type_names[RP_EV__COUNT] = {
	"unknown", "exec", "fork", "exit",
	"open", "unlink", "rename", "link", "symlink", "mkdir", "chmod", "chown", "setxattr",
	"setattr", "truncate",
	"socket", "connect", "accept", "bind", "listen", "dup",
	"setuid", "setgid", "ptrace", "kill", "prctl", "prlimit", "capset",
	"setns", "unshare", "mount", "umount", "chdir",
	"module_load", "bpf", "memfd_create", "userfaultfd", "proc_mem_write",
};

const char *const rp_orchestrator_names[RP_ORCH__COUNT] = {"none", "kubernetes", "ecs"};

/* ---------------- encode ---------------- */

static int write_container(struct rp_buf *b, const struct rp_container *c)
{
	TRY(wr_str(b, c->id));
	TRY(wr_str(b, c->name));
	TRY(wr_str(b, c->image));
	TRY(wr_str(b, c->image_digest));
	TRY(wr_bool(b, c->privileged));
	TRY(wr_str(b, c->runtime));
	return wr_str(b, c->cgroup);
}

static int write_labels(struct rp_buf *b, const struct rp_label *l, uint32_t n)
{
	if (n) {
		TRY(wr_long(b, n));
		for (uint32_t i = 0; i < n; i++) {
			TRY(wr_str(b, l[i].key));
			TRY(wr_str(b, l[i].value));
		}
	}
	return wr_long(b, 0);
}

static int write_strs(struct rp_buf *b, const struct rp_str *s, uint32_t n)
{
	if (n) {
		TRY(wr_long(b, n));
		for (uint32_t i = 0; i < n; i++)
			TRY(wr_str(b, s[i]));
	}
	return wr_long(b, 0);
}

static int write_pod(struct rp_buf *b, const struct rp_pod *p)
{
	TRY(wr_str(b, p->namespace_));
	TRY(wr_str(b, p->name));
	TRY(wr_str(b, p->uid));
	TRY(write_labels(b, p->labels, p->nlabels));
	TRY(wr_str(b, p->owner_kind));
	TRY(wr_str(b, p->owner_name));
	return wr_str(b, p->service_account);
}

static int write_ecs(struct rp_buf *b, const struct rp_ecs_task *t)
{
	TRY(wr_str(b, t->cluster));
	TRY(wr_str(b, t->task_arn));
	TRY(wr_str(b, t->family));
	TRY(wr_str(b, t->revision));
	return wr_str(b, t->service);
}

static int write_workload(struct rp_buf *b, const struct rp_event *ev)
{
	TRY(wr_long(b, ev->workload_kind));
	switch (ev->workload_kind) {
	case RP_WORKLOAD_NONE: return 0;
	case RP_WORKLOAD_POD: return write_pod(b, &ev->workload.pod);
	case RP_WORKLOAD_ECS_TASK: return write_ecs(b, &ev->workload.ecs);
	default: return -1;
	}
}

static int write_process(struct rp_buf *b, const struct rp_process *p)
{
	TRY(wr_long(b, p->pid));
	TRY(wr_long(b, p->tid));
	TRY(wr_long(b, p->ppid));
	TRY(wr_long(b, p->uid));
	TRY(wr_long(b, p->gid));
	TRY(wr_long(b, p->euid));
	TRY(wr_long(b, p->egid));
	TRY(wr_long(b, p->loginuid));
	TRY(wr_str(b, p->comm));
	TRY(wr_str(b, p->exe));
	TRY(write_strs(b, p->args, p->nargs));
	TRY(wr_bool(b, p->args_truncated));
	TRY(write_strs(b, p->env, p->nenv));
	TRY(wr_str(b, p->cwd));
	TRY(wr_long(b, p->tty));
	TRY(wr_long(b, p->start_time_ns));
	TRY(wr_long(b, p->cap_effective));
	TRY(wr_bool(b, p->exe_upper_layer));
	TRY(wr_bool(b, p->exe_from_memfd));
	TRY(wr_bool(b, p->exe_writable));
	TRY(wr_str(b, p->parent_comm));
	TRY(wr_str(b, p->parent_exe));
	TRY(wr_str(b, p->gparent_comm));
	return wr_str(b, p->gparent_exe);
}

static int write_file_args(struct rp_buf *b, const struct rp_file_args *a)
{
	TRY(wr_str(b, a->path));
	TRY(wr_str(b, a->target));
	TRY(wr_long(b, a->fd));
	TRY(wr_long(b, a->flags));
	TRY(wr_long(b, a->mode));
	TRY(wr_long(b, a->uid));
	TRY(wr_long(b, a->gid));
	TRY(wr_str(b, a->xattr));
	return wr_long(b, a->length);
}

static int write_net_args(struct rp_buf *b, const struct rp_net_args *a)
{
	TRY(wr_long(b, a->fd));
	TRY(wr_long(b, a->family));
	TRY(wr_long(b, a->socktype));
	TRY(wr_long(b, a->protocol));
	TRY(wr_str(b, a->local_addr));
	TRY(wr_long(b, a->local_port));
	TRY(wr_str(b, a->remote_addr));
	TRY(wr_long(b, a->remote_port));
	return wr_long(b, a->newfd);
}

static int write_proc_args(struct rp_buf *b, const struct rp_proc_args *a)
{
	TRY(wr_long(b, a->target_pid));
	TRY(wr_long(b, a->request));
	TRY(wr_long(b, a->signal));
	TRY(wr_long(b, a->exit_code));
	TRY(wr_long(b, a->new_uid));
	TRY(wr_long(b, a->new_gid));
	return wr_long(b, a->value);
}

static int write_ns_args(struct rp_buf *b, const struct rp_ns_args *a)
{
	TRY(wr_long(b, a->ns_flags));
	TRY(wr_long(b, a->fd));
	TRY(wr_str(b, a->source));
	TRY(wr_str(b, a->target));
	TRY(wr_str(b, a->fstype));
	return wr_long(b, a->flags);
}

static int write_kernel_args(struct rp_buf *b, const struct rp_kernel_args *a)
{
	TRY(wr_str(b, a->name));
	TRY(wr_long(b, a->command));
	TRY(wr_long(b, a->prog_type));
	return wr_long(b, a->flags);
}

static int write_args(struct rp_buf *b, const struct rp_event *ev)
{
	TRY(wr_long(b, ev->args_kind));
	switch (ev->args_kind) {
	case RP_ARGS_NONE: return 0;
	case RP_ARGS_FILE: return write_file_args(b, &ev->args.file);
	case RP_ARGS_NET: return write_net_args(b, &ev->args.net);
	case RP_ARGS_PROC: return write_proc_args(b, &ev->args.proc);
	case RP_ARGS_NS: return write_ns_args(b, &ev->args.ns);
	case RP_ARGS_KERNEL: return write_kernel_args(b, &ev->args.kernel);
	default: return -1;
	}
}

int event_write(struct rp_buf *b, const struct rp_event *ev)
{
	if ((unsigned)ev->orchestrator >= RP_ORCH__COUNT || (unsigned)ev->type >= RP_EV__COUNT)
		return -1;
	TRY(wr_str(b, ev->node));
	TRY(wr_str(b, ev->cluster));
	TRY(wr_long(b, ev->orchestrator));
	TRY(wr_str(b, ev->boot_id));
	TRY(wr_long(b, ev->sequence));
	TRY(wr_long(b, ev->time_ns));
	TRY(wr_long(b, ev->type));
	TRY(wr_str(b, ev->syscall));
	TRY(wr_long(b, ev->result));
	TRY(write_container(b, &ev->container));
	TRY(write_workload(b, ev));
	TRY(write_process(b, &ev->process));
	return write_args(b, ev);
}

int event_encode(const struct rp_event *ev, struct rp_buf *out)
{
	size_t mark = out->len;

	if (event_write(out, ev)) {
		out->len = mark;
		return -1;
	}
	return 0;
}

/* ---------------- decode ---------------- */

static int read_container(struct avro_rd *r, struct rp_container *c)
{
	TRY(rd_str(r, &c->id, "Event.container.id"));
	TRY(rd_str(r, &c->name, "Event.container.name"));
	TRY(rd_str(r, &c->image, "Event.container.image"));
	TRY(rd_str(r, &c->image_digest, "Event.container.image_digest"));
	TRY(rd_bool(r, &c->privileged, "Event.container.privileged"));
	TRY(rd_str(r, &c->runtime, "Event.container.runtime"));
	return rd_str(r, &c->cgroup, "Event.container.cgroup");
}

static int read_labels(struct avro_rd *r, struct rp_label *l, uint32_t *n)
{
	const char *what = "Event.workload.Pod.labels";
	uint32_t count;

	*n = 0;
	for (;;) {
		TRY(rd_block(r, RP_MAX_LABELS - *n, &count, what));
		if (count == 0)
			return 0;
		for (uint32_t i = 0; i < count; i++, (*n)++) {
			TRY(rd_str(r, &l[*n].key, what));
			TRY(rd_str(r, &l[*n].value, what));
		}
	}
}

static int read_strs(struct avro_rd *r, struct rp_str *s, uint32_t cap, uint32_t *n,
		     const char *what)
{
	uint32_t count;

	*n = 0;
	for (;;) {
		TRY(rd_block(r, cap - *n, &count, what));
		if (count == 0)
			return 0;
		for (uint32_t i = 0; i < count; i++, (*n)++)
			TRY(rd_str(r, &s[*n], what));
	}
}

static int read_pod(struct avro_rd *r, struct rp_pod *p, struct event_scratch *s)
{
	TRY(rd_str(r, &p->namespace_, "Event.workload.Pod.namespace"));
	TRY(rd_str(r, &p->name, "Event.workload.Pod.name"));
	TRY(rd_str(r, &p->uid, "Event.workload.Pod.uid"));
	TRY(read_labels(r, s->labels, &p->nlabels));
	p->labels = s->labels;
	TRY(rd_str(r, &p->owner_kind, "Event.workload.Pod.owner_kind"));
	TRY(rd_str(r, &p->owner_name, "Event.workload.Pod.owner_name"));
	return rd_str(r, &p->service_account, "Event.workload.Pod.service_account");
}

static int read_ecs(struct avro_rd *r, struct rp_ecs_task *t)
{
	TRY(rd_str(r, &t->cluster, "Event.workload.EcsTask.cluster"));
	TRY(rd_str(r, &t->task_arn, "Event.workload.EcsTask.task_arn"));
	TRY(rd_str(r, &t->family, "Event.workload.EcsTask.family"));
	TRY(rd_str(r, &t->revision, "Event.workload.EcsTask.revision"));
	return rd_str(r, &t->service, "Event.workload.EcsTask.service");
}

static int read_workload(struct avro_rd *r, struct rp_event *ev, struct event_scratch *s)
{
	uint32_t k;

	TRY(rd_index(r, RP_WORKLOAD__COUNT, &k, "union", "Event.workload"));
	ev->workload_kind = (enum rp_workload_kind)k;
	switch (ev->workload_kind) {
	case RP_WORKLOAD_POD: return read_pod(r, &ev->workload.pod, s);
	case RP_WORKLOAD_ECS_TASK: return read_ecs(r, &ev->workload.ecs);
	default: return 0;
	}
}

static int read_process_ids(struct avro_rd *r, struct rp_process *p)
{
	TRY(rd_int(r, &p->pid, "Event.process.pid"));
	TRY(rd_int(r, &p->tid, "Event.process.tid"));
	TRY(rd_int(r, &p->ppid, "Event.process.ppid"));
	TRY(rd_int(r, &p->uid, "Event.process.uid"));
	TRY(rd_int(r, &p->gid, "Event.process.gid"));
	TRY(rd_int(r, &p->euid, "Event.process.euid"));
	TRY(rd_int(r, &p->egid, "Event.process.egid"));
	return rd_long(r, &p->loginuid, "Event.process.loginuid");
}

static int read_process(struct avro_rd *r, struct rp_process *p, struct event_scratch *s)
{
	TRY(read_process_ids(r, p));
	TRY(rd_str(r, &p->comm, "Event.process.comm"));
	TRY(rd_str(r, &p->exe, "Event.process.exe"));
	TRY(read_strs(r, s->args, RP_MAX_ARGS, &p->nargs, "Event.process.args"));
	p->args = s->args;
	TRY(rd_bool(r, &p->args_truncated, "Event.process.args_truncated"));
	TRY(read_strs(r, s->env, RP_MAX_ENV, &p->nenv, "Event.process.env"));
	p->env = s->env;
	TRY(rd_str(r, &p->cwd, "Event.process.cwd"));
	TRY(rd_int(r, &p->tty, "Event.process.tty"));
	TRY(rd_long(r, &p->start_time_ns, "Event.process.start_time_ns"));
	TRY(rd_long(r, &p->cap_effective, "Event.process.cap_effective"));
	TRY(rd_bool(r, &p->exe_upper_layer, "Event.process.exe_upper_layer"));
	TRY(rd_bool(r, &p->exe_from_memfd, "Event.process.exe_from_memfd"));
	TRY(rd_bool(r, &p->exe_writable, "Event.process.exe_writable"));
	TRY(rd_str(r, &p->parent_comm, "Event.process.parent_comm"));
	TRY(rd_str(r, &p->parent_exe, "Event.process.parent_exe"));
	TRY(rd_str(r, &p->gparent_comm, "Event.process.gparent_comm"));
	return rd_str(r, &p->gparent_exe, "Event.process.gparent_exe");
}

static int read_file_args(struct avro_rd *r, struct rp_file_args *a)
{
	TRY(rd_str(r, &a->path, "Event.args.FileArgs.path"));
	TRY(rd_str(r, &a->target, "Event.args.FileArgs.target"));
	TRY(rd_int(r, &a->fd, "Event.args.FileArgs.fd"));
	TRY(rd_long(r, &a->flags, "Event.args.FileArgs.flags"));
	TRY(rd_int(r, &a->mode, "Event.args.FileArgs.mode"));
	TRY(rd_int(r, &a->uid, "Event.args.FileArgs.uid"));
	TRY(rd_int(r, &a->gid, "Event.args.FileArgs.gid"));
	TRY(rd_str(r, &a->xattr, "Event.args.FileArgs.xattr"));
	return rd_long(r, &a->length, "Event.args.FileArgs.length");
}

static int read_net_args(struct avro_rd *r, struct rp_net_args *a)
{
	TRY(rd_int(r, &a->fd, "Event.args.NetArgs.fd"));
	TRY(rd_int(r, &a->family, "Event.args.NetArgs.family"));
	TRY(rd_int(r, &a->socktype, "Event.args.NetArgs.socktype"));
	TRY(rd_int(r, &a->protocol, "Event.args.NetArgs.protocol"));
	TRY(rd_str(r, &a->local_addr, "Event.args.NetArgs.local_addr"));
	TRY(rd_int(r, &a->local_port, "Event.args.NetArgs.local_port"));
	TRY(rd_str(r, &a->remote_addr, "Event.args.NetArgs.remote_addr"));
	TRY(rd_int(r, &a->remote_port, "Event.args.NetArgs.remote_port"));
	return rd_int(r, &a->newfd, "Event.args.NetArgs.newfd");
}

static int read_proc_args(struct avro_rd *r, struct rp_proc_args *a)
{
	TRY(rd_int(r, &a->target_pid, "Event.args.ProcArgs.target_pid"));
	TRY(rd_long(r, &a->request, "Event.args.ProcArgs.request"));
	TRY(rd_int(r, &a->signal, "Event.args.ProcArgs.signal"));
	TRY(rd_int(r, &a->exit_code, "Event.args.ProcArgs.exit_code"));
	TRY(rd_int(r, &a->new_uid, "Event.args.ProcArgs.new_uid"));
	TRY(rd_int(r, &a->new_gid, "Event.args.ProcArgs.new_gid"));
	return rd_long(r, &a->value, "Event.args.ProcArgs.value");
}

static int read_ns_args(struct avro_rd *r, struct rp_ns_args *a)
{
	TRY(rd_long(r, &a->ns_flags, "Event.args.NsArgs.ns_flags"));
	TRY(rd_int(r, &a->fd, "Event.args.NsArgs.fd"));
	TRY(rd_str(r, &a->source, "Event.args.NsArgs.source"));
	TRY(rd_str(r, &a->target, "Event.args.NsArgs.target"));
	TRY(rd_str(r, &a->fstype, "Event.args.NsArgs.fstype"));
	return rd_long(r, &a->flags, "Event.args.NsArgs.flags");
}

static int read_kernel_args(struct avro_rd *r, struct rp_kernel_args *a)
{
	TRY(rd_str(r, &a->name, "Event.args.KernelArgs.name"));
	TRY(rd_int(r, &a->command, "Event.args.KernelArgs.command"));
	TRY(rd_int(r, &a->prog_type, "Event.args.KernelArgs.prog_type"));
	return rd_long(r, &a->flags, "Event.args.KernelArgs.flags");
}

static int read_args(struct avro_rd *r, struct rp_event *ev)
{
	uint32_t k;

	TRY(rd_index(r, RP_ARGS__COUNT, &k, "union", "Event.args"));
	ev->args_kind = (enum rp_args_kind)k;
	switch (ev->args_kind) {
	case RP_ARGS_FILE: return read_file_args(r, &ev->args.file);
	case RP_ARGS_NET: return read_net_args(r, &ev->args.net);
	case RP_ARGS_PROC: return read_proc_args(r, &ev->args.proc);
	case RP_ARGS_NS: return read_ns_args(r, &ev->args.ns);
	case RP_ARGS_KERNEL: return read_kernel_args(r, &ev->args.kernel);
	default: return 0;
	}
}

int event_read(struct avro_rd *r, struct rp_event *ev, struct event_scratch *s)
{
	uint32_t k;

	TRY(rd_str(r, &ev->node, "Event.node"));
	TRY(rd_str(r, &ev->cluster, "Event.cluster"));
	TRY(rd_index(r, RP_ORCH__COUNT, &k, "enum", "Event.orchestrator"));
	ev->orchestrator = (enum rp_orchestrator)k;
	TRY(rd_str(r, &ev->boot_id, "Event.boot_id"));
	TRY(rd_long(r, &ev->sequence, "Event.sequence"));
	TRY(rd_long(r, &ev->time_ns, "Event.time_ns"));
	TRY(rd_index(r, RP_EV__COUNT, &k, "enum", "Event.type"));
	ev->type = (enum rp_event_type)k;
	TRY(rd_str(r, &ev->syscall, "Event.syscall"));
	TRY(rd_long(r, &ev->result, "Event.result"));
	TRY(read_container(r, &ev->container));
	TRY(read_workload(r, ev, s));
	TRY(read_process(r, &ev->process, s));
	return read_args(r, ev);
}

int event_decode(const uint8_t *p, size_t n, struct rp_event *ev, struct event_scratch *scratch,
		 struct codec_error *err)
{
	struct avro_rd r;

	rd_init(&r, p, n, err);
	TRY(event_read(&r, ev, scratch));
	return rd_done(&r, "Event");
}

size_t event_record_size(const uint8_t *p, size_t n, void *scratch)
{
	struct codec_error err;
	struct rp_event ev;
	struct avro_rd r;

	rd_init(&r, p, n, &err);
	if (event_read(&r, &ev, scratch))
		return 0;
	return rd_off(&r);
}
