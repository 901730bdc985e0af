/* Collector overhead and capture throughput on this kernel, in one run.
 *
 * Four syscall loops (getppid: a syscall no rule needs; open/close; exec;
 * connect) are timed three ways: no program attached, the empty programs
 * (bpf/empty.bpf.c: same hooks, immediate return) and the capture programs
 * with every covered syscall of this process published (container_only off,
 * the benchmark counts as the workload). A reader thread on the other core
 * drains the ring buffer, decodes and Avro-encodes each record, as the
 * collector does before handing it to the producer.
 *   bench_collector [scale]   (scale multiplies the iteration counts)
 *   bench_collector openloop N  only generate N open+close (load for bench_collector_kafka.sh)
 *   bench_collector replay N [RATE]
 *       the collector's own cost on one core: records captured from a mixed
 *       workload (open, connect, fork/exec/exit) are replayed N times through
 *       collector_pipeline_record (decode, identity, encode, publish) on this
 *       thread, paced to RATE events/s when given. The sink follows the
 *       collector configuration in the environment (RAMPART_TRANSPORT=kafka
 *       with RAMPART_KAFKA_BOOTSTRAP_SERVERS, or file with
 *       RAMPART_COLLECTOR_RECORD=PATH); RAMPART_TRANSPORT=null encodes and
 *       drops (file transport opened on /dev/shm, never written). */
#include <arpa/inet.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <sys/resource.h>

#include "capture_decode.h"
#include "capture_loader.h"
#include "collector_pipeline.h"
#include "empty.skel.h"
#include "event_message.h"

enum { LOOP_GETPPID, LOOP_OPEN, LOOP_EXEC, LOOP_CONNECT, LOOP__COUNT };
static const char *const loop_names[] = {"getppid", "open+close", "fork+exec+wait", "socket+connect+close"};
static long iters[LOOP__COUNT] = {2000000, 200000, 2000, 100000};

struct reader {
	struct capture *cap;
	uint64_t events, encode_failed;
	struct capture_strings st;
	struct event_scratch sc;
	struct rp_event ev;
	struct rp_buf buf;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void one_op(int loop)
{
	static const struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = 0x0100 /* port 1 */,
					     .sin_addr = {0x0100007f}};
	int fd;

	switch (loop) {
	case LOOP_GETPPID: (void)getppid(); break;
	case LOOP_OPEN: fd = open("/etc/hostname", O_RDONLY); if (fd >= 0) close(fd); break;
	case LOOP_EXEC: {
		pid_t p = fork();
		if (p == 0) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		waitpid(p, NULL, 0);
		break;
	}
	case LOOP_CONNECT:
		fd = socket(AF_INET, SOCK_STREAM, 0);
		if (fd >= 0) {
			connect(fd, (const struct sockaddr *)&a, sizeof(a)); /* refused: the attempt is the event */
			close(fd);
		}
		break;
	}
}

/* ns per iteration of loop; the best of three runs (least disturbed). */
static double time_loop(int loop)
{
	double best = 1e30;

	for (int r = 0; r < 3; r++) {
		double t0 = now_s();
		for (long i = 0; i < iters[loop]; i++)
			one_op(loop);
		double ns = (now_s() - t0) * 1e9 / (double)iters[loop];
		if (ns < best)
			best = ns;
	}
	return best;
}

static void time_all(double out[LOOP__COUNT])
{
	for (int l = 0; l < LOOP__COUNT; l++)
		out[l] = time_loop(l);
}

static int on_record(void *ctx, const void *data, size_t len)
{
	struct reader *r = ctx;

	r->events++;
	if (capture_decode(data, len, 0, &r->ev, &r->st, &r->sc) == 0) {
		buf_reset(&r->buf);
		if (event_encode_message(&r->ev, &r->buf))
			r->encode_failed++;
	}
	return 0;
}

static long rss_kib(const char *field)
{
	char line[256];
	long v = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			v = atol(line + strlen(field) + 1);
	if (f)
		fclose(f);
	return v;
}

/* The reader process: loads the capture (its own syscalls excluded, as the
 * collector's are), drains until SIGTERM, reports its counters on fd out.
 * A separate process, as the collector is: a loader thread inside the
 * measured process would make its forks pay for the ring-buffer mappings. */
static volatile sig_atomic_t reader_stop;

static void on_term(int sig)
{
	(void)sig;
	reader_stop = 1;
}

static int reader_main(int out)
{
	struct capture_options o = {.container_only = false, .ringbuf_bytes = 16u << 20};
	struct reader *r = calloc(1, sizeof(*r));
	const char *only = getenv("BENCH_SYSCALLS"); /* e.g. "connect": capture just these */
	const char *list[1] = {only};
	uint64_t st[4];
	char err[512];

	if (only)
		o.syscalls = list, o.nsyscalls = 1;
	signal(SIGTERM, on_term);
	r->cap = r ? capture_open(&o, on_record, r, err, sizeof(err)) : NULL;
	if (!r->cap) {
		fprintf(stderr, "bench_collector: %s\n", err);
		return 1;
	}
	st[0] = 1;
	if (write(out, st, sizeof(st[0])) != sizeof(st[0]))
		return 1;
	while (!reader_stop)
		capture_poll(r->cap, 20);
	capture_poll(r->cap, 0);
	st[0] = r->events, st[1] = capture_drops(r->cap), st[2] = r->encode_failed, st[3] = (uint64_t)rss_kib("VmHWM:");
	capture_close(r->cap);
	return write(out, st, sizeof(st)) == sizeof(st) ? 0 : 1;
}

static int run_empty(double out[LOOP__COUNT])
{
	struct rampart_empty_bpf *s = rampart_empty_bpf__open_and_load();

	if (!s || rampart_empty_bpf__attach(s)) {
		fprintf(stderr, "bench_collector: cannot load/attach the empty programs\n");
		rampart_empty_bpf__destroy(s);
		return -1;
	}
	time_all(out);
	rampart_empty_bpf__destroy(s);
	return 0;
}

/* Times the loops with the capture programs attached (reader in a child
 * process); also reports the open-loop throughput drained by the reader. */
static int run_capture(double out[LOOP__COUNT])
{
	uint64_t st[4] = {0}, ready = 0;
	int p[2], status;
	pid_t child;

	if (pipe(p))
		return -1;
	child = fork();
	if (child == 0)
		_exit(reader_main(p[1]));
	if (read(p[0], &ready, sizeof(ready)) != sizeof(ready) || ready != 1) {
		waitpid(child, &status, 0);
		return -1;
	}
	time_all(out);
	double t0 = now_s();
	for (long i = 0; i < iters[LOOP_OPEN] * 5; i++)
		one_op(LOOP_OPEN);
	double dt = now_s() - t0;
	kill(child, SIGTERM);
	if (read(p[0], st, sizeof(st)) != sizeof(st))
		return -1;
	waitpid(child, &status, 0);
	close(p[0]), close(p[1]);
	printf("capture rate (open loop, one event per open, reader on the other core): %.0f events/s\n",
	       (double)(iters[LOOP_OPEN] * 5) / dt);
	printf("reader: %llu records decoded+encoded, %llu ring-buffer drops, %llu encode failures, peak RSS %llu KiB\n",
	       (unsigned long long)st[0], (unsigned long long)st[1], (unsigned long long)st[2],
	       (unsigned long long)st[3]);
	return 0;
}

/* ---- replay: the collector's user-space cost per event ---- */

#define REPLAY_ARENA (48u << 20)

struct arena {
	unsigned char *p;
	size_t len;
	uint32_t n;
};

static int on_record_keep(void *ctx, const void *data, size_t len)
{
	struct arena *a = ctx;

	if (a->len + sizeof(uint32_t) + len > REPLAY_ARENA)
		return 0;
	memcpy(a->p + a->len, &(uint32_t){(uint32_t)len}, sizeof(uint32_t));
	memcpy(a->p + a->len + sizeof(uint32_t), data, len);
	a->len += (sizeof(uint32_t) + len + 7) & ~(size_t)7;
	a->n++;
	return 0;
}

/* A mix like a busy container's: opens of a few paths, connects, execs. */
static void generate_mix(long rounds)
{
	for (long i = 0; i < rounds; i++) {
		int fd = open(i & 1 ? "/etc/hostname" : "/usr/lib/os-release", O_RDONLY);

		if (fd >= 0)
			close(fd);
		if (i % 4 == 0)
			one_op(LOOP_CONNECT);
		if (i % 200 == 0)
			one_op(LOOP_EXEC);
	}
}

static int record_mix(struct arena *a)
{
	static const char *const sys[] = {"openat", "socket", "connect"};
	struct capture_options o = {.container_only = false, .ringbuf_bytes = 16u << 20, .syscalls = sys, .nsyscalls = 3};
	char err[512];
	struct capture *cap = capture_open(&o, on_record_keep, a, err, sizeof(err));
	pid_t child;

	if (!cap) {
		fprintf(stderr, "bench_collector: %s\n", err);
		return -1;
	}
	child = fork();
	if (child == 0) {
		generate_mix(20000);
		_exit(0);
	}
	while (waitpid(child, NULL, WNOHANG) == 0)
		capture_poll(cap, 20);
	capture_poll(cap, 0);
	printf("replay: recorded %u records (%zu bytes), %llu ring-buffer drops while recording\n", a->n, a->len,
	       (unsigned long long)capture_drops(cap));
	capture_close(cap);
	return a->n ? 0 : -1;
}

static double thread_cpu_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Replays the arena until n events went through, paced to rate (0 = flat out). */
static void replay(struct collector_pipeline *p, const struct arena *a, long n, double rate)
{
	double t0 = now_s();
	long done = 0;

	while (done < n) {
		for (size_t at = 0; at < a->len && done < n; done++) {
			uint32_t len;

			memcpy(&len, a->p + at, sizeof(len));
			collector_pipeline_record(p, a->p + at + sizeof(len), len);
			at += (sizeof(len) + len + 7) & ~(size_t)7;
			if (rate > 0 && (done & 1023) == 0)
				while (now_s() - t0 < (double)done / rate)
					usleep(200);
		}
	}
}

static int replay_main(long n, double rate)
{
	extern char **environ;
	const char *tr = getenv("RAMPART_TRANSPORT");
	bool null_sink = tr && !strcmp(tr, "null");
	struct arena a = {.p = malloc(REPLAY_ARENA)};
	struct collector_pipeline *p = calloc(1, sizeof(*p));
	struct collector_config cc;
	struct producer_stats ps = {0};
	char err[512];

	if (!a.p || !p || record_mix(&a))
		return 1;
	if (collector_config_load(&cc, NULL, null_sink ? "file" : NULL, null_sink ? "/dev/shm/bench-null.avro" : NULL,
				  environ, err, sizeof(err)) ||
	    collector_pipeline_init(p, &cc, err, sizeof(err))) {
		fprintf(stderr, "bench_collector: %s\n", err);
		return 1;
	}
	p->pub.discard = null_sink;
	double t0 = now_s(), c0 = thread_cpu_s();
	replay(p, &a, n, rate);
	double dt = now_s() - t0, cpu = thread_cpu_s() - c0;
	uint64_t published = metrics_get(&p->pub.published), send_failed = metrics_get(&p->pub.send_failed);
	uint64_t decode_failed = metrics_get(&p->decode_failed);
	collector_pipeline_close(p, 60000, &ps);
	double dflush = now_s() - t0;
	printf("replay sink=%s: %ld events in %.3f s = %.0f events/s (pipeline thread CPU %.3f s = %.0f events/s/core, "
	       "%.0f ns/event)\n",
	       tr ? tr : "kafka", n, dt, (double)n / dt, cpu, (double)n / cpu, cpu * 1e9 / (double)n);
	printf("replay: published=%llu send_failed=%llu decode_failed=%llu delivered=%llu delivery_failed=%llu "
	       "queue_full=%llu; until delivered %.3f s = %.0f events/s; peak RSS %ld KiB\n",
	       (unsigned long long)published, (unsigned long long)send_failed,
	       (unsigned long long)decode_failed, (unsigned long long)ps.delivered,
	       (unsigned long long)ps.failed, (unsigned long long)ps.queue_full, dflush, (double)n / dflush,
	       rss_kib("VmHWM:"));
	collector_config_free(&cc);
	if (null_sink)
		unlink("/dev/shm/bench-null.avro");
	free(p), free(a.p);
	return 0;
}

int main(int argc, char **argv)
{
	double base[LOOP__COUNT], empty[LOOP__COUNT], cap[LOOP__COUNT];
	double scale = argc > 1 ? atof(argv[1]) : 1.0;

	if (argc >= 3 && !strcmp(argv[1], "replay"))
		return replay_main(atol(argv[2]), argc > 3 ? atof(argv[3]) : 0);
	if (argc == 3 && !strcmp(argv[1], "openloop")) {
		for (long i = 0, n = atol(argv[2]); i < n; i++)
			one_op(LOOP_OPEN);
		return 0;
	}

	for (int l = 0; l < LOOP__COUNT; l++)
		iters[l] = (long)((double)iters[l] * (scale > 0 ? scale : 1.0));
	time_all(base);
	if (run_empty(empty) || run_capture(cap))
		return 1;
	printf("%-22s %12s %12s %12s %10s %10s\n", "loop (ns/iteration)", "none", "empty prog", "collector",
	       "coll/none", "coll/empty");
	for (int l = 0; l < LOOP__COUNT; l++)
		printf("%-22s %12.1f %12.1f %12.1f %9.2fx %9.2fx\n", loop_names[l], base[l], empty[l], cap[l],
		       cap[l] / base[l], cap[l] / empty[l]);
	return 0;
}
