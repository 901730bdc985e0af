/* Events per second per core, encode and decode, of the schema-specific
 * codec against avro-c's generic value API on the same data in the same
 * run. avro-c is measured the way it is fastest: one reused memory
 * reader/writer and one reused generic value; its "encode" writes an already
 * populated value and its "decode" stops at the generic value (neither counts
 * moving data to or from a C struct, which ours includes).
 * usage: bench_codec [seconds per case, default 1.5] */
#include <avro.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_codec.h"
#include "schema_defs.h"

struct avro_side {
	avro_schema_t schema;
	avro_value_iface_t *iface;
	avro_value_t value;
	avro_reader_t reader;
	avro_writer_t writer;
	char out[8192];
};

static const struct rp_str exec_args[] = {
	RP_STR("/usr/bin/python3"), RP_STR("-m"), RP_STR("gunicorn"), RP_STR("--workers"),
	RP_STR("4"), RP_STR("--bind"), RP_STR("0.0.0.0:8080"), RP_STR("--timeout"), RP_STR("30"),
	RP_STR("app.wsgi:application")};
static const struct rp_label pod_labels[] = {
	{RP_STR("app.kubernetes.io/name"), RP_STR("checkout")},
	{RP_STR("app.kubernetes.io/version"), RP_STR("2.14.1")},
	{RP_STR("pod-template-hash"), RP_STR("7d9f8c6b5d")},
	{RP_STR("team"), RP_STR("payments")}};

static void common(struct rp_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->node = RP_STR("ip-10-0-3-17.eu-west-1.compute.internal");
	ev->cluster = RP_STR("prod-eu-west-1");
	ev->orchestrator = RP_ORCH_KUBERNETES;
	ev->boot_id = RP_STR("0b6f3c8e-2a41-4d0c-9a57-3f1e5d2c7b90");
	ev->sequence = 918273645;
	ev->time_ns = 1700000000123456789LL;
	ev->container = (struct rp_container){
		RP_STR("4c1d9e2f7a3b5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d"),
		RP_STR("checkout"), RP_STR("registry.example.com/shop/checkout:2.14.1"),
		RP_STR("sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"),
		false, RP_STR("containerd"),
		RP_STR("/kubepods/burstable/pod6f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b/"
		       "4c1d9e2f7a3b5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d")};
	ev->workload_kind = RP_WORKLOAD_POD;
	ev->workload.pod = (struct rp_pod){RP_STR("shop"), RP_STR("checkout-7d9f8c6b5d-x2kqz"),
					   RP_STR("6f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"), pod_labels, 4,
					   RP_STR("ReplicaSet"), RP_STR("checkout-7d9f8c6b5d"),
					   RP_STR("checkout")};
	struct rp_process *p = &ev->process;
	p->pid = 48213; p->tid = 48213; p->ppid = 48190; p->uid = 1000; p->gid = 1000;
	p->euid = 1000; p->egid = 1000; p->loginuid = -1;
	p->comm = RP_STR("python3"); p->exe = RP_STR("/usr/bin/python3.11");
	p->cwd = RP_STR("/srv/app"); p->start_time_ns = 1699999990000000000LL;
	p->parent_comm = RP_STR("sh"); p->parent_exe = RP_STR("/bin/dash");
	p->gparent_comm = RP_STR("containerd-shim"); p->gparent_exe = RP_STR("/usr/bin/containerd-shim-runc-v2");
}

static void exec_event(struct rp_event *ev)
{
	common(ev);
	ev->type = RP_EV_EXEC;
	ev->syscall = RP_STR("sched_process_exec");
	ev->process.args = exec_args;
	ev->process.nargs = 10;
	ev->args_kind = RP_ARGS_NONE;
}

static void open_event(struct rp_event *ev)
{
	common(ev);
	ev->type = RP_EV_OPEN;
	ev->syscall = RP_STR("openat");
	ev->result = 7;
	ev->args_kind = RP_ARGS_FILE;
	ev->args.file = (struct rp_file_args){RP_STR("/etc/ssl/certs/ca-certificates.crt"),
					      RP_STR(""), -100, 0x80000, 0, -1, -1, RP_STR(""), 0};
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Runs op in batches until `seconds` have passed; returns ops per second. */
#define MEASURE(seconds, rate, op)                                    \
	do {                                                          \
		long iters_ = 0;                                      \
		double t0_ = now(), t_;                               \
		do {                                                  \
			for (int k_ = 0; k_ < 1000; k_++) {           \
				op;                                   \
			}                                             \
			iters_ += 1000;                               \
		} while ((t_ = now()) - t0_ < (seconds));             \
		(rate) = (double)iters_ / (t_ - t0_);                 \
	} while (0)

static void fail(const char *what)
{
	fprintf(stderr, "bench_codec: %s: %s\n", what, avro_strerror());
	exit(1);
}

static void avro_setup(struct avro_side *a)
{
	if (avro_schema_from_json_length(schema_event_json, schema_event_json_len, &a->schema))
		fail("schema");
	a->iface = avro_generic_class_from_schema(a->schema);
	if (!a->iface || avro_generic_value_new(a->iface, &a->value))
		fail("generic value");
	a->reader = avro_reader_memory(a->out, 0);
	a->writer = avro_writer_memory(a->out, sizeof(a->out));
	if (!a->reader || !a->writer)
		fail("memory reader/writer");
}

static void avro_teardown(struct avro_side *a)
{
	avro_reader_free(a->reader);
	avro_writer_free(a->writer);
	avro_value_decref(&a->value);
	avro_value_iface_decref(a->iface);
	avro_schema_decref(a->schema);
}

static int avro_decode(struct avro_side *a, const struct rp_buf *b)
{
	avro_reader_memory_set_source(a->reader, (const char *)b->data, (int64_t)b->len);
	avro_value_reset(&a->value);
	return avro_value_read(a->reader, &a->value);
}

static int avro_encode(struct avro_side *a)
{
	avro_writer_memory_set_dest(a->writer, a->out, sizeof(a->out));
	return avro_value_write(a->writer, &a->value);
}

static void run_case(const char *name, const struct rp_event *ev, double secs,
		     struct event_scratch *s, struct avro_side *a)
{
	struct rp_buf b = {0}, tmp = {0};
	struct codec_error err;
	struct rp_event out;
	double ours_enc, ours_dec, av_enc, av_dec;
	int bad = 0;

	if (event_encode(ev, &b) || avro_decode(a, &b))
		fail("bad fixture");
	MEASURE(secs, ours_enc, buf_reset(&tmp); bad |= event_encode(ev, &tmp));
	MEASURE(secs, ours_dec, bad |= event_decode(b.data, b.len, &out, s, &err));
	MEASURE(secs, av_enc, bad |= avro_encode(a));
	MEASURE(secs, av_dec, bad |= avro_decode(a, &b));
	if (bad || tmp.len != b.len || (size_t)avro_writer_tell(a->writer) != b.len)
		fail("codec error during the run");
	printf("%-6s %-7s %12.0f %12.0f %7.1fx %6zu\n", name, "encode", ours_enc, av_enc,
	       ours_enc / av_enc, b.len);
	printf("%-6s %-7s %12.0f %12.0f %7.1fx %6zu\n", name, "decode", ours_dec, av_dec,
	       ours_dec / av_dec, b.len);
	buf_free(&b);
	buf_free(&tmp);
}

int main(int argc, char **argv)
{
	double secs = argc > 1 ? atof(argv[1]) : 1.5;
	struct event_scratch *s = malloc(sizeof(*s));
	struct avro_side *a = malloc(sizeof(*a));
	struct rp_event ev;

	if (!s || !a || secs <= 0) {
		fprintf(stderr, "usage: %s [seconds per case]\n", argv[0]);
		return 2;
	}
	avro_setup(a);
	printf("%-6s %-7s %12s %12s %8s %6s\n", "event", "op", "ours ev/s", "avro-c ev/s",
	       "ratio", "bytes");
	exec_event(&ev);
	run_case("exec", &ev, secs, s, a);
	open_event(&ev);
	run_case("open", &ev, secs, s, a);
	avro_teardown(a);
	free(a);
	free(s);
	return 0;
}
