#include "cli_progress.h"

#include <time.h>
#include <unistd.h>

#define BAR_WIDTH 28
#define REDRAW_S 0.2
/* Calls between clock readings. */
#define CALLS_PER_CHECK 64

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_start(struct progress *p, FILE *out, uint64_t total)
{
	*p = (struct progress){.out = out, .on = isatty(fileno(out)) == 1, .total = total};
	p->t0 = p->last_draw = now_s();
}

/* 1234567 -> "1.23M": a count that keeps the line's width steady. */
static void human(double n, char *out, size_t len)
{
	if (n >= 1e9)
		snprintf(out, len, "%.2fG", n / 1e9);
	else if (n >= 1e6)
		snprintf(out, len, "%.2fM", n / 1e6);
	else if (n >= 1e4)
		snprintf(out, len, "%.0fk", n / 1e3);
	else
		snprintf(out, len, "%.0f", n);
}

static void draw(struct progress *p, uint64_t done, uint64_t events, double elapsed)
{
	char count[16], rate[16], bar[BAR_WIDTH + 1];
	double frac = p->total ? (double)done / (double)p->total : 0;

	if (frac > 1)
		frac = 1;
	human((double)events, count, sizeof(count));
	human(elapsed > 0 ? (double)events / elapsed : 0, rate, sizeof(rate));
	fputs("\r\033[K", p->out);
	if (p->total) {
		for (int i = 0; i < BAR_WIDTH; i++)
			bar[i] = i < (int)(frac * BAR_WIDTH) ? '#' : '.';
		bar[BAR_WIDTH] = 0;
		fprintf(p->out, "%3d%% [%s] ", (int)(frac * 100), bar);
	}
	fprintf(p->out, "%s events  %s/s", count, rate);
	if (p->total && done > 0 && frac < 1) {
		long left = (long)(elapsed * (1 - frac) / frac);
		fprintf(p->out, "  ETA %ld:%02ld", left / 60, left % 60);
	}
	fflush(p->out);
	p->drawn = true;
}

void progress_update(struct progress *p, uint64_t done, uint64_t events)
{
	double now;

	if (!p->on || ++p->calls % CALLS_PER_CHECK)
		return;
	now = now_s();
	if (now - p->last_draw < REDRAW_S)
		return;
	p->last_draw = now;
	draw(p, done, events, now - p->t0);
}

void progress_hide(struct progress *p)
{
	if (!p->drawn)
		return;
	fputs("\r\033[K", p->out);
	fflush(p->out);
	p->drawn = false;
}

void progress_end(struct progress *p)
{
	progress_hide(p);
	p->on = false;
}
