/* Test and benchmark helper: produces framed Verdicts to a topic, one per
 * line of stdin, and reads an actions topic back.
 *
 *   actuator_feed produce BROKERS TOPIC < SPEC
 *   actuator_feed actions BROKERS TOPIC      every ActionResult, one per line:
 *                                            verdict_id action outcome attempts target<TAB>detail
 *
 * SPEC lines (whitespace-separated):
 *   local ID ACTION CONTAINER_ID CGROUP PID   a plain-host workload
 *   pod ID ACTION CLUSTER NAMESPACE POD UID   a Kubernetes pod
 *   garbage KEY                               undecodable bytes
 * ACTION is log, isolate or terminate (requested = effective). The verdict's
 * time is the moment it is produced, so the actuator's outcomes carry the
 * verdict-to-outcome latency. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "framing.h"
#include "schema_defs.h"
#include "transport.h"
#include "verdict.h"

static struct rp_str S(const char *s) { return (struct rp_str){s, (uint32_t)strlen(s)}; }

static int parse_action(const char *s, enum rp_action *a)
{
	for (int i = 0; i < RP_ACTION__COUNT; i++)
		if (!strcmp(s, rp_action_names[i]))
			return *a = (enum rp_action)i, 0;
	return -1;
}

static int64_t realtime_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* Fills v from one SPEC line (tokens in w, n of them): 0, or -1 if malformed. */
static int make_verdict(char **w, int n, struct rp_verdict *v, struct rp_rule_match *m)
{
	enum rp_action action;

	if (n < 6 || parse_action(w[2], &action))
		return -1;
	memset(v, 0, sizeof(*v));
	*m = (struct rp_rule_match){.rule_id = S("RP2001"), .rule_name = S("Drift: executable from the writable layer"),
				    .technique = S("T1610"), .tactic = S("execution"), .severity = RP_SEV_HIGH,
				    .ruleset = S("recommended.v1"), .action = action, .output = S("test verdict")};
	v->verdict_id = S(w[1]);
	v->time_ns = realtime_ns();
	v->matches = m;
	v->nmatches = 1;
	v->policy = S("default");
	v->requested_action = v->effective_action = action;
	v->event = (struct rp_event){.node = S("node-test"), .boot_id = S("boot-1"), .time_ns = v->time_ns,
				     .type = RP_EV_EXEC, .syscall = S("sched_process_exec"),
				     .process = {.comm = S("xmrig"), .exe = S("/tmp/xmrig")}};
	if (!strcmp(w[0], "local")) {
		v->event.cluster = S("lab-host");
		v->event.container = (struct rp_container){.id = S(w[3]), .cgroup = S(w[4])};
		v->event.process.pid = atoi(w[5]);
		v->workload_id = S(w[3]);
		return 0;
	}
	if (strcmp(w[0], "pod") || n < 7)
		return -1;
	v->event.cluster = S(w[3]);
	v->event.orchestrator = RP_ORCH_KUBERNETES;
	v->event.workload_kind = RP_WORKLOAD_POD;
	v->event.workload.pod = (struct rp_pod){.namespace_ = S(w[4]), .name = S(w[5]), .uid = S(w[6])};
	v->workload_id = S(w[6]);
	return 0;
}

static int produce(struct producer *p, const char *topic)
{
	char line[2048], err[512], *w[8], *save;
	struct rp_verdict v;
	struct rp_rule_match m;
	struct rp_buf out = {0};
	long sent = 0;
	int n, rc = 0;

	while (rc == 0 && fgets(line, sizeof(line), stdin)) {
		for (n = 0, w[0] = strtok_r(line, " \t\n", &save); w[n] && n < 7; w[++n] = strtok_r(NULL, " \t\n", &save))
			;
		if (n == 0)
			continue;
		buf_reset(&out);
		if (n == 2 && !strcmp(w[0], "garbage")) {
			rc = producer_send(p, topic, w[1], strlen(w[1]), "\xc3\x01garbage", 9, err, sizeof(err));
		} else if (make_verdict(w, n, &v, &m) || frame_write_single_object(&out, schema_verdict_fingerprint) ||
			   verdict_encode(&v, &out)) {
			fprintf(stderr, "actuator_feed: bad spec line %ld\n", sent + 1);
			rc = -1;
			break;
		} else {
			rc = producer_send(p, topic, v.workload_id.ptr, v.workload_id.len, out.data, out.len, err,
					   sizeof(err));
		}
		if (rc)
			fprintf(stderr, "actuator_feed: %s\n", err);
		sent++;
	}
	buf_free(&out);
	if (rc == 0 && producer_flush(p, 30000))
		return fprintf(stderr, "actuator_feed: not every verdict was delivered\n"), 1;
	return rc ? 1 : 0;
}

static void print_action(const struct transport_msg *m)
{
	struct codec_error err;
	struct rp_frame f;
	struct rp_action_result a;

	if (frame_parse(m->value, m->value_len, &f, &err) || action_decode(f.payload, f.len, &a, &err)) {
		printf("undecodable %s\n", err.msg);
		return;
	}
	printf("%.*s %s %s %d %.*s\t%.*s\n", (int)a.verdict_id.len, a.verdict_id.ptr, rp_action_names[a.action],
	       rp_outcome_names[a.outcome], (int)a.attempts, (int)a.target.len, a.target.ptr, (int)a.detail.len,
	       a.detail.ptr);
}

static int dump_actions(const char *brokers, const char *topic)
{
	struct transport_config tc = {.kind = TRANSPORT_KAFKA, .brokers = brokers, .read_all = 1};
	const char *topics[] = {topic};
	struct transport_msg m;
	char err[512];
	struct consumer *c = consumer_open(&tc, topics, 1, err, sizeof(err));
	int rc;

	if (!c)
		return fprintf(stderr, "actuator_feed: %s\n", err), 1;
	while ((rc = consumer_poll(c, &m, 1000, err, sizeof(err))) != -2) {
		if (rc == -1) {
			fprintf(stderr, "actuator_feed: %s\n", err);
			break;
		}
		if (rc == 1) {
			print_action(&m);
			consumer_release(c, &m);
		}
	}
	consumer_close(c);
	return rc == -2 ? 0 : 1;
}

int main(int argc, char **argv)
{
	struct transport_config tc = {.kind = TRANSPORT_KAFKA};
	struct producer *p;
	char err[512];
	int rc;

	if (argc != 4)
		return fprintf(stderr, "usage: actuator_feed produce|actions BROKERS TOPIC\n"), 2;
	tc.brokers = argv[2];
	if (!strcmp(argv[1], "actions"))
		return dump_actions(argv[2], argv[3]);
	if (strcmp(argv[1], "produce"))
		return fprintf(stderr, "usage: actuator_feed produce|actions BROKERS TOPIC\n"), 2;
	p = producer_open(&tc, err, sizeof(err));
	if (!p)
		return fprintf(stderr, "actuator_feed: %s\n", err), 1;
	rc = produce(p, argv[3]);
	producer_close(p);
	return rc;
}
