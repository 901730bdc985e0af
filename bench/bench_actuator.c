/* The actuator's cost per action against real local API servers, through
 * actuator_handle (the real core: dedupe, action-table re-check, no
 * blast-radius limit, retries) and the real drivers.
 *
 *   bench_actuator kube KUBECONFIG NAMESPACE < PODS
 *       PODS: "name uid" lines, all in NAMESPACE. The first pod is the
 *       warm-up (its isolate opens the TLS connection and creates the
 *       namespace's NetworkPolicy); the other N are isolated one after the
 *       other, then terminated. Baseline, same run: N authenticated GETs of
 *       those pods through lib/http.h with the same credentials and TLS
 *       (kube_auth + one http_client), i.e. one API round trip; also shown,
 *       against the same baseline: N merge-PATCHes (one write).
 *   bench_actuator ecs ENDPOINT RULES_DIR CLUSTER < TASKS
 *       TASKS: task ARNs running in the ECS cluster CLUSTER (also the
 *       rampart cluster name looked up in RULES_DIR: it must allow
 *       terminate on ECS); the first is the warm-up. Baseline: N
 *       DescribeTasks calls (ecs_api.h, the driver's own first call).
 *       Credentials and region come from the environment, as in production.
 *
 * Per case: per-action latency p50/p90/p99/max (actuator_handle's own
 * latency_ns: from the call to the outcome) and actions/s of the sequential
 * loop, and the ratios to the baseline: what the driver's multi-call
 * protocol costs over one round trip (isolate = GET pod + POST policy (409)
 * + GET policy + PATCH; terminate = GET + DELETE; ECS terminate =
 * DescribeTasks + StopTask). Outcomes are counted: a run where any action
 * did not take effect measured something else and exits 1. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "act_policy.h"
#include "actuator.h"
#include "aws_creds.h"
#include "ecs_api.h"
#include "ecs_driver.h"
#include "http.h"
#include "kube_auth.h"
#include "kube_driver.h"

#define MAX_TARGETS 20000
#define LINE_MAX_LEN 2048

struct targets {
	char **name, **uid; /* kube: pod name and uid; ecs: name = task ARN */
	size_t n;
};

struct series {
	int64_t *ns;
	size_t n;
	double wall_s;
};

struct figures {
	double p50, p90, p99, max, rate; /* ms, ms, ms, ms, actions/s */
};

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

static struct rp_str view(const char *s) { return (struct rp_str){s, (uint32_t)strlen(s)}; }

static void targets_free(struct targets *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->name[i]);
		free(t->uid[i]);
	}
	free(t->name);
	free(t->uid);
}

/* One or two whitespace-separated words a line from stdin; 0, or -1. */
static int targets_read(struct targets *t, int words)
{
	char line[LINE_MAX_LEN], a[LINE_MAX_LEN], b[LINE_MAX_LEN];

	t->name = calloc(MAX_TARGETS, sizeof(char *));
	t->uid = calloc(MAX_TARGETS, sizeof(char *));
	if (!t->name || !t->uid)
		return -1;
	while (t->n < MAX_TARGETS && fgets(line, sizeof(line), stdin)) {
		int got = sscanf(line, "%2047s %2047s", a, b);
		if (got <= 0)
			continue;
		if (got < words)
			return fprintf(stderr, "bench_actuator: bad target line: %s", line), -1;
		t->name[t->n] = strdup(a);
		t->uid[t->n] = strdup(words == 2 ? b : "");
		if (!t->name[t->n++] || !t->uid[t->n - 1])
			return -1; /* targets_free frees what was had */
	}
	if (t->n < 2)
		return fprintf(stderr, "bench_actuator: need a warm-up target and at least one more\n"), -1;
	return 0;
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* Nearest rank: the smallest sample with at least q of them at or below it. */
static double pct_ms(const int64_t *sorted, size_t n, double q)
{
	size_t rank = (size_t)(q * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	return (double)sorted[(rank > n ? n : rank) - 1] / 1e6;
}

static struct figures figures_of(struct series *s)
{
	qsort(s->ns, s->n, sizeof(*s->ns), cmp_i64);
	return (struct figures){pct_ms(s->ns, s->n, 0.50), pct_ms(s->ns, s->n, 0.90), pct_ms(s->ns, s->n, 0.99),
				(double)s->ns[s->n - 1] / 1e6, (double)s->n / s->wall_s};
}

static void print_row(const char *name, struct series *s, const struct figures *base)
{
	struct figures f = figures_of(s);

	printf("%-34s n=%-5zu p50 %7.2f ms  p90 %7.2f ms  p99 %7.2f ms  max %7.2f ms  %7.0f actions/s", name, s->n,
	       f.p50, f.p90, f.p99, f.max, f.rate);
	if (base)
		printf("  | x baseline: p50 %.2f  p99 %.2f  rate %.2f", f.p50 / base->p50, f.p99 / base->p99,
		       f.rate / base->rate);
	printf("\n");
}

static int series_init(struct series *s, size_t n)
{
	s->ns = calloc(n, sizeof(*s->ns));
	s->n = 0;
	return s->ns ? 0 : -1;
}

/* ---- verdicts ---------------------------------------------------------- */

struct bench_verdict {
	struct rp_verdict v;
	struct rp_rule_match m;
	char id[64];
};

static void verdict_base(struct bench_verdict *b, const char *phase, size_t i, enum rp_action action)
{
	memset(b, 0, sizeof(*b));
	snprintf(b->id, sizeof(b->id), "bench-%s-%zu", phase, i);
	b->m = (struct rp_rule_match){.rule_id = RP_STR("RP2001"), .rule_name = RP_STR("bench"),
				      .technique = RP_STR("T1610"), .tactic = RP_STR("execution"),
				      .severity = RP_SEV_HIGH, .ruleset = RP_STR("bench"), .action = action,
				      .output = RP_STR("benchmark verdict")};
	b->v.verdict_id = view(b->id);
	b->v.time_ns = realtime_ns();
	b->v.matches = &b->m;
	b->v.nmatches = 1;
	b->v.policy = RP_STR("bench");
	b->v.requested_action = b->v.effective_action = action;
	b->v.event = (struct rp_event){.node = RP_STR("bench-node"), .time_ns = b->v.time_ns, .type = RP_EV_EXEC,
				       .syscall = RP_STR("sched_process_exec"),
				       .process = {.comm = RP_STR("xmrig"), .exe = RP_STR("/tmp/xmrig")}};
}

static void pod_verdict(struct bench_verdict *b, const char *phase, size_t i, enum rp_action action, const char *ns,
			const char *pod, const char *uid)
{
	verdict_base(b, phase, i, action);
	b->v.event.cluster = RP_STR("bench");
	b->v.event.orchestrator = RP_ORCH_KUBERNETES;
	b->v.event.workload_kind = RP_WORKLOAD_POD;
	b->v.event.workload.pod = (struct rp_pod){.namespace_ = view(ns), .name = view(pod), .uid = view(uid)};
	b->v.workload_id = view(uid);
}

static void task_verdict(struct bench_verdict *b, const char *phase, size_t i, const char *cluster, const char *arn)
{
	verdict_base(b, phase, i, RP_ACTION_TERMINATE);
	b->v.event.cluster = view(cluster);
	b->v.event.orchestrator = RP_ORCH_ECS;
	b->v.event.workload_kind = RP_WORKLOAD_ECS_TASK;
	b->v.event.workload.ecs = (struct rp_ecs_task){.cluster = view(cluster), .task_arn = view(arn)};
	b->v.workload_id = view(arn);
}

/* ---- acting ------------------------------------------------------------ */

/* Counts outcomes; the first one that is not "done" is printed. */
struct tally {
	size_t outcomes[RP_OUTCOME__COUNT];
	bool reported;
};

static int handle(struct actuator *a, const struct bench_verdict *b, struct tally *t, int64_t *latency)
{
	struct act_outcome out;

	if (actuator_handle(a, &b->v, &out))
		return fprintf(stderr, "bench_actuator: out of memory\n"), -1;
	if (out.duplicate)
		return fprintf(stderr, "bench_actuator: %s seen as a duplicate\n", b->id), -1;
	t->outcomes[out.result.outcome]++;
	if (out.result.outcome != RP_OUTCOME_DONE && !t->reported) {
		t->reported = true;
		fprintf(stderr, "bench_actuator: %s: %s %s (HTTP %ld): %s\n", b->id, rp_action_names[out.result.action],
			rp_outcome_names[out.result.outcome], out.api_status, out.detail);
	}
	*latency = out.latency_ns;
	return 0;
}

static int tally_check(const char *what, const struct tally *t, size_t n)
{
	if (t->outcomes[RP_OUTCOME_DONE] == n)
		return 0;
	fprintf(stderr, "bench_actuator: %s: %zu of %zu done (already_done %zu, skipped %zu, failed %zu)\n", what,
		t->outcomes[RP_OUTCOME_DONE], n, t->outcomes[RP_OUTCOME_ALREADY_DONE], t->outcomes[RP_OUTCOME_SKIPPED],
		t->outcomes[RP_OUTCOME_FAILED]);
	return -1;
}

/* ---- kubernetes -------------------------------------------------------- */

/* One authenticated request on a pod, the way the driver sends its
 * requests: GET it, or (body != NULL) merge-patch it. */
static int kube_call(struct kube_auth *auth, struct http_client *h, const char *ns, const char *pod, const char *body)
{
	char url[1024], err[512];
	struct http_request rq = {.method = body ? "PATCH" : "GET", .url = url, .timeout_ms = 10000,
				  .headers = {"Accept: application/json", "User-Agent: rampart-bench",
					      body ? "Content-Type: application/merge-patch+json" : NULL},
				  .body = body, .body_len = body ? strlen(body) : 0};
	struct http_response resp = {0};
	int rc = -1;

	snprintf(url, sizeof(url), "%s/api/v1/namespaces/%s/pods/%s", kube_auth_server(auth), ns, pod);
	if (kube_auth_prepare(auth, time(NULL), &rq, err, sizeof(err)) != KUBE_CRED_OK)
		fprintf(stderr, "bench_actuator: credentials: %s\n", err);
	else if (http_do(h, &rq, &resp))
		fprintf(stderr, "bench_actuator: %s %s: %s\n", rq.method, url, resp.error);
	else if (resp.status != 200)
		fprintf(stderr, "bench_actuator: %s %s: HTTP %ld\n", rq.method, url, resp.status);
	else
		rc = 0;
	http_response_free(&resp);
	return rc;
}

/* The baselines over the N pods: GETs (the primary one: one read round
 * trip), then merge-PATCHes of an annotation (one write round trip, to
 * tell the cost of the API server's writes from the driver's protocol). */
static int kube_baseline(const char *kubeconfig, const char *ns, const struct targets *t, struct series *get,
			 struct series *patch)
{
	static const char body[] = "{\"metadata\":{\"annotations\":{\"rampart.io/bench\":\"baseline\"}}}";
	char err[512];
	struct kube_auth *auth = kube_auth_from_kubeconfig(kubeconfig, NULL, err, sizeof(err));
	struct http_client *h = http_client_new();
	int rc = -1;

	if (!auth || !h) {
		fprintf(stderr, "bench_actuator: %s\n", auth ? "libcurl failed to initialise" : err);
		goto out;
	}
	if (kube_call(auth, h, ns, t->name[0], NULL)) /* warm-up: connection and TLS handshake */
		goto out;
	for (int pass = 0; pass < 2; pass++) {
		struct series *s = pass ? patch : get;
		int64_t t0 = now_ns();
		for (size_t i = 1; i < t->n; i++) {
			int64_t start = now_ns();
			if (kube_call(auth, h, ns, t->name[i], pass ? body : NULL))
				goto out;
			s->ns[s->n++] = now_ns() - start;
		}
		s->wall_s = (double)(now_ns() - t0) / 1e9;
	}
	rc = 0;
out:
	http_client_free(h);
	kube_auth_free(auth);
	return rc;
}

/* The N pods after the warm-up one, sequentially; phase names the verdicts. */
static int kube_pass(struct actuator *a, const char *ns, const struct targets *t, enum rp_action action,
		     const char *phase, struct series *s)
{
	struct bench_verdict b;
	struct tally tally = {0};
	int64_t t0 = now_ns();

	for (size_t i = 1; i < t->n; i++) {
		pod_verdict(&b, phase, i, action, ns, t->name[i], t->uid[i]);
		if (handle(a, &b, &tally, &s->ns[s->n++]))
			return -1;
	}
	s->wall_s = (double)(now_ns() - t0) / 1e9;
	return tally_check(phase, &tally, t->n - 1);
}

static struct actuator *bench_actuator_new(const struct act_policy *policy)
{
	struct actuator_options o = {.quiet = true, .limit_max = 0, .policy = policy};
	char err[256];
	struct actuator *a = actuator_new(&o, err, sizeof(err));

	if (!a)
		fprintf(stderr, "bench_actuator: %s\n", err);
	return a;
}

static int kube_warm_up(struct actuator *a, const char *ns, const struct targets *t)
{
	struct bench_verdict b;
	struct tally tally = {0};
	int64_t first;

	pod_verdict(&b, "warm-isolate", 0, RP_ACTION_ISOLATE, ns, t->name[0], t->uid[0]);
	if (handle(a, &b, &tally, &first) || tally_check("warm-up isolate", &tally, 1))
		return -1;
	printf("first isolate (TLS handshake, NetworkPolicy created): %.2f ms\n", (double)first / 1e6);
	return 0;
}

static int run_kube(const char *kubeconfig, const char *ns)
{
	struct kube_driver_options ko = {.kubeconfig = kubeconfig};
	struct targets t = {0};
	struct series base = {0}, write = {0}, iso = {0}, term = {0};
	struct figures bf;
	struct actuator *a = NULL;
	struct act_driver *d;
	char err[512];
	int rc = 1;

	if (targets_read(&t, 2) || series_init(&base, t.n) || series_init(&write, t.n) || series_init(&iso, t.n) || series_init(&term, t.n))
		goto out;
	if (!(a = bench_actuator_new(NULL)))
		goto out;
	if (!(d = kube_driver_new(&ko, err, sizeof(err)))) {
		fprintf(stderr, "bench_actuator: kube_driver_new: %s\n", err);
		goto out;
	}
	actuator_set_driver(a, RP_ORCH_KUBERNETES, d);
	printf("kubernetes: %zu pods in %s, actor %s\n", t.n - 1, ns, d->actor(d));
	if (kube_baseline(kubeconfig, ns, &t, &base, &write) || kube_warm_up(a, ns, &t) ||
	    kube_pass(a, ns, &t, RP_ACTION_ISOLATE, "isolate", &iso) ||
	    kube_pass(a, ns, &t, RP_ACTION_TERMINATE, "terminate", &term))
		goto out;
	bf = figures_of(&base);
	print_row("baseline: GET pod (1 round trip)", &base, NULL);
	print_row("PATCH pod (1 write round trip)", &write, &bf);
	print_row("isolate (3 round trips)", &iso, &bf);
	print_row("terminate (2 round trips)", &term, &bf);
	printf("retries %llu\n", (unsigned long long)actuator_stats(a)->retries);
	rc = 0;
out:
	actuator_free(a);
	free(base.ns);
	free(write.ns);
	free(iso.ns);
	free(term.ns);
	targets_free(&t);
	return rc;
}

/* ---- ecs --------------------------------------------------------------- */

static const char *task_id_of(const char *arn)
{
	const char *slash = strrchr(arn, '/');

	return slash ? slash + 1 : arn;
}

static int ecs_baseline(const char *endpoint, const char *cluster, const struct targets *t, struct series *s)
{
	struct aws_creds_options co = {0};
	char err[512];
	struct aws_creds *creds = aws_creds_new(&co, err, sizeof(err));
	const struct aws_credentials *c;
	const char *region = getenv("AWS_REGION");
	struct ecs_endpoint e = {.http = http_client_new(), .url = endpoint, .region = region ? region : "us-east-1",
				 .timeout_ms = 10000};
	int rc = -1;
	int64_t t0 = 0;

	if (!creds || !e.http || aws_creds_get(creds, &c, err, sizeof(err)) != AWS_CREDS_OK) {
		fprintf(stderr, "bench_actuator: credentials: %s\n", err);
		goto out;
	}
	e.creds = c;
	for (size_t i = 0; i < t->n; i++) { /* the first: warm-up, untimed */
		struct ecs_task_view v;
		struct aws_call_result r;
		int64_t start = now_ns();
		enum aws_call_status st = ecs_describe_task(&e, cluster, t->name[i], task_id_of(t->name[i]), &v, &r);
		if (st != AWS_CALL_OK || v.state != ECS_TASK_ACTIVE)
			fprintf(stderr, "bench_actuator: DescribeTasks %s: %s %s\n", t->name[i], r.type, r.message);
		aws_call_result_free(&r);
		if (st != AWS_CALL_OK || v.state != ECS_TASK_ACTIVE)
			goto out;
		if (i == 0)
			t0 = now_ns();
		else
			s->ns[s->n++] = now_ns() - start;
	}
	s->wall_s = (double)(now_ns() - t0) / 1e9;
	rc = 0;
out:
	http_client_free(e.http);
	aws_creds_free(creds);
	return rc;
}

static int ecs_pass(struct actuator *a, const char *cluster, const struct targets *t, struct series *s)
{
	struct bench_verdict b;
	struct tally tally = {0};
	int64_t first, t0;

	task_verdict(&b, "warm-terminate", 0, cluster, t->name[0]);
	if (handle(a, &b, &tally, &first) || tally_check("warm-up terminate", &tally, 1))
		return -1;
	printf("first terminate (connection set up): %.2f ms\n", (double)first / 1e6);
	memset(&tally, 0, sizeof(tally));
	t0 = now_ns();
	for (size_t i = 1; i < t->n; i++) {
		task_verdict(&b, "terminate", i, cluster, t->name[i]);
		if (handle(a, &b, &tally, &s->ns[s->n++]))
			return -1;
	}
	s->wall_s = (double)(now_ns() - t0) / 1e9;
	return tally_check("terminate", &tally, t->n - 1);
}

static struct act_policy *load_policy(const char *rules)
{
	const char *paths[] = {rules};
	struct diag dg = {0};
	struct act_policy *p = act_policy_load(paths, 1, &dg);

	if (!p)
		diag_print(&dg, stderr);
	diag_free(&dg);
	return p;
}

static int run_ecs(const char *endpoint, const char *rules, const char *cluster)
{
	struct ecs_driver_options eo = {.endpoint = endpoint};
	struct targets t = {0};
	struct series base = {0}, term = {0};
	struct figures bf;
	struct act_policy *policy = load_policy(rules);
	struct actuator *a = NULL;
	struct act_driver *d;
	char err[512];
	int rc = 1;

	if (!policy || targets_read(&t, 1) || series_init(&base, t.n) || series_init(&term, t.n))
		goto out;
	if (!(a = bench_actuator_new(policy)))
		goto out;
	if (!(d = ecs_driver_new(&eo, err, sizeof(err)))) {
		fprintf(stderr, "bench_actuator: ecs_driver_new: %s\n", err);
		goto out;
	}
	actuator_set_driver(a, RP_ORCH_ECS, d);
	printf("ecs: %zu tasks in %s at %s\n", t.n - 1, cluster, endpoint);
	if (ecs_baseline(endpoint, cluster, &t, &base) || ecs_pass(a, cluster, &t, &term))
		goto out;
	bf = figures_of(&base);
	print_row("baseline: DescribeTasks (1 call)", &base, NULL);
	print_row("terminate (DescribeTasks+StopTask)", &term, &bf);
	printf("retries %llu\n", (unsigned long long)actuator_stats(a)->retries);
	rc = 0;
out:
	actuator_free(a);
	act_policy_free(policy);
	free(base.ns);
	free(term.ns);
	targets_free(&t);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "kube"))
		return run_kube(argv[2], argv[3]);
	if (argc == 5 && !strcmp(argv[1], "ecs"))
		return run_ecs(argv[2], argv[3], argv[4]);
	fprintf(stderr, "usage: %s kube KUBECONFIG NAMESPACE < PODS (\"name uid\" lines)\n"
			"       %s ecs ENDPOINT RULES_DIR CLUSTER < TASK_ARNS\n",
		argv[0], argv[0]);
	return 2;
}
