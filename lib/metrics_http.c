/* The operational HTTP endpoints of metrics_http.h served by libmicrohttpd
 * (one internal polling thread); the registry and the exposition text are
 * metrics_text.c's. */
#include "metrics_http.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "metrics_text.h"

/* Per-connection memory: the request head (about 4 KiB of it; more is
 * answered 431) and the reply headers. Bodies are sent from their own
 * buffers. */
#define CONN_MEMORY 4096
/* Idle seconds before a connection is closed (sending its request or
 * taking the reply). */
#define IO_TIMEOUT_S 2u

#define CTYPE_TEXT "text/plain; charset=utf-8"
#define CTYPE_METRICS "text/plain; version=0.0.4; charset=utf-8"

struct metrics_server {
	struct metrics_registry reg;
	struct MHD_Daemon *daemon;
	uint16_t port;
	atomic_bool ready;
	/* libmicrohttpd's first log line: why a start failed. */
	char log[256];
};

struct metrics_server *metrics_new(void)
{
	return calloc(1, sizeof(struct metrics_server));
}

int metrics_register(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
		     const metrics_u64 *value)
{
	struct metrics_source src = {.kind = METRICS_SRC_VALUE, .value = value};

	return metrics_text_add(&m->reg, name, help, type, &src);
}

int metrics_register_fn(struct metrics_server *m, const char *name, const char *help, enum metrics_type type,
			metrics_read_fn fn, void *ctx)
{
	struct metrics_source src = {.kind = METRICS_SRC_FN, .read = fn, .ctx = ctx};

	return metrics_text_add(&m->reg, name, help, type, &src);
}

int metrics_register_labelled(struct metrics_server *m, const char *name, const char *help,
			      enum metrics_type type, metrics_emit_fn fn, void *ctx)
{
	struct metrics_source src = {.kind = METRICS_SRC_LABELLED, .emit = fn, .ctx = ctx};

	return metrics_text_add(&m->reg, name, help, type, &src);
}

int metrics_register_histogram(struct metrics_server *m, const char *name, const char *help, const char *labels,
			       const struct metrics_histogram *h)
{
	struct metrics_source src = {.kind = METRICS_SRC_HISTOGRAM, .hist = h, .labels = labels};

	return metrics_text_add(&m->reg, name, help, METRICS_HISTOGRAM, &src);
}

char *metrics_render(struct metrics_server *m)
{
	return metrics_text_render(&m->reg);
}

uint16_t metrics_port(const struct metrics_server *m)
{
	return m->port;
}

void metrics_set_ready(struct metrics_server *m, bool ready)
{
	atomic_store(&m->ready, ready);
}

/* ---- requests (on libmicrohttpd's thread) ---- */

/* Queues r (NULL: out of memory) with its headers and releases it. MHD_NO
 * makes libmicrohttpd close the connection. */
static enum MHD_Result queue(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r,
			     const char *ctype, bool allow)
{
	enum MHD_Result rc = MHD_NO;

	if (!r)
		return MHD_NO;
	if (MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, ctype) == MHD_YES &&
	    MHD_add_response_header(r, MHD_HTTP_HEADER_CONNECTION, "close") == MHD_YES &&
	    (!allow || MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, "GET, HEAD") == MHD_YES))
		rc = MHD_queue_response(c, status, r);
	MHD_destroy_response(r);
	return rc;
}

/* text is a string literal: libmicrohttpd sends it in place. */
static enum MHD_Result reply_text(struct MHD_Connection *c, unsigned int status, const char *text, bool allow)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);

	return queue(c, status, r, CTYPE_TEXT, allow);
}

static enum MHD_Result reply_metrics(struct metrics_server *m, struct MHD_Connection *c)
{
	char *body = metrics_text_render(&m->reg);
	struct MHD_Response *r;

	if (!body)
		return reply_text(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "out of memory\n", false);
	r = MHD_create_response_from_buffer_with_free_callback(strlen(body), body, free);
	if (!r) {
		free(body);
		return MHD_NO;
	}
	return queue(c, MHD_HTTP_OK, r, CTYPE_METRICS, false);
}

/* Answers on the first call, once the head is in: no endpoint takes a body
 * (one sent anyway is not read; the connection closes after the reply).
 * url comes without its query string. HEAD replies lose their body in
 * libmicrohttpd. */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload_data, size_t *upload_data_size,
				  void **req_cls)
{
	struct metrics_server *m = cls;

	(void)version, (void)upload_data, (void)upload_data_size, (void)req_cls;
	if (strcmp(url, "/metrics") && strcmp(url, "/healthz") && strcmp(url, "/readyz"))
		return reply_text(c, MHD_HTTP_NOT_FOUND, "not found\n", false);
	if (strcmp(method, MHD_HTTP_METHOD_GET) && strcmp(method, MHD_HTTP_METHOD_HEAD))
		return reply_text(c, MHD_HTTP_METHOD_NOT_ALLOWED, "method not allowed\n", true);
	if (!strcmp(url, "/metrics"))
		return reply_metrics(m, c);
	if (!strcmp(url, "/healthz"))
		return reply_text(c, MHD_HTTP_OK, "ok\n", false);
	if (atomic_load(&m->ready))
		return reply_text(c, MHD_HTTP_OK, "ready\n", false);
	return reply_text(c, MHD_HTTP_SERVICE_UNAVAILABLE, "not ready\n", false);
}

/* Keeps libmicrohttpd's first message (a failed start explains itself with
 * it); later ones are dropped, as before the daemon logs nothing per
 * request. */
static void on_log(void *cls, const char *fmt, va_list ap)
{
	struct metrics_server *m = cls;
	size_t n;

	if (m->log[0])
		return;
	vsnprintf(m->log, sizeof(m->log), fmt, ap);
	n = strlen(m->log);
	while (n > 0 && (m->log[n - 1] == '\n' || m->log[n - 1] == '\r'))
		m->log[--n] = '\0';
}

/* ---- start and stop ---- */

/* 1 to 5 decimal digits, at most 65535. */
static bool valid_port(const char *p)
{
	size_t n = strlen(p);

	return n >= 1 && n <= 5 && strspn(p, "0123456789") == n && atol(p) <= 65535;
}

/* "host:port", "[v6]:port", ":port" -> host ("" = any) and port. */
static int split_addr(const char *addr, char *host, size_t hcap, const char **port)
{
	const char *colon = strrchr(addr, ':');
	size_t hl;

	if (!colon || !valid_port(colon + 1))
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

/* The first address addr names and its port; *ai is freeaddrinfo()'d by
 * the caller. */
static int resolve(const char *addr, struct addrinfo **ai, uint16_t *port, char *err, size_t errlen)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM,
				 .ai_flags = AI_PASSIVE | AI_NUMERICSERV};
	const char *service;
	char host[256];
	int rc;

	if (split_addr(addr, host, sizeof(host), &service))
		return snprintf(err, errlen, "metrics address '%s': expected host:port", addr), -1;
	rc = getaddrinfo(*host ? host : NULL, service, &hints, ai);
	if (rc)
		return snprintf(err, errlen, "metrics address '%s': %s", addr, gai_strerror(rc)), -1;
	*port = (uint16_t)atol(service);
	return 0;
}

/* port only names the address in libmicrohttpd's messages: ai has it. */
static struct MHD_Daemon *start_daemon(struct metrics_server *m, const struct addrinfo *ai, uint16_t port)
{
	unsigned int flags = MHD_USE_AUTO_INTERNAL_THREAD | MHD_USE_ERROR_LOG;

	if (ai->ai_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	m->log[0] = '\0';
	return MHD_start_daemon(flags, port, NULL, NULL, on_request, m, MHD_OPTION_EXTERNAL_LOGGER, on_log, m,
				MHD_OPTION_SOCK_ADDR, ai->ai_addr, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned int)METRICS_MAX_CONNS, MHD_OPTION_CONNECTION_TIMEOUT, IO_TIMEOUT_S,
				MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONN_MEMORY, MHD_OPTION_END);
}

int metrics_start(struct metrics_server *m, const char *addr, char *err, size_t errlen)
{
	struct addrinfo *ai = NULL;
	const union MHD_DaemonInfo *info;
	uint16_t port;

	if (m->daemon)
		return snprintf(err, errlen, "metrics server already started"), -1;
	if (resolve(addr, &ai, &port, err, errlen))
		return -1;
	m->daemon = start_daemon(m, ai, port);
	freeaddrinfo(ai);
	if (!m->daemon)
		return snprintf(err, errlen, "metrics address '%s': %s", addr,
				m->log[0] ? m->log : "cannot start the HTTP server"),
		       -1;
	info = MHD_get_daemon_info(m->daemon, MHD_DAEMON_INFO_BIND_PORT);
	if (!info || !info->port) {
		MHD_stop_daemon(m->daemon);
		m->daemon = NULL;
		return snprintf(err, errlen, "metrics address '%s': bound port unknown", addr), -1;
	}
	m->port = info->port;
	return 0;
}

void metrics_free(struct metrics_server *m)
{
	if (!m)
		return;
	if (m->daemon)
		MHD_stop_daemon(m->daemon); /* joins the thread, closes every connection */
	metrics_text_clear(&m->reg);
	free(m);
}
