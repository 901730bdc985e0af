#include "cli_verdict_print.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verdict_json.h"

static const char *const severity_color[RP_SEV__COUNT] = {"\033[2m", "\033[36m", "\033[33m", "\033[31m",
							   "\033[1;31m"};
static const char *const outcome_color[RP_OUTCOME__COUNT] = {"\033[32m", "\033[32m", "\033[33m", "\033[1;31m"};

static void local_clock(int64_t time_ns, char *out, size_t n)
{
	time_t secs = (time_t)(time_ns / 1000000000);
	struct tm tm;

	localtime_r(&secs, &tm);
	strftime(out, n, "%H:%M:%S", &tm);
	snprintf(out + strlen(out), n - strlen(out), ".%03d", (int)(time_ns / 1000000 % 1000));
}

static void upper(const char *s, char *out, size_t n)
{
	size_t i = 0;

	for (; s[i] && i + 1 < n; i++)
		out[i] = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 32 : s[i]);
	out[i] = 0;
}

static void print_workload(FILE *f, const struct rp_event *ev)
{
	const struct rp_pod *p = &ev->workload.pod;

	if (ev->workload_kind == RP_WORKLOAD_POD)
		fprintf(f, "%.*s/%.*s ", (int)p->namespace_.len, p->namespace_.ptr, (int)p->name.len, p->name.ptr);
	else if (ev->workload_kind == RP_WORKLOAD_ECS_TASK)
		fprintf(f, "%.*s ", (int)ev->workload.ecs.task_arn.len, ev->workload.ecs.task_arn.ptr);
	fprintf(f, "%.*s", (int)(ev->container.id.len < 12 ? ev->container.id.len : 12), ev->container.id.ptr);
}

static void print_line(const struct verdict_printer *p, const struct rp_verdict *v, const struct act_outcome *o)
{
	const struct rp_rule_match *m = v->nmatches ? &v->matches[0] : NULL;
	enum rp_severity sev = verdict_severity(v);
	const char *reset = p->color ? "\033[0m" : "";
	char when[32], sevname[16], touched[512];
	FILE *f = p->out;

	for (uint32_t i = 1; i < v->nmatches; i++)
		if (v->matches[i].action > m->action || v->matches[i].severity > m->severity)
			m = &v->matches[i];
	local_clock(v->event.time_ns, when, sizeof(when));
	upper(rp_severity_names[sev], sevname, sizeof(sevname));
	fprintf(f, "%s %s%-8s%s ", when, p->color ? severity_color[sev] : "", sevname, reset);
	if (m)
		fprintf(f, "%.*s %.*s %.*s", (int)m->rule_id.len, m->rule_id.ptr, (int)m->technique.len,
			m->technique.ptr, (int)m->rule_name.len, m->rule_name.ptr);
	if (v->nmatches > 1)
		fprintf(f, " (+%u more)", v->nmatches - 1);
	fputs(" | ", f);
	print_workload(f, &v->event);
	fprintf(f, " | %.*s[%d] %.*s", (int)v->event.process.comm.len, v->event.process.comm.ptr,
		(int)v->event.process.pid, (int)v->event.process.exe.len, v->event.process.exe.ptr);
	verdict_touched(&v->event, touched, sizeof(touched));
	if (touched[0])
		fprintf(f, " | %s", touched);
	if (o)
		fprintf(f, " | %s: %s%s%s (%.1f ms)", rp_action_names[o->result.action],
			p->color ? outcome_color[o->result.outcome] : "", rp_outcome_names[o->result.outcome], reset,
			(double)o->latency_ns / 1e6);
	else
		fprintf(f, " | would %s", rp_action_names[v->effective_action]);
	fputc('\n', f);
}

static json_t *outcome_json(const struct rp_verdict *v, const struct act_outcome *o)
{
	const struct rp_action_result *r = &o->result;

	return json_pack("{s:s, s:s, s:s#, s:s#, s:i, s:f, s:f}", "action", rp_action_names[r->action], "outcome",
			 rp_outcome_names[r->outcome], "target", r->target.ptr, (int)r->target.len, "detail",
			 r->detail.ptr, (int)r->detail.len, "attempts", (int)r->attempts, "latency_ms",
			 (double)o->latency_ns / 1e6, "event_to_outcome_ms",
			 (double)(r->time_ns - v->event.time_ns) / 1e6);
}

static int print_json(const struct verdict_printer *p, const struct rp_verdict *v, const struct act_outcome *o)
{
	json_t *j = verdict_json(v);
	int rc;

	if (!j)
		return -1;
	if (o)
		json_object_set_new(j, "outcome", outcome_json(v, o));
	rc = json_dumpf(j, p->out, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	fputc('\n', p->out);
	return rc;
}

int verdict_print(const struct verdict_printer *p, const struct rp_verdict *v, const struct act_outcome *outcome)
{
	int rc = 0;

	if (p->json)
		rc = print_json(p, v, outcome);
	else
		print_line(p, v, outcome);
	if (fflush(p->out) || ferror(p->out))
		rc = -1;
	return rc;
}
