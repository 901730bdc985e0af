#include "cli_replay_filter.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#define NS_PER_S INT64_C(1000000000)
/* Whole seconds whose nanoseconds (plus a fraction) still fit in int64. */
#define MIN_SECS (INT64_MIN / NS_PER_S)
#define MAX_SECS (INT64_MAX / NS_PER_S - 1)

static const char accepted[] = "accepted: RFC 3339 (2026-11-29T04:47:14Z, 2026-11-29T06:47:14.25+02:00) "
			       "or relative to now (now, -45s, -15m, -2h, -1h30m, -7d)";

struct civil {
	int y, mo, d, h, mi, sec, off_s;
	int64_t frac_ns;
};

void replay_filter_init(struct replay_filter *f)
{
	memset(f, 0, sizeof(*f));
	f->from_ns = INT64_MIN;
	f->to_ns = INT64_MAX;
}

/* Outside input in a message: printable ASCII only, cut short. */
static void quote(const char *s, char *out, size_t n)
{
	size_t i = 0, max = n > 4 ? n - 4 : 0;

	for (; s[i] && i < max; i++)
		out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
	strcpy(out + i, s[i] ? "..." : "");
}

/* Exactly n decimal digits at *p; stops at the first non-digit (or NUL). */
static bool digits(const char **p, int n, int *v)
{
	int x = 0;

	for (int i = 0; i < n; i++) {
		if ((*p)[i] < '0' || (*p)[i] > '9')
			return false;
		x = x * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*v = x;
	return true;
}

static bool expect(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

static int days_in_month(int y, int m)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return m == 2 && leap ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * algorithm), so no time-zone state or libc range limits are involved. */
static int64_t days_from_civil(int64_t y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;

	return era * 146097 + doe - 719468;
}

static const char *parse_date(const char **p, struct civil *c)
{
	if (!digits(p, 4, &c->y) || !expect(p, '-') || !digits(p, 2, &c->mo) || !expect(p, '-') ||
	    !digits(p, 2, &c->d))
		return "expected a date YYYY-MM-DD";
	if (c->mo < 1 || c->mo > 12)
		return "month out of range";
	if (c->d < 1 || c->d > days_in_month(c->y, c->mo))
		return "day out of range";
	return NULL;
}

static const char *parse_clock(const char **p, struct civil *c)
{
	int64_t scale = NS_PER_S / 10;
	int n = 0;

	if (!digits(p, 2, &c->h) || !expect(p, ':') || !digits(p, 2, &c->mi) || !expect(p, ':') ||
	    !digits(p, 2, &c->sec))
		return "expected a time of day HH:MM:SS";
	if (c->h > 23 || c->mi > 59 || c->sec > 60) /* 60: a leap second */
		return "time of day out of range";
	if (!expect(p, '.'))
		return NULL;
	for (; **p >= '0' && **p <= '9'; (*p)++, n++) {
		c->frac_ns += (**p - '0') * scale;
		scale /= 10; /* 0 after nine digits: finer digits are cut */
	}
	return n ? NULL : "expected digits after '.'";
}

static const char *parse_offset(const char **p, struct civil *c)
{
	int sign, h, m;

	if (!**p || expect(p, 'Z') || expect(p, 'z'))
		return NULL;
	if (**p != '+' && **p != '-')
		return "expected Z or an offset +HH:MM";
	sign = *(*p)++ == '-' ? -1 : 1;
	if (!digits(p, 2, &h) || !expect(p, ':') || !digits(p, 2, &m))
		return "expected an offset +HH:MM";
	if (h > 23 || m > 59)
		return "offset out of range";
	c->off_s = sign * (h * 3600 + m * 60);
	return NULL;
}

static const char *parse_rfc3339(const char *s, int64_t *out)
{
	struct civil c = {0};
	const char *p = s, *why;
	int64_t secs;

	if ((why = parse_date(&p, &c)))
		return why;
	if (expect(&p, 'T') || expect(&p, 't') || expect(&p, ' '))
		if ((why = parse_clock(&p, &c)) || (why = parse_offset(&p, &c)))
			return why;
	if (*p)
		return "unexpected text after the time";
	secs = days_from_civil(c.y, c.mo, c.d) * 86400 + c.h * 3600 + c.mi * 60 + c.sec - c.off_s;
	if (secs < MIN_SECS || secs > MAX_SECS)
		return "out of range (1677-09-21T00:12:44Z to 2262-04-11T23:47:15Z)";
	*out = secs * NS_PER_S + c.frac_ns;
	return NULL;
}

static int64_t unit_ns(char u)
{
	switch (u) {
	case 's': return NS_PER_S;
	case 'm': return 60 * NS_PER_S;
	case 'h': return 3600 * NS_PER_S;
	case 'd': return 86400 * NS_PER_S;
	case 'w': return 7 * 86400 * NS_PER_S;
	default: return 0;
	}
}

static const char *parse_relative(const char *s, int64_t now_ns, int64_t *out)
{
	const char *p = s + 1;
	int64_t back = 0;

	if (!*p)
		return "expected NUMBER+UNIT after '-'";
	while (*p) {
		const char *start = p;
		int64_t n = 0, unit;

		for (; *p >= '0' && *p <= '9'; p++) {
			if (p - start == 12)
				return "number too long";
			n = n * 10 + (*p - '0');
		}
		if (p == start)
			return "expected a number";
		if (!(unit = unit_ns(*p)))
			return "expected a unit s, m, h, d or w after the number";
		p++;
		if (__builtin_mul_overflow(n, unit, &n) || __builtin_add_overflow(back, n, &back))
			return "too far back";
	}
	if (__builtin_sub_overflow(now_ns, back, out))
		return "too far back";
	return NULL;
}

int replay_parse_time(const char *s, int64_t now_ns, int64_t *out_ns, char *err, size_t errlen)
{
	const char *why;
	char q[48];

	if (strcmp(s, "now") == 0)
		return *out_ns = now_ns, 0;
	why = s[0] == '-' ? parse_relative(s, now_ns, out_ns) : parse_rfc3339(s, out_ns);
	if (!why)
		return 0;
	quote(s, q, sizeof(q));
	snprintf(err, errlen, "'%s' is not a time (%s); %s", q, why, accepted);
	return -1;
}

int replay_filter_window(struct replay_filter *f, const char *from, const char *to, int64_t now_ns, char *err,
			 size_t errlen)
{
	char why[512];

	if (from && replay_parse_time(from, now_ns, &f->from_ns, why, sizeof(why)))
		return snprintf(err, errlen, "--from: %s", why), -1;
	if (to && replay_parse_time(to, now_ns, &f->to_ns, why, sizeof(why)))
		return snprintf(err, errlen, "--to: %s", why), -1;
	if (f->from_ns > f->to_ns)
		return snprintf(err, errlen, "--from is after --to: the window is empty"), -1;
	return 0;
}

int replay_filter_add_rule(struct replay_filter *f, const char *id, char *err, size_t errlen)
{
	if (!*id)
		return snprintf(err, errlen, "--rule: empty rule id"), -1;
	if (f->nrules == REPLAY_MAX_RULE_FILTERS)
		return snprintf(err, errlen, "--rule: at most %d", REPLAY_MAX_RULE_FILTERS), -1;
	f->rules[f->nrules++] = id;
	return 0;
}

bool replay_filter_time(const struct replay_filter *f, int64_t time_ns)
{
	return time_ns >= f->from_ns && time_ns <= f->to_ns;
}

static bool str_eq(struct rp_str s, const char *c)
{
	size_t n = strlen(c);

	return s.len == n && (n == 0 || memcmp(s.ptr, c, n) == 0);
}

static bool str_prefix(struct rp_str s, const char *c)
{
	size_t n = strlen(c);

	return s.len >= n && (n == 0 || memcmp(s.ptr, c, n) == 0);
}

bool replay_filter_event(const struct replay_filter *f, const struct rp_event *ev)
{
	if (f->namespace_ &&
	    (ev->workload_kind != RP_WORKLOAD_POD || !str_eq(ev->workload.pod.namespace_, f->namespace_)))
		return false;
	return !f->container || str_prefix(ev->container.id, f->container);
}

bool replay_filter_verdict(const struct replay_filter *f, const struct rp_verdict *v)
{
	if (!f->nrules)
		return true;
	for (uint32_t i = 0; i < v->nmatches; i++) {
		struct rp_str id = v->matches[i].rule_id;

		for (size_t j = 0; j < f->nrules; j++)
			if (id.len && id.len == strlen(f->rules[j]) && strncasecmp(id.ptr, f->rules[j], id.len) == 0)
				return true;
	}
	return false;
}
