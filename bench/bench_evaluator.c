/* Evaluator throughput per core: decode + evaluate and evaluate-only, over a
 * realistic event mix (mostly non-matching), against a catalog-sized rule
 * set; allocations per event (malloc/calloc/realloc wrapped at link time)
 * and peak RSS. Baseline in the same run: decode only.
 * The rule set is the default catalog (RULES_DIR), every rule enabled.
 * Also reports the share of rules the event-type index skips per event.
 * usage: bench_evaluator RULES_DIR [seconds per case, default 1.5] [events]
 * With EVENTS (> 0) every case runs exactly that many events (rounded up to
 * the 4096-event mix) instead of for a time, for instruction counting:
 *   valgrind --tool=callgrind --toggle-collect=case_decode_eval \
 *     bench_evaluator rules 0 409600       # Ir / 409600 = Ir per event
 * (case_decode, case_decode_eval, case_eval are the three cases). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include "event_codec.h"
#include "evaluator.h"

#include "alloc_count.h"

#define NEVENTS 4096

/* The bench cluster applies every catalog rule (all_rules.log). */
static const char *write_bench_cluster(void)
{
	static char path[64];
	snprintf(path, sizeof(path), "/tmp/bench_evaluator_%d.yaml", (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f)
		return NULL;
	fprintf(f, "policies:\n  - {name: bench, rulesets: [all_rules.log]}\n"
		   "clusters:\n  - {name: bench, orchestrator: kubernetes, labels: {env: prod}, policy: bench}\n");
	fclose(f);
	return path;
}

static const struct rp_str exec_args[] = {RP_STR("/usr/bin/python3"), RP_STR("-m"), RP_STR("gunicorn"),
					  RP_STR("--workers"), RP_STR("4"), RP_STR("app.wsgi:application")};
static const struct rp_label labels[] = {{RP_STR("app.kubernetes.io/name"), RP_STR("checkout")},
					 {RP_STR("team"), RP_STR("payments")}};
static const char *paths[] = {"/srv/app/static/main.css", "/usr/lib/python3.11/json/__init__.py", "/etc/hosts",
			      "/proc/self/status", "/tmp/upload-1234", "/etc/shadow"};

/* ~1 in 64 events matches a rule (a /etc/shadow read), as in production. */
static void make_event(struct rp_event *ev, int i)
{
	memset(ev, 0, sizeof(*ev));
	ev->node = RP_STR("ip-10-0-3-17.eu-west-1.compute.internal");
	ev->cluster = RP_STR("bench");
	ev->orchestrator = RP_ORCH_KUBERNETES;
	ev->boot_id = RP_STR("0b6f3c8e-2a41-4d0c-9a57-3f1e5d2c7b90");
	ev->sequence = i;
	ev->time_ns = 1700000000123456789LL;
	ev->container.id = RP_STR("4c1d9e2f7a3b5c6d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f8a9b0c1d");
	ev->container.name = RP_STR("checkout");
	ev->container.image = RP_STR("registry.example.com/shop/checkout:2.14.1");
	ev->workload_kind = RP_WORKLOAD_POD;
	ev->workload.pod = (struct rp_pod){RP_STR("shop"), RP_STR("checkout-7d9f8c6b5d-x2kqz"),
					   RP_STR("6f1c2d3e-4b5a-6978-8a9b-0c1d2e3f4a5b"), labels, 2,
					   RP_STR("ReplicaSet"), RP_STR("checkout-7d9f8c6b5d"), RP_STR("checkout")};
	ev->process = (struct rp_process){.pid = 48213, .ppid = 48190, .uid = 1000, .loginuid = -1,
					  .comm = RP_STR("python3"), .exe = RP_STR("/usr/bin/python3.11"),
					  .args = exec_args, .nargs = 6, .cwd = RP_STR("/srv/app"),
					  .start_time_ns = 1699999990000000000LL, .parent_comm = RP_STR("gunicorn")};
	int k = i % 64;
	if (k < 40) { /* file opens dominate */
		ev->type = RP_EV_OPEN, ev->args_kind = RP_ARGS_FILE;
		ev->args.file.path = k == 0 ? RP_STR("/etc/shadow") : (struct rp_str){paths[k % 5], (uint32_t)strlen(paths[k % 5])};
	} else if (k < 54) {
		ev->type = RP_EV_CONNECT, ev->args_kind = RP_ARGS_NET;
		ev->args.net = (struct rp_net_args){.fd = 7, .family = 2, .remote_addr = RP_STR("10.0.12.7"),
						    .remote_port = 5432, .newfd = -1};
	} else if (k < 60) {
		ev->type = RP_EV_EXEC;
	} else {
		ev->type = k & 1 ? RP_EV_FORK : RP_EV_EXIT, ev->args_kind = RP_ARGS_PROC;
	}
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

enum mode { DECODE, DECODE_EVAL, EVAL };

struct run {
	struct rp_buf enc[NEVENTS];
	struct rp_event ev[NEVENTS];
	struct event_scratch *sc;
	struct evaluator *e;
	struct eval_config *cfg;
};

/* One pass over the mix; the three cases are separate functions so that
 * callgrind's --toggle-collect can count each on its own. */
static inline unsigned long pass(struct run *r, enum mode m)
{
	struct rp_event ev;
	struct rp_verdict v;
	struct codec_error err;
	unsigned long matched = 0;
	for (int i = 0; i < NEVENTS; i++) {
		const struct rp_event *p = &r->ev[i];
		if (m != EVAL) {
			if (event_decode(r->enc[i].data, r->enc[i].len, &ev, r->sc, &err) < 0)
				abort();
			p = &ev;
		}
		if (m != DECODE)
			matched += evaluator_eval(r->e, r->cfg, p, &v) > 0;
	}
	return matched;
}

__attribute__((noinline)) static unsigned long case_decode(struct run *r) { return pass(r, DECODE); }
__attribute__((noinline)) static unsigned long case_decode_eval(struct run *r) { return pass(r, DECODE_EVAL); }
__attribute__((noinline)) static unsigned long case_eval(struct run *r) { return pass(r, EVAL); }

/* Runs for secs seconds, or for exactly `events` events when that is > 0. */
static double measure(struct run *r, enum mode m, double secs, unsigned long events, double *allocs_per,
		      unsigned long *matched, unsigned long *nevents)
{
	static unsigned long (*const cases[])(struct run *) = {case_decode, case_decode_eval, case_eval};
	unsigned long n = 0, a0 = allocs;
	double t0 = now(), t;
	*matched = 0;
	do {
		*matched += cases[m](r);
		n += NEVENTS;
		t = now() - t0;
	} while (events ? n < events : t < secs);
	*allocs_per = (double)(allocs - a0) / (double)n;
	*nevents = n;
	return (double)n / t;
}

int main(int argc, char **argv)
{
	static struct run r;
	struct diag d = {0};
	double secs = argc > 2 ? atof(argv[2]) : 1.5, ap;
	unsigned long events = argc > 3 ? strtoul(argv[3], NULL, 10) : 0, matched, n;
	const char *bench_cfg = write_bench_cluster();
	const char *cfgpaths[] = {argc > 1 ? argv[1] : "rules", bench_cfg};

	if (!bench_cfg || !(r.cfg = eval_config_load(cfgpaths, 2, &d))) {
		diag_print(&d, stderr);
		return 1;
	}
	unlink(bench_cfg);
	struct eval_config_info info;
	eval_config_info(r.cfg, &info);
	r.sc = calloc(1, sizeof(*r.sc));
	r.e = evaluator_new();
	for (int i = 0; i < NEVENTS; i++) {
		make_event(&r.ev[i], i);
		if (event_encode(&r.ev[i], &r.enc[i]) < 0)
			return 1;
	}
	double handed = 0;
	for (int i = 0; i < NEVENTS; i++)
		handed += (double)eval_config_rules_for_type(r.cfg, "bench", r.ev[i].type);
	handed /= NEVENTS;
	printf("rules %zu (the catalog), predicates %zu, instructions %zu, config %zu KiB\n", info.rules,
	       info.predicates, info.instructions, info.bytes / 1024);
	printf("event-type index: %.1f rules per event of %zu, %.1f%% skipped\n", handed, info.rules,
	       100.0 * (1.0 - handed / (double)info.rules));
	struct rp_verdict v0; /* the evaluator sizes its memo on first use */
	evaluator_eval(r.e, r.cfg, &r.ev[0], &v0);
	if (!events) /* warm-up; not when counting instructions per case */
		measure(&r, DECODE_EVAL, 0.2, 0, &ap, &matched, &n);
	double dec = measure(&r, DECODE, secs, events, &ap, &matched, &n);
	printf("decode only (baseline)   %10.0f events/s/core  allocs/event %.4f\n", dec, ap);
	double de = measure(&r, DECODE_EVAL, secs, events, &ap, &matched, &n);
	printf("decode + evaluate        %10.0f events/s/core  allocs/event %.4f  (%.2f%% of events matched)\n", de, ap,
	       100.0 * (double)matched / (double)n);
	double ev = measure(&r, EVAL, secs, events, &ap, &matched, &n);
	printf("evaluate only            %10.0f events/s/core  allocs/event %.4f\n", ev, ap);
	if (events)
		printf("(%lu events per case)\n", n);
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS %ld KiB\n", ru.ru_maxrss);
	for (int i = 0; i < NEVENTS; i++)
		buf_free(&r.enc[i]);
	free(r.sc);
	evaluator_free(r.e);
	eval_config_unref(r.cfg);
	return 0;
}
