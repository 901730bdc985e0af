#include "cli_replay_summary.h"

#include <stdlib.h>
#include <string.h>

static const char *const tactics[][2] = {
	{"TA0043", "Reconnaissance"},       {"TA0042", "Resource Development"},
	{"TA0001", "Initial Access"},       {"TA0002", "Execution"},
	{"TA0003", "Persistence"},          {"TA0004", "Privilege Escalation"},
	{"TA0005", "Defense Evasion"},      {"TA0006", "Credential Access"},
	{"TA0007", "Discovery"},            {"TA0008", "Lateral Movement"},
	{"TA0009", "Collection"},           {"TA0011", "Command and Control"},
	{"TA0010", "Exfiltration"},         {"TA0040", "Impact"},
};

const char *replay_tactic_name(const char *id)
{
	for (size_t i = 0; i < sizeof(tactics) / sizeof(tactics[0]); i++)
		if (strcmp(tactics[i][0], id) == 0)
			return tactics[i][1];
	return "";
}

/* The tally for key, added (with label) when new; NULL when out of memory. */
static struct replay_tally *tally_of(struct replay_tallies *t, struct rp_str key, struct rp_str label)
{
	char k[sizeof(t->v->key)];
	struct replay_tally *e;

	snprintf(k, sizeof(k), "%.*s", (int)key.len, key.len ? key.ptr : "");
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->v[i].key, k) == 0)
			return &t->v[i];
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct replay_tally *v = realloc(t->v, cap * sizeof(*v));

		if (!v)
			return NULL;
		t->v = v, t->cap = cap;
	}
	e = &t->v[t->n++];
	memcpy(e->key, k, sizeof(k));
	snprintf(e->label, sizeof(e->label), "%.*s", (int)label.len, label.len ? label.ptr : "");
	e->n = 0;
	return e;
}

static bool same(struct rp_str a, struct rp_str b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* Whether match i repeats the rule (or tactic) of an earlier match: one rule
 * enabled in two rulesets is one detection, counted once per verdict. */
static bool seen(const struct rp_verdict *v, uint32_t i, bool tactic)
{
	for (uint32_t j = 0; j < i; j++)
		if (tactic ? same(v->matches[j].tactic, v->matches[i].tactic)
			   : same(v->matches[j].rule_id, v->matches[i].rule_id))
			return true;
	return false;
}

static void count(struct replay_counts *c, struct replay_tallies *t, struct rp_str key, struct rp_str label)
{
	struct replay_tally *e = tally_of(t, key, label);

	if (e)
		e->n++;
	else
		c->dropped = true;
}

void replay_counts_verdict(struct replay_counts *c, const struct rp_verdict *v)
{
	c->verdicts++;
	for (uint32_t i = 0; i < v->nmatches; i++) {
		const struct rp_rule_match *m = &v->matches[i];

		if (!seen(v, i, false))
			count(c, &c->rules, m->rule_id, m->rule_name);
		if (!seen(v, i, true))
			count(c, &c->tactics, m->tactic, (struct rp_str){0});
	}
}

static int by_count(const void *a, const void *b)
{
	const struct replay_tally *x = a, *y = b;

	if (x->n != y->n)
		return x->n < y->n ? 1 : -1;
	return strcmp(x->key, y->key);
}

static void print_tallies(FILE *f, const char *title, struct replay_tallies *t, bool tactic)
{
	if (!t->n)
		return;
	qsort(t->v, t->n, sizeof(*t->v), by_count);
	for (size_t i = 0; i < t->n; i++)
		fprintf(f, "    %-13s %-8s %7llu  %s\n", i ? "" : title, t->v[i].key[0] ? t->v[i].key : "-",
			(unsigned long long)t->v[i].n, tactic ? replay_tactic_name(t->v[i].key) : t->v[i].label);
}

void replay_summary_print(FILE *f, const struct replay_counts *c, const struct eval_stats *stats)
{
	/* sorting reorders the tables, not the counts */
	struct replay_tallies rules = c->rules, tactics = c->tactics;

	fprintf(f, "\nrampart replay summary\n");
	fprintf(f, "  events      %llu read, %llu selected, %llu undecodable\n", (unsigned long long)c->read,
		(unsigned long long)c->selected, (unsigned long long)c->undecodable);
	fprintf(f, "  verdicts    %llu (not acted on)\n", (unsigned long long)c->verdicts);
	print_tallies(f, "by rule", &rules, false);
	print_tallies(f, "by tactic", &tactics, true);
	if (c->dropped)
		fprintf(f, "  (out of memory: some rules or tactics were not counted)\n");
	if (stats && stats->unknown_cluster)
		fprintf(f, "  note        %llu events named a cluster the rules do not configure and no \"default\" "
			   "cluster applied; --cluster NAME evaluates them as that cluster\n",
			(unsigned long long)stats->unknown_cluster);
}

void replay_counts_free(struct replay_counts *c)
{
	free(c->rules.v);
	free(c->tactics.v);
	c->rules = c->tactics = (struct replay_tallies){0};
}
