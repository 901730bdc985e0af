/* Replays a collector recording (--record FILE.avro) through the evaluator,
 * for the catalog's real-container tests.
 *
 *   catalog_replay RECORDING [--cluster NAME] [--container ID] CONFIG...
 *
 * CONFIG: rule files or directories (catalog, rulesets, policies, clusters)
 * as eval_config_load takes them. --cluster evaluates every event as if the
 * collector had been configured with that cluster (default: the event's
 * own). --container keeps only events of that container id.
 *
 * One line per matched rule, fields separated by single spaces (empty
 * strings print as "-"):
 *   MATCH rule_id technique action container_id namespace/pod proc.name evt.type sequence | output
 * then "# events N verdicts V matches M" (stdout). Exit 0 when the recording
 * was read to its end, 1 on any error, 2 on usage. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "event_codec.h"
#include "evaluator.h"
#include "transport.h"

#define MAX_CONFIGS 64

static void put_str(struct rp_str s)
{
	if (s.len)
		fwrite(s.ptr, 1, s.len, stdout);
	else
		fputc('-', stdout);
}

static bool str_eq(struct rp_str s, const char *c)
{
	return c && s.len == strlen(c) && memcmp(s.ptr, c, s.len) == 0;
}

static void print_verdict(const struct rp_verdict *v)
{
	const struct rp_event *ev = &v->event;
	struct rp_str ns = {0}, pod = {0};

	if (ev->workload_kind == RP_WORKLOAD_POD) {
		ns = ev->workload.pod.namespace_;
		pod = ev->workload.pod.name;
	}
	for (uint32_t i = 0; i < v->nmatches; i++) {
		const struct rp_rule_match *m = &v->matches[i];
		fputs("MATCH ", stdout);
		put_str(m->rule_id), fputc(' ', stdout);
		put_str(m->technique), fputc(' ', stdout);
		fputs(rp_action_names[m->action], stdout), fputc(' ', stdout);
		put_str(ev->container.id), fputc(' ', stdout);
		put_str(ns), fputc('/', stdout), put_str(pod), fputc(' ', stdout);
		put_str(ev->process.comm), fputc(' ', stdout);
		printf("%s %lld | ", rp_event_type_names[ev->type], (long long)ev->sequence);
		/* the output line is free text: keep it on one line */
		for (uint32_t k = 0; k < m->output.len; k++)
			fputc(m->output.ptr[k] == '\n' ? ' ' : m->output.ptr[k], stdout);
		fputc('\n', stdout);
	}
}

static int usage(void)
{
	fprintf(stderr, "usage: catalog_replay RECORDING [--cluster NAME] [--container ID] CONFIG...\n");
	return 2;
}

int main(int argc, char **argv)
{
	static struct event_scratch split, scratch;
	const char *recording = NULL, *cluster = NULL, *container = NULL, *paths[MAX_CONFIGS];
	size_t npaths = 0;
	struct diag d = {0};
	char err[256];
	int rc = 0, r;

	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--cluster") == 0 && i + 1 < argc)
			cluster = argv[++i];
		else if (strcmp(argv[i], "--container") == 0 && i + 1 < argc)
			container = argv[++i];
		else if (argv[i][0] == '-')
			return usage();
		else if (!recording)
			recording = argv[i];
		else if (npaths < MAX_CONFIGS)
			paths[npaths++] = argv[i];
		else
			return usage();
	}
	if (!recording || !npaths)
		return usage();

	struct eval_config *cfg = eval_config_load(paths, npaths, &d);
	diag_print(&d, stderr);
	diag_free(&d);
	if (!cfg)
		return 1;
	struct evaluator *e = evaluator_new();
	struct transport_config tc = {.kind = TRANSPORT_FILE, .path = recording,
				      .record_size = event_record_size, .record_ctx = &split};
	const char *topics[] = {"rampart.events"};
	struct consumer *c = e ? consumer_open(&tc, topics, 1, err, sizeof(err)) : NULL;
	if (!c) {
		fprintf(stderr, "catalog_replay: %s\n", e ? err : "out of memory");
		evaluator_free(e);
		eval_config_unref(cfg);
		return 1;
	}

	unsigned long long events = 0, verdicts = 0, matches = 0;
	struct transport_msg m;
	while ((r = consumer_poll(c, &m, 0, err, sizeof(err))) == 1) {
		struct codec_error cerr;
		struct rp_event ev;
		struct rp_verdict v;

		if (event_decode(m.value, m.value_len, &ev, &scratch, &cerr)) {
			fprintf(stderr, "catalog_replay: event at offset %lld: %s\n", (long long)m.offset, cerr.msg);
			rc = 1;
		} else if (!container || str_eq(ev.container.id, container)) {
			if (cluster)
				ev.cluster = (struct rp_str){cluster, (uint32_t)strlen(cluster)};
			events++;
			int n = evaluator_eval(e, cfg, &ev, &v);
			if (n < 0) {
				fprintf(stderr, "catalog_replay: out of memory\n");
				rc = 1;
			} else if (n > 0) {
				verdicts++;
				matches += v.nmatches;
				print_verdict(&v);
			}
		}
		consumer_release(c, &m);
	}
	if (r != -2) {
		fprintf(stderr, "catalog_replay: %s\n", r == -1 ? err : "recording not read to its end");
		rc = 1;
	}
	printf("# events %llu verdicts %llu matches %llu\n", events, verdicts, matches);
	if (evaluator_stats(e)->unknown_cluster)
		fprintf(stderr, "catalog_replay: %llu events of an unconfigured cluster\n",
			(unsigned long long)evaluator_stats(e)->unknown_cluster);
	consumer_close(c);
	evaluator_free(e);
	eval_config_unref(cfg);
	return rc;
}
