/* The console's HTTP(S) server (libmicrohttpd, a thread pool):
 *   /api/v1/...  JSON API (console_api.h); every request needs
 *                `Authorization: Bearer TOKEN` (console_tokens.h): 401
 *                without a known token
 *   /, /app.js, /app.css  the web UI (console_web.h), no token needed: the
 *                page asks for one and sends it with its API calls
 * Request bodies are bounded (CONSOLE_BODY_MAX: 413 beyond), connections
 * are limited in number and idle time. Every response carries
 * nosniff, a same-origin Content-Security-Policy and no-referrer; API
 * responses are not cached. With a certificate and key (PEM text, kept
 * by the caller while the server runs) it speaks HTTPS only. */
#ifndef RAMPART_CONSOLE_HTTP_H
#define RAMPART_CONSOLE_HTTP_H

#include <stddef.h>
#include <stdint.h>

#include "console_api.h"
#include "console_tokens.h"

struct console_http;

struct console_http_options {
	const char *listen; /* host:port, [v6]:port or :port; port 0 picks one */
	const char *cert_pem, *key_pem; /* NULL: plain HTTP */
	const struct console_tokens *tokens;
	struct console_api *api;
};

struct console_http *console_http_start(const struct console_http_options *o, char *err, size_t errlen);
uint16_t console_http_port(const struct console_http *h);
void console_http_stop(struct console_http *h);

#endif
