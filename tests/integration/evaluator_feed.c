/* Test helper of test_evaluator_*.sh: creates topics and produces framed
 * Events whose rule matches are known in advance.
 *
 *   evaluator_feed create BROKERS TOPIC PARTITIONS
 *   evaluator_feed produce BROKERS TOPIC KIND START COUNT BAD RATE
 *
 * produce writes COUNT events with sequences START.. (node "node-eos"), then
 * BAD undecodable messages (keys bad-<START>-<i>). RATE > 0 paces the events
 * (events/s). KIND:
 *   eos   sequence % 10 == 0: cat opens /etc/shadow in a container (RP1002);
 *         others: cat opens a library (no rule)
 *   pkg   apt-get install in a container: matches only RP1012, which the
 *         shipped rulesets disable */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "event_message.h"
#include "kafka_admin.h"
#include "transport.h"

static int create_topic(const char *brokers, const char *topic, int partitions)
{
	char err[512];

	if (kafka_create_topic(brokers, topic, partitions, 1, NULL, 0, 30000, err, sizeof(err)))
		return fprintf(stderr, "feed: %s\n", err), 1;
	return 0;
}

static void make_event(struct rp_event *ev, const char *kind, long seq, char *cid, size_t cidlen)
{
	static const struct rp_str cat_args[] = {RP_STR("cat"), RP_STR("/etc/shadow")};
	static const struct rp_str apt_args[] = {RP_STR("apt-get"), RP_STR("install"), RP_STR("curl")};
	int pkg = !strcmp(kind, "pkg"), bad = !pkg && seq % 10 == 0;

	memset(ev, 0, sizeof(*ev));
	snprintf(cid, cidlen, "c%03ld", seq % 40);
	*ev = (struct rp_event){
		.node = RP_STR("node-eos"), .cluster = RP_STR("test-cluster"), .orchestrator = RP_ORCH_NONE,
		.boot_id = RP_STR("boot-1"), .sequence = seq, .time_ns = 1764374400000000000LL + seq,
		.container = {.id = {cid, (uint32_t)strlen(cid)}, .name = RP_STR("web"),
			      .image = RP_STR("busybox:latest")},
		.process = {.pid = 100, .ppid = 1, .comm = RP_STR("cat"), .exe = RP_STR("/bin/cat"),
			    .args = cat_args, .nargs = 2, .cwd = RP_STR("/"), .parent_comm = RP_STR("sh")},
	};
	if (pkg) {
		ev->type = RP_EV_EXEC, ev->syscall = RP_STR("sched_process_exec");
		ev->process.comm = RP_STR("apt-get"), ev->process.exe = RP_STR("/usr/bin/apt-get");
		ev->process.args = apt_args, ev->process.nargs = 3;
		return;
	}
	ev->type = RP_EV_OPEN, ev->syscall = RP_STR("openat"), ev->args_kind = RP_ARGS_FILE;
	ev->args.file.path = bad ? RP_STR("/etc/shadow") : RP_STR("/usr/lib/x86_64-linux-gnu/libc.so.6");
	ev->args.file.flags = 0; /* O_RDONLY */
}

static void pace(const struct timespec *t0, long done, long rate)
{
	struct timespec now, d;
	double due, el;

	if (rate <= 0)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	el = (double)(now.tv_sec - t0->tv_sec) + (now.tv_nsec - t0->tv_nsec) / 1e9;
	due = (double)done / (double)rate;
	if (due > el) {
		d.tv_sec = (time_t)(due - el);
		d.tv_nsec = (long)((due - el - (double)d.tv_sec) * 1e9);
		nanosleep(&d, NULL);
	}
}

static int produce(const char *brokers, const char *topic, const char *kind, long start, long count,
		   long bad, long rate)
{
	struct transport_config cfg = {.kind = TRANSPORT_KAFKA, .brokers = brokers, .client_id = "feed"};
	char err[512], cid[16], key[64];
	struct rp_buf out = {0};
	struct rp_event ev;
	struct timespec t0;
	struct producer *p = producer_open(&cfg, err, sizeof(err));
	int rc = 0;

	if (!p)
		return fprintf(stderr, "feed: %s\n", err), 1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (long i = 0; i < count && !rc; i++) {
		make_event(&ev, kind, start + i, cid, sizeof(cid));
		buf_reset(&out);
		if (event_encode_message(&ev, &out) ||
		    producer_send(p, topic, cid, strlen(cid), out.data, out.len, err, sizeof(err)))
			rc = (fprintf(stderr, "feed: %s\n", err), 1);
		pace(&t0, i + 1, rate);
	}
	for (long i = 0; i < bad && !rc; i++) {
		int n = snprintf(key, sizeof(key), "bad-%ld-%ld", start, i);
		if (producer_send(p, topic, key, (size_t)n, "not an event", 12, err, sizeof(err)))
			rc = (fprintf(stderr, "feed: %s\n", err), 1);
	}
	if (!rc && producer_flush(p, 60000))
		rc = (fprintf(stderr, "feed: flush failed\n"), 1);
	producer_close(p);
	buf_free(&out);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 5 && !strcmp(argv[1], "create"))
		return create_topic(argv[2], argv[3], atoi(argv[4]));
	if (argc == 9 && !strcmp(argv[1], "produce"))
		return produce(argv[2], argv[3], argv[4], atol(argv[5]), atol(argv[6]), atol(argv[7]),
			       atol(argv[8]));
	fprintf(stderr, "usage: evaluator_feed create BROKERS TOPIC PARTITIONS\n"
			"       evaluator_feed produce BROKERS TOPIC eos|pkg START COUNT BAD RATE\n");
	return 2;
}
