/* What the pod watcher's LIST and WATCH requests share: URLs, credentials,
 * status codes and the log line. */
#include "pod_watch_internal.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void pod_watch_log(struct pod_watch *w, const char *fmt, ...)
{
	char line[1024];
	va_list ap;

	if (!w->log)
		return;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(w->log, "rampart-collector: pod watch: %s\n", line); /* one call: lines do not interleave */
}

char *pod_watch_url_encode(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *out = malloc(strlen(s) * 3 + 1), *p = out;

	if (!out)
		return NULL;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
		    c == '.' || c == '_' || c == '~') {
			*p++ = (char)c;
		} else {
			*p++ = '%';
			*p++ = hex[c >> 4];
			*p++ = hex[c & 15];
		}
	}
	*p = 0;
	return out;
}

enum pod_watch_outcome pod_watch_status_outcome(long status)
{
	if (status == 401)
		return POD_WATCH_UNAUTHORIZED;
	if (status == 410)
		return POD_WATCH_GONE;
	return POD_WATCH_FAILED;
}

int pod_watch_prepare(struct pod_watch *w, struct http_request *rq, const char *url)
{
	char err[256];

	rq->url = url;
	rq->headers[0] = "Accept: application/json";
	rq->headers[1] = NULL;
	if (kube_auth_prepare(w->auth, time(NULL), rq, err, sizeof(err)) != KUBE_CRED_OK) {
		pod_watch_log(w, "credentials: %s", err);
		return -1;
	}
	return 0;
}
