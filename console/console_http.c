#include "console_http.h"

#include <microhttpd.h>
#include <netdb.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "buf.h"
#include "console_request.h"
#include "console_web.h"
#include "service_log.h"

#define THREADS 4
#define MAX_CONNECTIONS 256
#define IDLE_TIMEOUT_S 30

struct console_http {
	struct MHD_Daemon *d;
	const struct console_http_options *o;
	struct console_http_options opts;
	uint16_t port;
};

struct request {
	struct rp_buf body;
	int too_large;
};

static void headers(struct MHD_Response *r, const char *type, int api)
{
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Content-Security-Policy",
				"default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'");
	MHD_add_response_header(r, "Cache-Control", api ? "no-store" : "no-cache");
}

static enum MHD_Result send_json(struct MHD_Connection *c, int status, json_t *body, const char *extra_header,
				 const char *extra_value)
{
	char *text = body ? json_dumps(body, JSON_COMPACT | JSON_ENSURE_ASCII) : NULL;
	struct MHD_Response *r = text ? MHD_create_response_from_buffer(strlen(text), text, MHD_RESPMEM_MUST_FREE)
				      : MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	enum MHD_Result rc;

	json_decref(body);
	if (!r) {
		free(text);
		return MHD_NO;
	}
	headers(r, "application/json", 1);
	if (extra_header)
		MHD_add_response_header(r, extra_header, extra_value);
	rc = MHD_queue_response(c, (unsigned)status, r);
	MHD_destroy_response(r);
	return rc;
}

static enum MHD_Result send_error(struct MHD_Connection *c, int status, const char *msg, const char *hname,
				  const char *hvalue)
{
	struct console_error e;
	console_fail(&e, status, NULL, "%s", msg);
	return send_json(c, status, console_error_json(&e), hname, hvalue);
}

static enum MHD_Result send_static(struct MHD_Connection *c, const char *url, const char *method)
{
	const struct console_web_file *f = console_web_find(url);
	struct MHD_Response *r;
	enum MHD_Result rc;

	if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
		return send_error(c, 405, "method not allowed", "Allow", "GET, HEAD");
	if (!f)
		return send_error(c, 404, "not found", NULL, NULL);
	if (!(r = MHD_create_response_from_buffer(f->len, (void *)f->data, MHD_RESPMEM_PERSISTENT)))
		return MHD_NO;
	headers(r, f->type, 0);
	rc = MHD_queue_response(c, MHD_HTTP_OK, r);
	MHD_destroy_response(r);
	return rc;
}

static const struct console_principal *authenticate(const struct console_http *h, struct MHD_Connection *c)
{
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization");

	if (!auth || strncasecmp(auth, "Bearer ", 7) != 0)
		return NULL;
	auth += 7;
	while (*auth == ' ')
		auth++;
	return console_tokens_find(h->o->tokens, auth, strlen(auth));
}

static int is_true(const char *v) { return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0); }

static enum MHD_Result serve_api(struct console_http *h, struct MHD_Connection *c, const char *url,
				 const char *method, struct request *rq)
{
	const struct console_principal *who = authenticate(h, c);
	struct console_reply out;

	if (!who) {
		service_warn("console request without a valid token", json_pack("{s:s, s:s}", "method", method, "path", url));
		return send_error(c, 401, "a valid bearer token is required", "WWW-Authenticate",
				  "Bearer realm=\"rampart-console\"");
	}
	if (rq->too_large)
		return send_error(c, 413, "request body too large", NULL, NULL);
	struct console_call call = {
		.method = strcmp(method, "HEAD") == 0 ? "GET" : method,
		.path = url,
		.dry_run = is_true(MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "dry_run")),
		.body = rq->body.data ? (const char *)rq->body.data : "",
		.body_len = rq->body.len,
		.who = who,
	};
	console_api_handle(h->o->api, &call, &out);
	return send_json(c, out.status, out.body, NULL, NULL);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
				  const char *version, const char *upload, size_t *upload_size, void **state)
{
	struct console_http *h = cls;
	struct request *rq = *state;

	(void)version;
	if (!rq) {
		if (!(rq = calloc(1, sizeof(*rq))))
			return MHD_NO;
		*state = rq;
		return MHD_YES;
	}
	if (*upload_size) {
		if (rq->too_large || rq->body.len + *upload_size > CONSOLE_BODY_MAX)
			rq->too_large = 1;
		else if (buf_append(&rq->body, upload, *upload_size))
			return MHD_NO;
		*upload_size = 0;
		return MHD_YES;
	}
	if (strncmp(url, "/api/", 5) == 0)
		return serve_api(h, c, url, method, rq);
	return send_static(c, url, method);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **state, enum MHD_RequestTerminationCode why)
{
	struct request *rq = *state;

	(void)cls, (void)c, (void)why;
	if (rq) {
		buf_free(&rq->body);
		free(rq);
		*state = NULL;
	}
}

static void on_mhd_error(void *cls, const char *fmt, va_list ap)
{
	char msg[512];

	(void)cls;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	msg[strcspn(msg, "\n")] = 0;
	service_warn("console http", json_pack("{s:s}", "error", msg));
}

/* host:port, [v6]:port or :port into an address (the first getaddrinfo gives). */
static struct addrinfo *resolve(const char *listen, char *err, size_t errlen)
{
	char host[256] = "";
	const char *colon = strrchr(listen, ':');
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE},
			*res = NULL;
	int rc;

	if (!colon || !colon[1])
		return snprintf(err, errlen, "console.listen: '%s' is not host:port", listen), NULL;
	if (listen[0] == '[' && colon > listen && colon[-1] == ']')
		snprintf(host, sizeof(host), "%.*s", (int)(colon - listen - 2), listen + 1);
	else
		snprintf(host, sizeof(host), "%.*s", (int)(colon - listen), listen);
	if ((rc = getaddrinfo(host[0] ? host : NULL, colon + 1, &hints, &res)))
		return snprintf(err, errlen, "console.listen: %s: %s", listen, gai_strerror(rc)), NULL;
	return res;
}

struct console_http *console_http_start(const struct console_http_options *o, char *err, size_t errlen)
{
	struct console_http *h = calloc(1, sizeof(*h));
	struct addrinfo *ai = h ? resolve(o->listen, err, errlen) : NULL;
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_AUTO | MHD_USE_ERROR_LOG;

	if (!h || !ai) {
		if (!h)
			snprintf(err, errlen, "out of memory");
		free(h);
		return NULL;
	}
	h->opts = *o;
	h->o = &h->opts;
	flags |= ai->ai_family == AF_INET6 ? MHD_USE_IPv6 : 0;
	flags |= o->cert_pem ? MHD_USE_TLS : 0;
	h->d = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h, MHD_OPTION_EXTERNAL_LOGGER, on_mhd_error, h,
				MHD_OPTION_SOCK_ADDR, ai->ai_addr,
				MHD_OPTION_THREAD_POOL_SIZE, (unsigned)THREADS, MHD_OPTION_CONNECTION_LIMIT,
				(unsigned)MAX_CONNECTIONS, MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)IDLE_TIMEOUT_S,
				MHD_OPTION_NOTIFY_COMPLETED, on_completed, h,
				o->cert_pem ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, o->cert_pem,
				MHD_OPTION_HTTPS_MEM_KEY, o->key_pem, MHD_OPTION_END);
	freeaddrinfo(ai);
	if (!h->d) {
		snprintf(err, errlen, "cannot serve on %s (address in use, or a TLS certificate/key error)", o->listen);
		free(h);
		return NULL;
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(h->d, MHD_DAEMON_INFO_BIND_PORT);
	h->port = info ? info->port : 0;
	return h;
}

uint16_t console_http_port(const struct console_http *h) { return h->port; }

void console_http_stop(struct console_http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->d);
	free(h);
}
