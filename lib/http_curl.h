/* For code that drives a libcurl handle itself (a streamed response, such
 * as a Kubernetes watch): the TLS and header set-up http_do applies, so
 * every request of rampart verifies TLS the same way. */
#ifndef RAMPART_HTTP_CURL_H
#define RAMPART_HTTP_CURL_H

#include <curl/curl.h>

#include "http.h"

/* Verification on; CA, client certificate and key from t (files or PEM).
 * 0, or -1 when curl refused an option. */
int http_curl_tls(CURL *h, const struct http_tls *t);
/* rq's headers as a list for CURLOPT_HTTPHEADER (curl_slist_free_all it);
 * NULL when rq has none or memory ran out (then *oom is set). */
struct curl_slist *http_curl_headers(const struct http_request *rq, int *oom);

#endif
