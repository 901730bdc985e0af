#include "cli_summary.h"

#include <jansson.h>

uint64_t run_summary_lost(const struct run_summary *s)
{
	return s->collector.ringbuf_drops + s->collector.send_failed + s->collector.decode_failed +
	       s->collector.delivery_failed;
}

void run_summary_print(FILE *f, const struct run_summary *s, const struct actuator_stats *a, const char *recording)
{
	fprintf(f, "\nrampart run summary\n");
	fprintf(f, "  events      %llu captured, %llu evaluated, %llu lost (ring buffer %llu, queue %llu, decode %llu)\n",
		(unsigned long long)s->collector.published, (unsigned long long)s->events_evaluated,
		(unsigned long long)run_summary_lost(s), (unsigned long long)s->collector.ringbuf_drops,
		(unsigned long long)s->collector.send_failed, (unsigned long long)s->collector.decode_failed);
	if (s->dlq)
		fprintf(f, "  set aside   %llu undecodable events\n", (unsigned long long)s->dlq);
	fprintf(f, "  verdicts    %llu\n", (unsigned long long)s->verdicts);
	for (size_t i = 0; i < s->nrules; i++)
		fprintf(f, "    %-8s %6llu  %s\n", s->rules[i].id, (unsigned long long)s->rules[i].verdicts,
			s->rules[i].name);
	fprintf(f, "  actions\n");
	for (int act = 0; act < RP_ACTION__COUNT; act++)
		for (int o = 0; o < RP_OUTCOME__COUNT; o++)
			if (a->outcomes[act][o])
				fprintf(f, "    %-10s %-13s %llu\n", rp_action_names[act], rp_outcome_names[o],
					(unsigned long long)a->outcomes[act][o]);
	if (a->limited || a->excluded || a->dry_run)
		fprintf(f, "    not acted on: %llu over the blast-radius limit, %llu excluded, %llu dry-run\n",
			(unsigned long long)a->limited, (unsigned long long)a->excluded, (unsigned long long)a->dry_run);
	if (recording)
		fprintf(f, "  recording   %s (%llu events%s); re-evaluate with: rampart replay %s\n", recording,
			(unsigned long long)s->recorded, s->record_failed ? ", SOME FAILED" : "", recording);
}

void run_summary_json(FILE *f, const struct run_summary *s, const struct actuator_stats *a)
{
	json_t *rules = json_object(), *outcomes = json_object();
	json_t *j;

	for (size_t i = 0; i < s->nrules; i++)
		json_object_set_new(rules, s->rules[i].id, json_integer((json_int_t)s->rules[i].verdicts));
	for (int act = 0; act < RP_ACTION__COUNT; act++)
		for (int o = 0; o < RP_OUTCOME__COUNT; o++)
			if (a->outcomes[act][o]) {
				char key[48];
				snprintf(key, sizeof(key), "%s_%s", rp_action_names[act], rp_outcome_names[o]);
				json_object_set_new(outcomes, key, json_integer((json_int_t)a->outcomes[act][o]));
			}
	j = json_pack("{s:{s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:o, s:o, s:I}}", "summary", "events",
		      (json_int_t)s->collector.published, "evaluated", (json_int_t)s->events_evaluated, "lost",
		      (json_int_t)run_summary_lost(s), "ringbuf_drops", (json_int_t)s->collector.ringbuf_drops,
		      "set_aside", (json_int_t)s->dlq, "verdicts", (json_int_t)s->verdicts, "recorded",
		      (json_int_t)s->recorded, "rules", rules, "actions", outcomes, "limited", (json_int_t)a->limited);
	if (j) {
		json_dumpf(j, f, JSON_COMPACT | JSON_PRESERVE_ORDER);
		fputc('\n', f);
		json_decref(j);
	}
	fflush(f);
}
