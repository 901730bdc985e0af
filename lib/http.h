/* A thin, blocking HTTPS client over libcurl for the actuator's drivers.
 *
 * One struct http_client per driver keeps one curl handle so connections
 * (and TLS sessions) are reused between calls. TLS is always verified:
 * there is no option to turn verification off; a CA is given as a file or
 * as PEM bytes (kubeconfig's certificate-authority-data). A client
 * certificate and key may be given the same two ways.
 *
 * http_do returns 0 when a response arrived (whatever its status) and -1
 * when none did (connection refused, TLS failure, timeout): resp->error then
 * says why, and resp->timed_out / resp->tls_error classify it. The response
 * body is kept up to HTTP_MAX_BODY bytes, NUL-terminated. */
#ifndef RAMPART_ACT_HTTP_H
#define RAMPART_ACT_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"

#define HTTP_MAX_BODY (8u << 20)
#define HTTP_MAX_HEADERS 16

struct http_tls {
	const char *ca_file;            /* or ca_pem */
	const char *ca_pem;
	size_t ca_pem_len;
	const char *cert_file, *key_file; /* or the _pem forms */
	const char *cert_pem, *key_pem;
	size_t cert_pem_len, key_pem_len;
};

struct http_request {
	const char *method; /* GET, POST, PUT, PATCH, DELETE */
	const char *url;
	const char *headers[HTTP_MAX_HEADERS]; /* "Name: value", NULL-terminated */
	const char *body;   /* may be NULL */
	size_t body_len;
	long timeout_ms;    /* whole request; 0: 10 s */
	const struct http_tls *tls;
	/* AWS Signature V4: "aws:amz:<region>:<service>" and "KEY:SECRET"
	 * (a session token goes in the X-Amz-Security-Token header). */
	const char *aws_sigv4, *aws_userpwd;
	/* Never through a proxy from http_proxy/https_proxy: for link-local
	 * metadata endpoints (credentials must not leave the host). */
	bool no_proxy;
};

struct http_response {
	long status;
	struct rp_buf body;
	bool timed_out, tls_error;
	char error[256];
	double seconds;
};

struct http_client;

struct http_client *http_client_new(void);
void http_client_free(struct http_client *c);
int http_do(struct http_client *c, const struct http_request *rq, struct http_response *resp);
void http_response_free(struct http_response *resp);

/* Whether a failed exchange is worth retrying: no response at all (other
 * than a TLS verification failure), 408, 429, or 5xx. */
bool http_retriable(int rc, const struct http_response *resp);

#endif
