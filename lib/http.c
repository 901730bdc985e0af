#include "http.h"
#include "http_curl.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

struct http_client {
	CURL *h;
};

static pthread_once_t global_once = PTHREAD_ONCE_INIT;

/* curl_global_init is not thread-safe; every client goes through here. */
static void global_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

struct http_client *http_client_new(void)
{
	struct http_client *c;

	pthread_once(&global_once, global_init);
	c = calloc(1, sizeof(*c));
	if (!c)
		return NULL;
	c->h = curl_easy_init();
	if (!c->h) {
		free(c);
		return NULL;
	}
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	curl_easy_cleanup(c->h);
	free(c);
}

void http_response_free(struct http_response *resp) { buf_free(&resp->body); }

static size_t on_body(char *p, size_t size, size_t n, void *ctx)
{
	struct rp_buf *b = ctx;
	size_t len = size * n;

	if (b->len + len > HTTP_MAX_BODY || buf_reserve(b, len + 1))
		return 0; /* curl reports CURLE_WRITE_ERROR */
	memcpy(b->data + b->len, p, len);
	b->len += len;
	b->data[b->len] = 0;
	return len;
}

static int set_blob(CURL *h, CURLoption opt, const char *pem, size_t len)
{
	struct curl_blob blob = {(void *)pem, len, CURL_BLOB_COPY};
	return curl_easy_setopt(h, opt, &blob) == CURLE_OK ? 0 : -1;
}

int http_curl_tls(CURL *h, const struct http_tls *t)
{
	int rc = 0;

	curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
	if (!t)
		return 0;
	if (t->ca_pem)
		rc |= set_blob(h, CURLOPT_CAINFO_BLOB, t->ca_pem, t->ca_pem_len);
	else if (t->ca_file)
		rc |= curl_easy_setopt(h, CURLOPT_CAINFO, t->ca_file) != CURLE_OK;
	if (t->cert_pem)
		rc |= set_blob(h, CURLOPT_SSLCERT_BLOB, t->cert_pem, t->cert_pem_len);
	else if (t->cert_file)
		rc |= curl_easy_setopt(h, CURLOPT_SSLCERT, t->cert_file) != CURLE_OK;
	if (t->key_pem)
		rc |= set_blob(h, CURLOPT_SSLKEY_BLOB, t->key_pem, t->key_pem_len);
	else if (t->key_file)
		rc |= curl_easy_setopt(h, CURLOPT_SSLKEY, t->key_file) != CURLE_OK;
	return rc ? -1 : 0;
}

static int set_method(CURL *h, const struct http_request *rq)
{
	curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, NULL);
	if (strcmp(rq->method, "GET") == 0)
		return curl_easy_setopt(h, CURLOPT_HTTPGET, 1L) != CURLE_OK;
	if (rq->body) {
		curl_easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
		curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_len);
	} else {
		curl_easy_setopt(h, CURLOPT_HTTPGET, 1L);
	}
	if (strcmp(rq->method, "POST") != 0 || !rq->body)
		curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method);
	return 0;
}

struct curl_slist *http_curl_headers(const struct http_request *rq, int *oom)
{
	struct curl_slist *list = NULL, *tmp;

	*oom = 0;
	for (size_t i = 0; i < HTTP_MAX_HEADERS && rq->headers[i]; i++) {
		tmp = curl_slist_append(list, rq->headers[i]);
		if (!tmp) {
			curl_slist_free_all(list);
			*oom = 1;
			return NULL;
		}
		list = tmp;
	}
	return list;
}

static void classify_error(CURLcode cc, const char *errbuf, struct http_response *resp)
{
	resp->timed_out = cc == CURLE_OPERATION_TIMEDOUT;
	resp->tls_error = cc == CURLE_PEER_FAILED_VERIFICATION || cc == CURLE_SSL_CACERT_BADFILE ||
			  cc == CURLE_SSL_CERTPROBLEM || cc == CURLE_SSL_CONNECT_ERROR;
	snprintf(resp->error, sizeof(resp->error), "%s", errbuf[0] ? errbuf : curl_easy_strerror(cc));
}

int http_do(struct http_client *c, const struct http_request *rq, struct http_response *resp)
{
	char errbuf[CURL_ERROR_SIZE] = "";
	struct curl_slist *hdrs;
	CURLcode cc;
	int oom = 0;
	CURL *h = c->h;

	resp->status = 0;
	resp->timed_out = resp->tls_error = false;
	resp->error[0] = 0;
	buf_reset(&resp->body);
	if (buf_reserve(&resp->body, 1))
		return snprintf(resp->error, sizeof(resp->error), "out of memory"), -1;
	resp->body.data[0] = 0;
	curl_easy_reset(h);
	hdrs = http_curl_headers(rq, &oom);
	if (oom)
		return snprintf(resp->error, sizeof(resp->error), "out of memory"), -1;
	curl_easy_setopt(h, CURLOPT_URL, rq->url);
	curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, rq->timeout_ms > 0 ? rq->timeout_ms : 10000L);
	curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	curl_easy_setopt(h, CURLOPT_ERRORBUFFER, errbuf);
	curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(h, CURLOPT_WRITEDATA, &resp->body);
	curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
	if (rq->no_proxy)
		curl_easy_setopt(h, CURLOPT_NOPROXY, "*");
	if (rq->aws_sigv4) {
		curl_easy_setopt(h, CURLOPT_AWS_SIGV4, rq->aws_sigv4);
		curl_easy_setopt(h, CURLOPT_USERPWD, rq->aws_userpwd);
	}
	if (http_curl_tls(h, rq->tls) || set_method(h, rq)) {
		curl_slist_free_all(hdrs);
		return snprintf(resp->error, sizeof(resp->error), "cannot set TLS material or method"), -1;
	}
	cc = curl_easy_perform(h);
	curl_easy_getinfo(h, CURLINFO_TOTAL_TIME, &resp->seconds);
	curl_slist_free_all(hdrs);
	if (cc != CURLE_OK) {
		classify_error(cc, errbuf, resp);
		return -1;
	}
	curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
	return 0;
}

bool http_retriable(int rc, const struct http_response *resp)
{
	if (rc)
		return !resp->tls_error;
	return resp->status == 408 || resp->status == 429 || resp->status >= 500;
}
