/* Test helper of test_console_propagation.sh: reads a verdicts topic from
 * the beginning (read_committed, no group) and prints, for every verdict
 * whose event sequence is at least MIN_SEQ,
 *
 *   V <event sequence> <effective action> <requested action> <rule id>[,...]
 *
 *   console_verdicts BROKERS TOPIC MIN_SEQ COUNT TIMEOUT_S
 *
 * Exit 0 once COUNT such verdicts were printed, 1 at the timeout. */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "framing.h"
#include "transport.h"
#include "verdict.h"

static struct verdict_scratch scratch;

static int print(const struct transport_msg *m, long long min_seq)
{
	struct rp_frame f;
	struct rp_verdict v;
	struct codec_error err;

	if (frame_parse(m->value, m->value_len, &f, &err) || verdict_decode(f.payload, f.len, &v, &scratch, &err)) {
		printf("X undecodable-verdict %s\n", err.msg);
		return 0;
	}
	if (v.event.sequence < min_seq)
		return 0;
	printf("V %lld %s %s ", (long long)v.event.sequence, rp_action_names[v.effective_action],
	       rp_action_names[v.requested_action]);
	for (uint32_t i = 0; i < v.nmatches; i++)
		printf("%s%.*s", i ? "," : "", (int)v.matches[i].rule_id.len, v.matches[i].rule_id.ptr);
	printf("\n");
	return 1;
}

int main(int argc, char **argv)
{
	static const struct transport_prop props[] = {{"isolation.level", "read_committed"}};
	char err[512];
	long seen = 0;

	if (argc != 6)
		return fprintf(stderr, "usage: console_verdicts BROKERS TOPIC MIN_SEQ COUNT TIMEOUT_S\n"), 2;
	struct transport_config cfg = {.kind = TRANSPORT_KAFKA, .brokers = argv[1], .client_id = "console-verdicts",
				       .props = props, .nprops = 1, .read_all = 1};
	const char *topics[] = {argv[2]};
	long long min_seq = atoll(argv[3]);
	long want = atol(argv[4]);
	time_t deadline = time(NULL) + atol(argv[5]);
	struct consumer *c = consumer_open(&cfg, topics, 1, err, sizeof(err));

	if (!c)
		return fprintf(stderr, "verdicts: %s\n", err), 2;
	while (seen < want && time(NULL) < deadline) {
		struct transport_msg m;
		int r = consumer_poll(c, &m, 200, err, sizeof(err));
		if (r == 1) {
			seen += print(&m, min_seq);
			consumer_release(c, &m);
		} else if (r == -1)
			fprintf(stderr, "verdicts: %s\n", err);
	}
	fflush(stdout);
	consumer_close(c);
	return seen >= want ? 0 : 1;
}
