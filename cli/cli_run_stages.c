#include "cli_run_stages.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "actuator_audit.h"
#include "framing.h"
#include "local_bus.h"
#include "schema_defs.h"
#include "service_process.h"
#include "service_rules.h"

#define DLQ_TOPIC "rampart.events.dlq"
#define VERDICTS_TOPIC "rampart.verdicts"
#define POLL_MS 200

struct run_stages {
	struct run_stages_config c;
	struct local_bus *events_bus, *verdicts_bus;
	volatile sig_atomic_t collector_stop;
	atomic_int collector_done;
	pthread_t collector_t, evaluator_t, actuator_t;
	int threads; /* how many of the three were started, in that order */
	struct consumer *events_in, *verdicts_in;
	struct producer *verdicts_out, *recorder;
	struct service_worker worker;
	struct verdict_scratch *scratch;
	struct run_summary sum; /* each field written by one thread, read after the joins */
};

static void *collector_main(void *arg)
{
	struct run_stages *s = arg;

	s->sum.collector_exit = collector_run(s->c.cc, &s->collector_stop, &s->sum.collector, stderr);
	atomic_store(&s->collector_done, 1);
	return NULL;
}

/* The recording holds plain Avro Events, as `rampart-collector --record` writes. */
static void record(struct run_stages *s, const struct transport_msg *m)
{
	struct codec_error cerr;
	struct rp_frame f;
	char err[256];

	if (frame_parse(m->value, m->value_len, &f, &cerr) || f.fingerprint != schema_event_fingerprint ||
	    producer_send(s->recorder, "events", m->key, m->key_len, f.payload, f.len, err, sizeof(err)))
		s->sum.record_failed++;
	else
		s->sum.recorded++;
}

static void *evaluator_main(void *arg)
{
	struct run_stages *s = arg;
	struct transport_msg m;
	char err[512];
	int rc;

	while ((rc = consumer_poll(s->events_in, &m, POLL_MS, err, sizeof(err))) != -2) {
		if (rc != 1)
			continue;
		if (s->recorder)
			record(s, &m);
		if (service_process(&s->worker, service_rules_current(s->c.rules), &m, err, sizeof(err)))
			fprintf(stderr, "rampart run: evaluator: %s\n", err);
		consumer_release(s->events_in, &m);
		s->sum.events_evaluated++;
	}
	local_bus_close(s->verdicts_bus); /* the actuator drains what is left, then ends */
	return NULL;
}

static void count_rules(struct run_summary *sum, const struct rp_verdict *v)
{
	for (uint32_t i = 0; i < v->nmatches; i++) {
		const struct rp_rule_match *m = &v->matches[i];
		size_t j = 0;

		while (j < sum->nrules && (strlen(sum->rules[j].id) != m->rule_id.len ||
					   memcmp(sum->rules[j].id, m->rule_id.ptr, m->rule_id.len)))
			j++;
		if (j == sum->nrules) {
			if (j == RUN_MAX_RULES)
				continue;
			snprintf(sum->rules[j].id, sizeof(sum->rules[j].id), "%.*s", (int)m->rule_id.len, m->rule_id.ptr);
			snprintf(sum->rules[j].name, sizeof(sum->rules[j].name), "%.*s", (int)m->rule_name.len,
				 m->rule_name.ptr);
			sum->nrules++;
		}
		sum->rules[j].verdicts++;
	}
}

static void act_on(struct run_stages *s, const struct transport_msg *m)
{
	struct codec_error cerr;
	struct rp_verdict v;
	struct act_outcome out;

	if (strcmp(m->topic, DLQ_TOPIC) == 0) {
		s->sum.dlq++;
		fprintf(stderr, "rampart run: an undecodable event was set aside (%zu bytes)\n", m->value_len);
		return;
	}
	if (audit_decode_verdict(m, &v, s->scratch, &cerr)) {
		fprintf(stderr, "rampart run: undecodable verdict: %s\n", cerr.msg);
		return;
	}
	s->sum.verdicts++;
	count_rules(&s->sum, &v);
	if (actuator_handle(s->c.act, &v, &out)) {
		fprintf(stderr, "rampart run: out of memory acting on a verdict\n");
		return;
	}
	if (out.duplicate)
		return;
	if (verdict_print(&s->c.printer, &v, &out) || (s->c.copy.out && verdict_print(&s->c.copy, &v, &out)))
		s->sum.print_failed++;
}

static void *actuator_main(void *arg)
{
	struct run_stages *s = arg;
	struct transport_msg m;
	char err[512];
	int rc;

	while ((rc = consumer_poll(s->verdicts_in, &m, POLL_MS, err, sizeof(err))) != -2) {
		if (rc != 1)
			continue;
		act_on(s, &m);
		consumer_release(s->verdicts_in, &m);
	}
	return NULL;
}

static int open_transports(struct run_stages *s, char *err, size_t errlen)
{
	struct transport_config events = {.kind = TRANSPORT_LOCAL, .bus = s->events_bus};
	struct transport_config verdicts = {.kind = TRANSPORT_LOCAL, .bus = s->verdicts_bus, .send_timeout_ms = -1};
	struct transport_config rec = {.kind = TRANSPORT_FILE, .path = s->c.record_path,
				       .schema_json = schema_event_json};
	const char *in_topics[] = {s->c.cc->topic};
	const char *out_topics[] = {VERDICTS_TOPIC, DLQ_TOPIC};

	s->c.cc->transport.kind = TRANSPORT_LOCAL;
	s->c.cc->transport.bus = s->events_bus;
	if (!(s->events_in = consumer_open(&events, in_topics, 1, err, errlen)) ||
	    !(s->verdicts_out = producer_open(&verdicts, err, errlen)) ||
	    !(s->verdicts_in = consumer_open(&verdicts, out_topics, 2, err, errlen)))
		return -1;
	if (s->c.record_path && !(s->recorder = producer_open(&rec, err, errlen)))
		return -1;
	return service_worker_init(&s->worker, s->verdicts_out, VERDICTS_TOPIC, DLQ_TOPIC, err, errlen);
}

/* Threads start downstream first so nothing waits on a missing consumer. */
static int start_threads(struct run_stages *s, char *err, size_t errlen)
{
	void *(*mains[])(void *) = {actuator_main, evaluator_main, collector_main};
	pthread_t *ids[] = {&s->actuator_t, &s->evaluator_t, &s->collector_t};

	for (int i = 0; i < 3; i++) {
		if (pthread_create(ids[i], NULL, mains[i], s))
			return snprintf(err, errlen, "cannot start a thread"), -1;
		s->threads++;
	}
	return 0;
}

static void release(struct run_stages *s)
{
	consumer_close(s->events_in);
	consumer_close(s->verdicts_in);
	service_worker_free(&s->worker);
	producer_close(s->verdicts_out);
	producer_close(s->recorder); /* writes the last block: the file is complete */
	local_bus_free(s->events_bus);
	local_bus_free(s->verdicts_bus);
	free(s->scratch);
	free(s);
}

static void stop_threads(struct run_stages *s)
{
	s->collector_stop = 1;
	if (s->threads == 3)
		pthread_join(s->collector_t, NULL);
	local_bus_close(s->events_bus); /* the evaluator drains, then closes the verdicts bus */
	if (s->threads >= 2)
		pthread_join(s->evaluator_t, NULL);
	else
		local_bus_close(s->verdicts_bus);
	if (s->threads >= 1)
		pthread_join(s->actuator_t, NULL);
}

struct run_stages *run_stages_start(const struct run_stages_config *c, char *err, size_t errlen)
{
	struct run_stages *s = calloc(1, sizeof(*s));
	size_t cap = c->bus_capacity ? c->bus_capacity : 65536;

	if (!s)
		return snprintf(err, errlen, "out of memory"), NULL;
	s->c = *c;
	s->events_bus = local_bus_new(cap);
	s->verdicts_bus = local_bus_new(cap);
	s->scratch = malloc(sizeof(*s->scratch));
	if (!s->events_bus || !s->verdicts_bus || !s->scratch) {
		snprintf(err, errlen, "out of memory");
		release(s);
		return NULL;
	}
	if (open_transports(s, err, errlen) || start_threads(s, err, errlen)) {
		stop_threads(s);
		release(s);
		return NULL;
	}
	return s;
}

int run_stages_collector_done(struct run_stages *s) { return atomic_load(&s->collector_done); }

void run_stages_stop(struct run_stages *s, struct run_summary *out)
{
	stop_threads(s);
	*out = s->sum;
	release(s);
}
