/* Metric registry, Prometheus text rendering and the HTTP server thread. */
#include "metrics_http.h"

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define REQ_MAX 4096
#define IO_TIMEOUT_MS 2000

enum source { SRC_VALUE, SRC_FN, SRC_LABELLED };

struct metric {
	char *name, *help;
	enum metrics_type type;
	enum source src;
	const metrics_u64 *value;
	metrics_read_fn read;
	metrics_emit_fn emit;
	void *ctx;
};

struct conn {
	int fd; /* -1: free slot */
	size_t len;
	int64_t deadline_ms;
	char req[REQ_MAX];
};

struct metrics_server {
	struct metric *metrics;
	size_t n, cap;
	int listen_fd, wake_fd;
	uint16_t port;
	atomic_bool ready;
	bool running;
	pthread_t thread;
	struct conn conns[METRICS_MAX_CONNS];
};

/* A growable text buffer; a failed append marks it broken (rendered as 500). */
struct metrics_sink {
	char *p;
	size_t len, cap;
	bool oom;
	const struct metric *cur;
};

static void sink_printf(struct metrics_sink *s, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (int tries = 0; tries < 2 && !s->oom; tries++) {
		va_start(ap, fmt);
		n = vsnprintf(s->p ? s->p + s->len : NULL, s->p ? s->cap - s->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0) {
			s->oom = true;
			return;
		}
		if (s->p && (size_t)n < s->cap - s->len) {
			s->len += (size_t)n;
			return;
		}
		size_t cap = (s->cap ? s->cap * 2 : 4096) + (size_t)n;
		char *p = realloc(s->p, cap);

		if (!p) {
			s->oom = true;
			return;
		}
		s->p = p, s->cap = cap;
	}
}

void metrics_sample(struct metrics_sink *s, const char *labels, uint64_t value)
{
	if (labels && *labels)
		sink_printf(s, "%s{%s} %llu\n", s->cur->name, labels, (unsigned long long)value);
	else
		sink_printf(s, "%s %llu\n", s->cur->name, (unsigned long long)value);
}

/* HELP text escapes backslash and newline (exposition format 0.0.4). */
static void render_help(struct metrics_sink *s, const struct metric *m)
{
	sink_printf(s, "# HELP %s ", m->name);
	for (const char *h = m->help; *h; h++) {
		if (*h == '\\')
			sink_printf(s, "\\\\");
		else if (*h == '\n')
			sink_printf(s, "\\n");
		else
			sink_printf(s, "%c", *h);
	}
	sink_printf(s, "\n# TYPE %s %s\n", m->name, m->type == METRICS_COUNTER ? "counter" : "gauge");
}

static void render(struct metrics_server *m, struct metrics_sink *s)
{
	for (size_t i = 0; i < m->n; i++) {
		const struct metric *x = &m->metrics[i];

		s->cur = x;
		render_help(s, x);
		switch (x->src) {
		case SRC_VALUE: metrics_sample(s, NULL, metrics_get(x->value)); break;
		case SRC_FN: metrics_sample(s, NULL, x->read(x->ctx)); break;
		case SRC_LABELLED: x->emit(x->ctx, s); break;
		}
	}
	if (!s->p)
		sink_printf(s, "%s", "");
}

char *metrics_render(struct metrics_server *m)
{
	struct metrics_sink s = {0};

	render(m, &s);
	if (s.oom) {
		free(s.p);
		return NULL;
	}
	return s.p;
}

static bool valid_name(const char *n, enum metrics_type t)
{
	size_t len = strlen(n);

	if (len == 0 || (n[0] >= '0' && n[0] <= '9'))
		return false;
	for (const char *c = n; *c; c++)
		if (!((*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		      *c == ':'))
			return false;
	return t != METRICS_COUNTER || (len > 6 && !strcmp(n + len - 6, "_total"));
}

static int add(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
	       struct metric x)
{
	if (!valid_name(name, type))
		return -1;
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		struct metric *p = realloc(m->metrics, cap * sizeof(*p));

		if (!p)
			return -1;
		m->metrics = p, m->cap = cap;
	}
	x.name = strdup(name), x.help = strdup(help ? help : ""), x.type = type;
	if (!x.name || !x.help) {
		free(x.name), free(x.help);
		return -1;
	}
	m->metrics[m->n++] = x;
	return 0;
}

int metrics_register(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
		     const metrics_u64 *value)
{
	return add(m, name, help, type, (struct metric){.src = SRC_VALUE, .value = value});
}

int metrics_register_fn(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
			metrics_read_fn fn, void *ctx)
{
	return add(m, name, help, type, (struct metric){.src = SRC_FN, .read = fn, .ctx = ctx});
}

int metrics_register_labelled(struct metrics_server *m, const char *name, const char *help,
			      enum metrics_type type, metrics_emit_fn fn, void *ctx)
{
	return add(m, name, help, type, (struct metric){.src = SRC_LABELLED, .emit = fn, .ctx = ctx});
}

struct metrics_server *metrics_new(void)
{
	struct metrics_server *m = calloc(1, sizeof(*m));

	if (!m)
		return NULL;
	m->listen_fd = m->wake_fd = -1;
	for (size_t i = 0; i < METRICS_MAX_CONNS; i++)
		m->conns[i].fd = -1;
	return m;
}

uint16_t metrics_port(const struct metrics_server *m)
{
	return m->port;
}

void metrics_set_ready(struct metrics_server *m, bool ready)
{
	atomic_store(&m->ready, ready);
}

/* ---- HTTP ---- */

static int64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Writes all of p or gives up at the deadline (the socket is non-blocking). */
static void write_all(int fd, const char *p, size_t n, int64_t deadline)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w > 0) {
			p += w, n -= (size_t)w;
			continue;
		}
		if (w < 0 && errno != EAGAIN && errno != EINTR)
			return;
		int left = (int)(deadline - now_ms());
		struct pollfd pf = {.fd = fd, .events = POLLOUT};

		if (left <= 0 || poll(&pf, 1, left) <= 0)
			return;
	}
}

static void respond(int fd, int status, const char *reason, const char *ctype, const char *extra, const char *body,
		    size_t blen, bool head)
{
	char hdr[512];
	int n = snprintf(hdr, sizeof(hdr),
			 "HTTP/1.1 %d %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n%sConnection: close\r\n\r\n",
			 status, reason, ctype, blen, extra ? extra : "");
	int64_t deadline = now_ms() + IO_TIMEOUT_MS;

	write_all(fd, hdr, (size_t)n, deadline);
	if (!head)
		write_all(fd, body, blen, deadline);
}

static void respond_text(int fd, int status, const char *reason, const char *body, const char *extra, bool head)
{
	respond(fd, status, reason, "text/plain; charset=utf-8", extra, body, strlen(body), head);
}

static void serve_metrics(struct metrics_server *m, int fd, bool head)
{
	char *body = metrics_render(m);

	if (!body) {
		respond_text(fd, 500, "Internal Server Error", "out of memory\n", NULL, head);
		return;
	}
	respond(fd, 200, "OK", "text/plain; version=0.0.4; charset=utf-8", NULL, body, strlen(body), head);
	free(body);
}

/* Answers a complete request head in c->req. */
static void handle_request(struct metrics_server *m, struct conn *c)
{
	char method[16], target[256];
	bool head;

	c->req[c->len] = '\0';
	if (sscanf(c->req, "%15s %255s HTTP/1.%*c", method, target) != 2) {
		respond_text(c->fd, 400, "Bad Request", "bad request\n", NULL, false);
		return;
	}
	head = !strcmp(method, "HEAD");
	target[strcspn(target, "?")] = '\0'; /* query strings are ignored */
	if (strcmp(target, "/metrics") && strcmp(target, "/healthz") && strcmp(target, "/readyz"))
		respond_text(c->fd, 404, "Not Found", "not found\n", NULL, head);
	else if (!head && strcmp(method, "GET"))
		respond_text(c->fd, 405, "Method Not Allowed", "method not allowed\n", "Allow: GET, HEAD\r\n", false);
	else if (!strcmp(target, "/metrics"))
		serve_metrics(m, c->fd, head);
	else if (!strcmp(target, "/healthz"))
		respond_text(c->fd, 200, "OK", "ok\n", NULL, head);
	else if (atomic_load(&m->ready))
		respond_text(c->fd, 200, "OK", "ready\n", NULL, head);
	else
		respond_text(c->fd, 503, "Service Unavailable", "not ready\n", NULL, head);
}

static void conn_close(struct conn *c)
{
	close(c->fd);
	c->fd = -1;
	c->len = 0;
}

/* Reads what is available; answers and closes once the head is complete,
 * closes on EOF, error or an oversized head. */
static void conn_read(struct metrics_server *m, struct conn *c)
{
	ssize_t r = recv(c->fd, c->req + c->len, REQ_MAX - 1 - c->len, 0);

	if (r < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (r <= 0) {
		conn_close(c);
		return;
	}
	c->len += (size_t)r;
	c->req[c->len] = '\0';
	if (strstr(c->req, "\r\n\r\n") || strstr(c->req, "\n\n"))
		handle_request(m, c);
	else if (c->len < REQ_MAX - 1)
		return;
	else
		respond_text(c->fd, 431, "Request Header Fields Too Large", "request too large\n", NULL, false);
	conn_close(c);
}

static void accept_one(struct metrics_server *m)
{
	int fd = accept4(m->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);

	if (fd < 0)
		return;
	for (size_t i = 0; i < METRICS_MAX_CONNS; i++) {
		if (m->conns[i].fd < 0) {
			m->conns[i] = (struct conn){.fd = fd, .deadline_ms = now_ms() + IO_TIMEOUT_MS};
			return;
		}
	}
	respond_text(fd, 503, "Service Unavailable", "busy\n", NULL, false); /* every slot taken */
	close(fd);
}

/* Poll set: [0] wake, [1] listener, then the open connections. */
static size_t build_pollset(struct metrics_server *m, struct pollfd *pf, size_t *idx, int *timeout)
{
	size_t n = 2;
	int64_t now = now_ms();

	pf[0] = (struct pollfd){.fd = m->wake_fd, .events = POLLIN};
	pf[1] = (struct pollfd){.fd = m->listen_fd, .events = POLLIN};
	*timeout = -1;
	for (size_t i = 0; i < METRICS_MAX_CONNS; i++) {
		struct conn *c = &m->conns[i];

		if (c->fd < 0)
			continue;
		if (c->deadline_ms <= now) { /* too slow to send its request */
			conn_close(c);
			continue;
		}
		if (*timeout < 0 || c->deadline_ms - now < *timeout)
			*timeout = (int)(c->deadline_ms - now);
		idx[n] = i;
		pf[n++] = (struct pollfd){.fd = c->fd, .events = POLLIN};
	}
	return n;
}

static void *serve(void *arg)
{
	struct metrics_server *m = arg;
	struct pollfd pf[METRICS_MAX_CONNS + 2];
	size_t idx[METRICS_MAX_CONNS + 2];

	for (;;) {
		int timeout;
		size_t n = build_pollset(m, pf, idx, &timeout);

		if (poll(pf, n, timeout) < 0 && errno != EINTR)
			break;
		if (pf[0].revents)
			break; /* metrics_free */
		for (size_t i = 2; i < n; i++)
			if (pf[i].revents)
				conn_read(m, &m->conns[idx[i]]);
		if (pf[1].revents & POLLIN)
			accept_one(m);
	}
	return NULL;
}

/* "host:port", "[v6]:port", ":port" -> host (NULL = any) and port. */
static int split_addr(const char *addr, char *host, size_t hcap, const char **port)
{
	const char *colon = strrchr(addr, ':');
	size_t hl;

	if (!colon || !colon[1])
		return -1;
	*port = colon + 1;
	hl = (size_t)(colon - addr);
	if (hl >= 2 && addr[0] == '[' && addr[hl - 1] == ']')
		addr++, hl -= 2;
	if (hl >= hcap)
		return -1;
	memcpy(host, addr, hl);
	host[hl] = '\0';
	return 0;
}

static int bind_listen(struct metrics_server *m, const char *addr, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV}, *ai = NULL;
	struct sockaddr_storage ss;
	socklen_t sl = sizeof(ss);
	const char *port;
	char host[256];
	int one = 1, rc;

	if (split_addr(addr, host, sizeof(host), &port))
		return snprintf(err, errlen, "metrics address '%s': expected host:port", addr), -1;
	rc = getaddrinfo(*host ? host : NULL, port, &hints, &ai);
	if (rc)
		return snprintf(err, errlen, "metrics address '%s': %s", addr, gai_strerror(rc)), -1;
	m->listen_fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (m->listen_fd < 0 || setsockopt(m->listen_fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) ||
	    bind(m->listen_fd, ai->ai_addr, ai->ai_addrlen) || listen(m->listen_fd, 64) ||
	    getsockname(m->listen_fd, (struct sockaddr *)&ss, &sl)) {
		snprintf(err, errlen, "metrics address '%s': %s", addr, strerror(errno));
		freeaddrinfo(ai);
		return -1;
	}
	freeaddrinfo(ai);
	m->port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
						 : ((struct sockaddr_in *)&ss)->sin_port);
	return 0;
}

int metrics_start(struct metrics_server *m, const char *addr, char *err, size_t errlen)
{
	if (m->running)
		return snprintf(err, errlen, "metrics server already started"), -1;
	if (bind_listen(m, addr, err, errlen))
		return -1;
	m->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (m->wake_fd < 0)
		return snprintf(err, errlen, "eventfd: %s", strerror(errno)), -1;
	int rc = pthread_create(&m->thread, NULL, serve, m);

	if (rc)
		return snprintf(err, errlen, "metrics thread: %s", strerror(rc)), -1;
	m->running = true;
	return 0;
}

void metrics_free(struct metrics_server *m)
{
	uint64_t one = 1;

	if (!m)
		return;
	if (m->running) {
		if (write(m->wake_fd, &one, sizeof(one)) != sizeof(one))
			pthread_cancel(m->thread); /* cannot happen with an eventfd; never hang */
		pthread_join(m->thread, NULL);
	}
	for (size_t i = 0; i < METRICS_MAX_CONNS; i++)
		if (m->conns[i].fd >= 0)
			close(m->conns[i].fd);
	if (m->listen_fd >= 0)
		close(m->listen_fd);
	if (m->wake_fd >= 0)
		close(m->wake_fd);
	for (size_t i = 0; i < m->n; i++)
		free(m->metrics[i].name), free(m->metrics[i].help);
	free(m->metrics);
	free(m);
}
