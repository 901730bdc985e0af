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
 *   bench_collector openloop N  only generate N open+close (load for bench_collector_kafka.sh) */
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

#include "capture_decode.h"
#include "capture_loader.h"
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

int main(int argc, char **argv)
{
	double base[LOOP__COUNT], empty[LOOP__COUNT], cap[LOOP__COUNT];
	double scale = argc > 1 ? atof(argv[1]) : 1.0;

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
