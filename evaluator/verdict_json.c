#include "verdict_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Length of the valid UTF-8 sequence at p (n bytes left), 0 if none:
 * no overlong forms, surrogates or code points past U+10FFFF. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	uint32_t cp;
	size_t len;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		len = 2, cp = p[0] & 0x1f;
	else if ((p[0] & 0xf0) == 0xe0)
		len = 3, cp = p[0] & 0x0f;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		len = 4, cp = p[0] & 0x07;
	else
		return 0;
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if ((len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

/* s with every byte that is not part of valid UTF-8 written as \xNN. */
static json_t *jstr_escaped(struct rp_str s)
{
	const unsigned char *p = (const unsigned char *)s.ptr;
	char *b = malloc((size_t)s.len * 4 + 1);
	size_t o = 0, n;
	json_t *j;

	if (!b)
		return NULL;
	for (uint32_t i = 0; i < s.len; i += n) {
		n = utf8_seq(p + i, s.len - i);
		if (n)
			memcpy(b + o, p + i, n), o += n;
		else
			o += (size_t)sprintf(b + o, "\\x%02x", p[i]), n = 1;
	}
	j = json_stringn(b, o);
	free(b);
	return j;
}

static json_t *jstr(struct rp_str s)
{
	json_t *j;

	if (!s.len)
		return json_string("");
	j = json_stringn(s.ptr, s.len);
	return j ? j : jstr_escaped(s);
}

static json_t *jstrs(const struct rp_str *v, uint32_t n)
{
	json_t *a = json_array();

	for (uint32_t i = 0; a && i < n; i++)
		if (json_array_append_new(a, jstr(v[i]))) {
			json_decref(a);
			return NULL;
		}
	return a;
}

static json_t *jtime(int64_t ns)
{
	char t[48];

	verdict_time_rfc3339(ns, t, sizeof(t));
	return json_string(t);
}

enum rp_severity verdict_severity(const struct rp_verdict *v)
{
	enum rp_severity s = RP_SEV_INFO;

	for (uint32_t i = 0; i < v->nmatches; i++)
		if (v->matches[i].severity > s)
			s = v->matches[i].severity;
	return s;
}

void verdict_time_rfc3339(int64_t time_ns, char *out, size_t n)
{
	int64_t frac = time_ns % 1000000000;
	time_t secs = (time_t)(time_ns / 1000000000 - (frac < 0));
	struct tm tm;
	char base[32];

	gmtime_r(&secs, &tm);
	strftime(base, sizeof(base), "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out, n, "%s.%09lldZ", base, (long long)(frac < 0 ? frac + 1000000000 : frac));
}

void verdict_touched(const struct rp_event *ev, char *out, size_t n)
{
	if (n == 0)
		return;
	const struct rp_net_args *net = &ev->args.net;

	switch (ev->args_kind) {
	case RP_ARGS_FILE:
		snprintf(out, n, "%.*s", (int)ev->args.file.path.len, ev->args.file.path.ptr);
		break;
	case RP_ARGS_NET:
		if (net->remote_addr.len)
			snprintf(out, n, "%.*s:%d", (int)net->remote_addr.len, net->remote_addr.ptr, net->remote_port);
		else if (net->local_addr.len)
			snprintf(out, n, "%.*s:%d", (int)net->local_addr.len, net->local_addr.ptr, net->local_port);
		else
			out[0] = 0;
		break;
	case RP_ARGS_PROC:
		if (ev->args.proc.target_pid)
			snprintf(out, n, "pid %d", ev->args.proc.target_pid);
		else
			out[0] = 0;
		break;
	case RP_ARGS_NS:
		snprintf(out, n, "%.*s", (int)ev->args.ns.target.len, ev->args.ns.target.ptr);
		break;
	case RP_ARGS_KERNEL:
		snprintf(out, n, "%.*s", (int)ev->args.kernel.name.len, ev->args.kernel.name.ptr);
		break;
	default:
		out[0] = 0;
	}
}

static json_t *rules_json(const struct rp_verdict *v)
{
	json_t *a = json_array();

	for (uint32_t i = 0; a && i < v->nmatches; i++) {
		const struct rp_rule_match *m = &v->matches[i];

		if (json_array_append_new(a, json_pack("{s:o, s:o, s:o, s:o, s:s, s:o, s:s, s:o}", "id", jstr(m->rule_id),
						       "name", jstr(m->rule_name), "technique", jstr(m->technique),
						       "tactic", jstr(m->tactic), "severity",
						       rp_severity_names[m->severity], "ruleset", jstr(m->ruleset),
						       "action", rp_action_names[m->action], "output", jstr(m->output)))) {
			json_decref(a);
			return NULL;
		}
	}
	return a;
}

/* The parts a verdict carries; event_to_json adds the rest to them. */

static json_t *container_json(const struct rp_container *c)
{
	return json_pack("{s:o, s:o, s:o, s:o, s:b}", "id", jstr(c->id), "name", jstr(c->name), "image",
			 jstr(c->image), "image_digest", jstr(c->image_digest), "privileged", c->privileged);
}

static json_t *workload_json(const struct rp_event *ev)
{
	const struct rp_pod *p = &ev->workload.pod;
	const struct rp_ecs_task *t = &ev->workload.ecs;

	if (ev->workload_kind == RP_WORKLOAD_POD)
		return json_pack("{s:s, s:o, s:o, s:o, s:o, s:o}", "kind", "pod", "namespace", jstr(p->namespace_),
				 "name", jstr(p->name), "uid", jstr(p->uid), "owner_kind", jstr(p->owner_kind),
				 "owner_name", jstr(p->owner_name));
	if (ev->workload_kind == RP_WORKLOAD_ECS_TASK)
		return json_pack("{s:s, s:o, s:o, s:o, s:o}", "kind", "ecs_task", "cluster", jstr(t->cluster),
				 "task_arn", jstr(t->task_arn), "family", jstr(t->family), "service", jstr(t->service));
	return json_null();
}

static json_t *process_json(const struct rp_process *p)
{
	return json_pack("{s:i, s:i, s:i, s:o, s:o, s:o, s:o, s:o, s:b, s:b}", "pid", (int)p->pid, "ppid",
			 (int)p->ppid, "uid", (int)p->uid, "comm", jstr(p->comm), "exe", jstr(p->exe), "args",
			 jstrs(p->args, p->nargs), "cwd", jstr(p->cwd), "parent_comm", jstr(p->parent_comm),
			 "exe_upper_layer", p->exe_upper_layer, "exe_from_memfd", p->exe_from_memfd);
}

static json_t *event_part_json(const struct rp_event *ev)
{
	char touched[1024];

	verdict_touched(ev, touched, sizeof(touched));
	return json_pack("{s:s, s:o, s:I, s:I, s:o, s:o}", "type", rp_event_type_names[ev->type], "syscall",
			 jstr(ev->syscall), "result", (json_int_t)ev->result, "sequence", (json_int_t)ev->sequence,
			 "time", jtime(ev->time_ns), "touched",
			 jstr((struct rp_str){touched, (uint32_t)strlen(touched)}));
}

json_t *verdict_json(const struct rp_verdict *v)
{
	const struct rp_event *ev = &v->event;

	return json_pack("{s:o, s:o, s:s, s:o, s:o, s:{s:s, s:s, s:o}, s:o, s:o, s:s, s:o, s:o, s:o, s:o}",
			 "verdict_id", jstr(v->verdict_id), "time", jtime(v->time_ns), "severity",
			 rp_severity_names[verdict_severity(v)], "rules", rules_json(v), "policy", jstr(v->policy),
			 "action", "requested", rp_action_names[v->requested_action], "effective",
			 rp_action_names[v->effective_action], "reason", jstr(v->reason), "node", jstr(ev->node),
			 "cluster", jstr(ev->cluster), "orchestrator", rp_orchestrator_names[ev->orchestrator],
			 "container", container_json(&ev->container), "workload", workload_json(ev), "process",
			 process_json(&ev->process), "event", event_part_json(ev));
}

/* ---- the rest of the event, for event_to_json ---- */

static int add_container_detail(json_t *o, const struct rp_container *c)
{
	return json_object_set_new(o, "runtime", jstr(c->runtime)) | json_object_set_new(o, "cgroup", jstr(c->cgroup));
}

static int add_workload_detail(json_t *o, const struct rp_event *ev)
{
	const struct rp_pod *p = &ev->workload.pod;
	json_t *labels;

	if (ev->workload_kind == RP_WORKLOAD_ECS_TASK)
		return json_object_set_new(o, "revision", jstr(ev->workload.ecs.revision));
	if (ev->workload_kind != RP_WORKLOAD_POD)
		return 0;
	if (json_object_set_new(o, "service_account", jstr(p->service_account)) ||
	    json_object_set_new(o, "labels", labels = json_object()))
		return -1;
	for (uint32_t i = 0; i < p->nlabels; i++) {
		json_t *k = jstr(p->labels[i].key);
		int rc = !k || json_object_setn_new(labels, json_string_value(k), json_string_length(k),
						    jstr(p->labels[i].value));

		json_decref(k);
		if (rc)
			return -1;
	}
	return 0;
}

static int add_process_detail(json_t *o, const struct rp_process *p)
{
	json_t *more = json_pack("{s:i, s:i, s:i, s:i, s:I, s:b, s:o, s:i, s:o, s:I, s:b, s:o, s:o, s:o}", "tid",
				 (int)p->tid, "gid", (int)p->gid, "euid", (int)p->euid, "egid", (int)p->egid,
				 "loginuid", (json_int_t)p->loginuid, "args_truncated", p->args_truncated, "env",
				 jstrs(p->env, p->nenv), "tty", (int)p->tty, "start_time", jtime(p->start_time_ns),
				 "cap_effective", (json_int_t)p->cap_effective, "exe_writable", p->exe_writable,
				 "parent_exe", jstr(p->parent_exe), "gparent_comm", jstr(p->gparent_comm),
				 "gparent_exe", jstr(p->gparent_exe));
	int rc = more ? json_object_update(o, more) : -1;

	json_decref(more);
	return rc;
}

static json_t *file_args_json(const struct rp_file_args *a)
{
	return json_pack("{s:s, s:o, s:o, s:i, s:I, s:i, s:i, s:i, s:o, s:I}", "kind", "file", "path", jstr(a->path),
			 "target", jstr(a->target), "fd", (int)a->fd, "flags", (json_int_t)a->flags, "mode",
			 (int)a->mode, "uid", (int)a->uid, "gid", (int)a->gid, "xattr", jstr(a->xattr), "length",
			 (json_int_t)a->length);
}

static json_t *net_args_json(const struct rp_net_args *a)
{
	return json_pack("{s:s, s:i, s:i, s:i, s:i, s:o, s:i, s:o, s:i, s:i}", "kind", "net", "fd", (int)a->fd,
			 "family", (int)a->family, "socktype", (int)a->socktype, "protocol", (int)a->protocol,
			 "local_addr", jstr(a->local_addr), "local_port", (int)a->local_port, "remote_addr",
			 jstr(a->remote_addr), "remote_port", (int)a->remote_port, "newfd", (int)a->newfd);
}

static json_t *args_json(const struct rp_event *ev)
{
	const struct rp_proc_args *p = &ev->args.proc;
	const struct rp_ns_args *n = &ev->args.ns;
	const struct rp_kernel_args *k = &ev->args.kernel;

	switch (ev->args_kind) {
	case RP_ARGS_FILE:
		return file_args_json(&ev->args.file);
	case RP_ARGS_NET:
		return net_args_json(&ev->args.net);
	case RP_ARGS_PROC:
		return json_pack("{s:s, s:i, s:I, s:i, s:i, s:i, s:i, s:I}", "kind", "proc", "target_pid",
				 (int)p->target_pid, "request", (json_int_t)p->request, "signal", (int)p->signal,
				 "exit_code", (int)p->exit_code, "new_uid", (int)p->new_uid, "new_gid",
				 (int)p->new_gid, "value", (json_int_t)p->value);
	case RP_ARGS_NS:
		return json_pack("{s:s, s:I, s:i, s:o, s:o, s:o, s:I}", "kind", "ns", "ns_flags",
				 (json_int_t)n->ns_flags, "fd", (int)n->fd, "source", jstr(n->source), "target",
				 jstr(n->target), "fstype", jstr(n->fstype), "flags", (json_int_t)n->flags);
	case RP_ARGS_KERNEL:
		return json_pack("{s:s, s:o, s:i, s:i, s:I}", "kind", "kernel", "name", jstr(k->name), "command",
				 (int)k->command, "prog_type", (int)k->prog_type, "flags", (json_int_t)k->flags);
	default:
		return json_null();
	}
}

json_t *event_to_json(const struct rp_event *ev)
{
	json_t *j = json_pack("{s:o, s:o, s:s, s:o, s:o, s:o, s:o, s:o}", "node", jstr(ev->node), "cluster",
			      jstr(ev->cluster), "orchestrator", rp_orchestrator_names[ev->orchestrator], "boot_id",
			      jstr(ev->boot_id), "container", container_json(&ev->container), "workload",
			      workload_json(ev), "process", process_json(&ev->process), "event", event_part_json(ev));

	if (j && (add_container_detail(json_object_get(j, "container"), &ev->container) ||
		  add_workload_detail(json_object_get(j, "workload"), ev) ||
		  add_process_detail(json_object_get(j, "process"), &ev->process) ||
		  json_object_set_new(json_object_get(j, "event"), "args", args_json(ev)))) {
		json_decref(j);
		return NULL;
	}
	return j;
}
