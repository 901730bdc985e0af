/* Verdict-to-outcome latency through rampart-actuator, read back from Kafka
 * (bench/bench_actuator_kafka.sh).
 *
 *   bench_actions_read BROKERS VERDICTS ACTIONS GROUP COUNT [TIMEOUT_S]
 *
 * Reads the verdicts topic for the ids "GROUP-*" and their time_ns (set
 * when the verdict was produced), then the actions topic until COUNT
 * ActionResults for those ids are there (or TIMEOUT_S, default 300, has
 * passed: exit 1), and prints one line:
 *   GROUP n=COUNT done=.. already_done=.. skipped=.. failed=.. dup=..
 *     p50=.. p90=.. p99=.. max=.. ms rate=.. actions/s span=.. s
 * latency = ActionResult.time_ns - Verdict.time_ns (both CLOCK_REALTIME on
 * this host); rate = outcomes per second between the first and the last
 * outcome (the daemon's own pace, without its start-up); span = first
 * verdict to last outcome. Both topics are read whole, without a group. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "action.h"
#include "framing.h"
#include "schema_defs.h"
#include "transport.h"
#include "verdict.h"

struct stamp {
	char *id;
	int64_t t;
	int outcome;
};

struct stamps {
	struct stamp *v;
	size_t n, cap;
};

struct reader {
	const char *group;
	size_t glen;
	struct stamps verdicts, actions;
	size_t dup;
};

static int64_t mono_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec;
}

static bool in_group(const struct reader *r, struct rp_str id)
{
	return id.len > r->glen && memcmp(id.ptr, r->group, r->glen) == 0 && id.ptr[r->glen] == '-';
}

static int stamps_add(struct stamps *s, struct rp_str id, int64_t t, int outcome)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 1024;
		struct stamp *v = realloc(s->v, cap * sizeof(*v));
		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n].id = strndup(id.ptr, id.len);
	if (!s->v[s->n].id)
		return -1;
	s->v[s->n].t = t;
	s->v[s->n++].outcome = outcome;
	return 0;
}

static void stamps_free(struct stamps *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i].id);
	free(s->v);
}

static int cmp_id(const void *a, const void *b)
{
	return strcmp(((const struct stamp *)a)->id, ((const struct stamp *)b)->id);
}

static int cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* ---- reading ----------------------------------------------------------- */

static struct consumer *open_all(const char *brokers, const char *topic)
{
	struct transport_config tc = {.kind = TRANSPORT_KAFKA, .brokers = brokers, .read_all = 1};
	const char *topics[] = {topic};
	char err[512];
	struct consumer *c = consumer_open(&tc, topics, 1, err, sizeof(err));

	if (!c)
		fprintf(stderr, "bench_actions_read: %s: %s\n", topic, err);
	return c;
}

static int take_verdict(struct reader *r, const struct transport_msg *m, struct verdict_scratch *scratch)
{
	struct codec_error err;
	struct rp_frame f;
	struct rp_verdict v;

	if (frame_parse(m->value, m->value_len, &f, &err) || verdict_decode(f.payload, f.len, &v, scratch, &err))
		return 0; /* not a verdict (the benchmark's garbage, if any): not ours */
	return in_group(r, v.verdict_id) ? stamps_add(&r->verdicts, v.verdict_id, v.time_ns, 0) : 0;
}

static int take_action(struct reader *r, const struct transport_msg *m)
{
	struct codec_error err;
	struct rp_frame f;
	struct rp_action_result a;

	if (frame_parse(m->value, m->value_len, &f, &err) || action_decode(f.payload, f.len, &a, &err))
		return fprintf(stderr, "bench_actions_read: undecodable ActionResult: %s\n", err.msg), -1;
	return in_group(r, a.verdict_id) ? stamps_add(&r->actions, a.verdict_id, a.time_ns, (int)a.outcome) : 0;
}

/* The whole verdicts topic, as it is now. */
static int read_verdicts(struct reader *r, const char *brokers, const char *topic)
{
	struct consumer *c = open_all(brokers, topic);
	struct verdict_scratch *scratch = malloc(sizeof(*scratch));
	struct transport_msg m;
	char err[512];
	int rc = -1, prc;

	if (!c || !scratch)
		goto out;
	while ((prc = consumer_poll(c, &m, 1000, err, sizeof(err))) != -2) {
		if (prc == -1) {
			fprintf(stderr, "bench_actions_read: %s\n", err);
			goto out;
		}
		if (prc == 1) {
			int trc = take_verdict(r, &m, scratch);
			consumer_release(c, &m);
			if (trc)
				goto out;
		}
	}
	rc = 0;
out:
	free(scratch);
	if (c)
		consumer_close(c);
	return rc;
}

/* The actions topic until count outcomes of the group are there. */
static int read_actions(struct reader *r, const char *brokers, const char *topic, size_t count, int64_t deadline)
{
	struct consumer *c = open_all(brokers, topic);
	struct transport_msg m;
	char err[512];
	int rc = -1, prc;

	if (!c)
		return -1;
	while (r->actions.n < count && mono_s() < deadline) {
		prc = consumer_poll(c, &m, 500, err, sizeof(err));
		if (prc == -1) {
			fprintf(stderr, "bench_actions_read: %s\n", err);
			goto out;
		}
		if (prc == 1) {
			int trc = take_action(r, &m);
			consumer_release(c, &m);
			if (trc)
				goto out;
		}
	}
	rc = r->actions.n >= count ? 0 : -1;
	if (rc)
		fprintf(stderr, "bench_actions_read: %s: %zu of %zu outcomes after the timeout\n", r->group,
			r->actions.n, count);
out:
	consumer_close(c);
	return rc;
}

/* ---- figures ----------------------------------------------------------- */

static double pct_ms(const int64_t *sorted, size_t n, double q)
{
	size_t rank = (size_t)(q * (double)n + 0.999999);

	if (rank < 1)
		rank = 1;
	return (double)sorted[(rank > n ? n : rank) - 1] / 1e6;
}

/* Latencies of the outcomes joined with their verdicts (first outcome of
 * an id only; later ones count as duplicates). */
static int report(struct reader *r)
{
	int64_t *lat = malloc((r->actions.n + 1) * sizeof(*lat)), first = INT64_MAX, last = INT64_MIN;
	int64_t vfirst = INT64_MAX;
	size_t n = 0, outcomes[RP_OUTCOME__COUNT] = {0};

	if (!lat)
		return -1;
	qsort(r->verdicts.v, r->verdicts.n, sizeof(struct stamp), cmp_id);
	for (size_t i = 0; i < r->verdicts.n; i++)
		vfirst = r->verdicts.v[i].t < vfirst ? r->verdicts.v[i].t : vfirst;
	for (size_t i = 0; i < r->actions.n; i++) {
		struct stamp *a = &r->actions.v[i];
		struct stamp *v = bsearch(a, r->verdicts.v, r->verdicts.n, sizeof(struct stamp), cmp_id);
		if (!v) {
			fprintf(stderr, "bench_actions_read: outcome for %s, whose verdict is not on the topic\n", a->id);
			free(lat);
			return -1;
		}
		if (v->outcome++) { /* marks the verdict as answered */
			r->dup++;
			continue;
		}
		lat[n++] = a->t - v->t;
		outcomes[a->outcome]++;
		first = a->t < first ? a->t : first;
		last = a->t > last ? a->t : last;
	}
	qsort(lat, n, sizeof(*lat), cmp_i64);
	printf("%s n=%zu done=%zu already_done=%zu skipped=%zu failed=%zu dup=%zu p50=%.2f p90=%.2f p99=%.2f "
	       "max=%.2f ms rate=%.0f actions/s span=%.2f s\n",
	       r->group, n, outcomes[RP_OUTCOME_DONE], outcomes[RP_OUTCOME_ALREADY_DONE], outcomes[RP_OUTCOME_SKIPPED],
	       outcomes[RP_OUTCOME_FAILED], r->dup, pct_ms(lat, n, 0.5), pct_ms(lat, n, 0.9), pct_ms(lat, n, 0.99),
	       (double)lat[n - 1] / 1e6, n > 1 ? (double)(n - 1) * 1e9 / (double)(last - first) : 0.0,
	       (double)(last - vfirst) / 1e9);
	free(lat);
	return 0;
}

int main(int argc, char **argv)
{
	struct reader r = {0};
	long count, timeout_s = 300;
	int rc = 1;

	if (argc < 6 || argc > 7 || (count = atol(argv[5])) <= 0 || (argc == 7 && (timeout_s = atol(argv[6])) <= 0)) {
		fprintf(stderr, "usage: %s BROKERS VERDICTS ACTIONS GROUP COUNT [TIMEOUT_S]\n", argv[0]);
		return 2;
	}
	r.group = argv[4];
	r.glen = strlen(argv[4]);
	if (read_verdicts(&r, argv[1], argv[2]))
		goto out;
	if (r.verdicts.n != (size_t)count) {
		fprintf(stderr, "bench_actions_read: %zu verdicts of %s on %s, want %ld\n", r.verdicts.n, r.group, argv[2],
			count);
		goto out;
	}
	if (read_actions(&r, argv[1], argv[3], (size_t)count, mono_s() + timeout_s) || report(&r))
		goto out;
	rc = 0;
out:
	stamps_free(&r.verdicts);
	stamps_free(&r.actions);
	return rc;
}
