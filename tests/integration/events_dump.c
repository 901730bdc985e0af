/* Prints rampart Events as JSON lines, for the collector's integration tests.
 *   events_dump file PATH                      an Avro recording (--record)
 *   events_dump kafka BROKERS TOPIC SECONDS    everything on TOPIC (single-object framed)
 * Fields: the event header, container/workload, process and typed args. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_codec.h"
#include "transport.h"

#define S(v) json_stringn((v).ptr ? (v).ptr : "", (v).len)

static json_t *proc_json(const struct rp_process *p)
{
	json_t *args = json_array(), *env = json_array();

	for (uint32_t i = 0; i < p->nargs; i++)
		json_array_append_new(args, S(p->args[i]));
	for (uint32_t i = 0; i < p->nenv; i++)
		json_array_append_new(env, S(p->env[i]));
	return json_pack("{s:i,s:i,s:i,s:i,s:i,s:I,s:o,s:o,s:o,s:o,s:o,s:i,s:I,s:b,s:b,s:b,s:o,s:o,s:o,s:o,s:I}",
			 "pid", p->pid, "tid", p->tid, "ppid", p->ppid, "uid", p->uid, "euid", p->euid,
			 "loginuid", (json_int_t)p->loginuid, "comm", S(p->comm), "exe", S(p->exe), "args", args, "env", env,
			 "cwd", S(p->cwd), "tty", p->tty, "cap_effective", (json_int_t)p->cap_effective,
			 "exe_upper_layer", p->exe_upper_layer, "exe_from_memfd", p->exe_from_memfd,
			 "exe_writable", p->exe_writable, "parent_comm", S(p->parent_comm), "parent_exe",
			 S(p->parent_exe), "gparent_comm", S(p->gparent_comm), "gparent_exe", S(p->gparent_exe),
			 "start_time_ns", (json_int_t)p->start_time_ns);
}

static json_t *args_json(const struct rp_event *e)
{
	switch (e->args_kind) {
	case RP_ARGS_FILE: {
		const struct rp_file_args *f = &e->args.file;
		return json_pack("{s:s,s:o,s:o,s:i,s:I,s:i,s:o,s:I}", "kind", "file", "path", S(f->path), "target",
				 S(f->target), "fd", f->fd, "flags", (json_int_t)f->flags, "mode", f->mode, "xattr",
				 S(f->xattr), "length", (json_int_t)f->length);
	}
	case RP_ARGS_NET: {
		const struct rp_net_args *n = &e->args.net;
		return json_pack("{s:s,s:i,s:i,s:i,s:o,s:i,s:o,s:i,s:i}", "kind", "net", "fd", n->fd, "family",
				 n->family, "socktype", n->socktype, "local_addr", S(n->local_addr), "local_port",
				 n->local_port, "remote_addr", S(n->remote_addr), "remote_port", n->remote_port,
				 "newfd", n->newfd);
	}
	case RP_ARGS_PROC: {
		const struct rp_proc_args *p = &e->args.proc;
		return json_pack("{s:s,s:i,s:I,s:i,s:i,s:i,s:I}", "kind", "proc", "target_pid", p->target_pid,
				 "request", (json_int_t)p->request, "signal", p->signal, "exit_code", p->exit_code,
				 "new_uid", p->new_uid, "value", (json_int_t)p->value);
	}
	case RP_ARGS_NS: {
		const struct rp_ns_args *n = &e->args.ns;
		return json_pack("{s:s,s:I,s:i,s:o,s:o,s:o,s:I}", "kind", "ns", "ns_flags", (json_int_t)n->ns_flags,
				 "fd", n->fd, "source", S(n->source), "target", S(n->target), "fstype", S(n->fstype),
				 "flags", (json_int_t)n->flags);
	}
	case RP_ARGS_KERNEL: {
		const struct rp_kernel_args *k = &e->args.kernel;
		return json_pack("{s:s,s:o,s:i,s:i,s:I}", "kind", "kernel", "name", S(k->name), "command", k->command,
				 "prog_type", k->prog_type, "flags", (json_int_t)k->flags);
	}
	default:
		return json_null();
	}
}

static void print_event(const struct rp_event *e)
{
	json_t *o = json_pack("{s:o,s:o,s:I,s:s,s:o,s:I,s:o,s:o,s:o,s:o}", "node", S(e->node), "boot_id", S(e->boot_id),
			      "sequence", (json_int_t)e->sequence, "type", rp_event_type_names[e->type], "syscall",
			      S(e->syscall), "result", (json_int_t)e->result, "container_id", S(e->container.id),
			      "container_name", S(e->container.name), "process", proc_json(&e->process), "args",
			      args_json(e));
	if (e->workload_kind == RP_WORKLOAD_POD)
		json_object_set_new(o, "pod", json_pack("{s:o,s:o,s:o}", "namespace", S(e->workload.pod.namespace_),
							"name", S(e->workload.pod.name), "uid", S(e->workload.pod.uid)));
	char *s = json_dumps(o, JSON_COMPACT);
	puts(s);
	free(s);
	json_decref(o);
}

static int decode_print(const uint8_t *p, size_t n)
{
	static struct event_scratch sc;
	struct codec_error err;
	struct rp_event e;

	if (event_decode(p, n, &e, &sc, &err)) {
		fprintf(stderr, "events_dump: undecodable event\n");
		return -1;
	}
	print_event(&e);
	return 0;
}

static int run(struct consumer *c, int seconds, size_t skip)
{
	struct transport_msg m;
	char err[256];
	time_t end = time(NULL) + seconds;
	int rc = 0, r;

	while ((r = consumer_poll(c, &m, 500, err, sizeof(err))) >= 0 || r == -1) {
		if (r == -1) {
			fprintf(stderr, "events_dump: %s\n", err);
			rc = 1;
			break;
		}
		if (r == 1) {
			if (m.value_len < skip || decode_print((const uint8_t *)m.value + skip, m.value_len - skip))
				rc = 1;
			consumer_release(c, &m);
		} else if (time(NULL) >= end) {
			break;
		}
	}
	consumer_close(c);
	return rc;
}

int main(int argc, char **argv)
{
	static struct event_scratch split;
	struct transport_config cfg = {0};
	const char *topics[1];
	char err[256], group[64];
	struct consumer *c;

	if (argc == 3 && !strcmp(argv[1], "file")) {
		cfg = (struct transport_config){.kind = TRANSPORT_FILE, .path = argv[2], .record_size = event_record_size,
						.record_ctx = &split};
		topics[0] = "rampart.events";
	} else if (argc == 5 && !strcmp(argv[1], "kafka")) {
		snprintf(group, sizeof(group), "events-dump-%ld", (long)time(NULL));
		cfg = (struct transport_config){.kind = TRANSPORT_KAFKA, .brokers = argv[2], .group_id = group};
		topics[0] = argv[3];
	} else {
		fprintf(stderr, "usage: events_dump file PATH | kafka BROKERS TOPIC SECONDS\n");
		return 2;
	}
	c = consumer_open(&cfg, topics, 1, err, sizeof(err));
	if (!c) {
		fprintf(stderr, "events_dump: %s\n", err);
		return 1;
	}
	/* Kafka values carry the single-object header: 0xC3 0x01 + 8-byte fingerprint. */
	return run(c, cfg.kind == TRANSPORT_KAFKA ? atoi(argv[4]) : 0, cfg.kind == TRANSPORT_KAFKA ? 10 : 0);
}
