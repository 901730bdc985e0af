#include "schema_registry.h"

#include "buf.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct cached_schema {
	int32_t id;
	char *subject; /* NULL for entries learnt by lookup */
	char *schema;
};

struct schema_registry {
	CURL *curl;
	char *url;
	int max_attempts;
	struct rp_buf body;
	struct cached_schema *cache;
	size_t ncache, capcache;
};

static size_t collect_body(char *p, size_t size, size_t n, void *userdata)
{
	struct rp_buf *b = userdata;

	return buf_append(b, p, size * n) ? 0 : size * n;
}

static int registry_configure_curl(struct schema_registry *sr, const struct schema_registry_config *cfg)
{
	CURL *c = sr->curl;
	long timeout = cfg->timeout_ms > 0 ? cfg->timeout_ms : 5000;

	if (curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout) ||
	    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_body) ||
	    curl_easy_setopt(c, CURLOPT_WRITEDATA, &sr->body))
		return -1;
	if (cfg->ca_file && curl_easy_setopt(c, CURLOPT_CAINFO, cfg->ca_file))
		return -1;
	if (cfg->username) {
		if (curl_easy_setopt(c, CURLOPT_USERNAME, cfg->username) ||
		    curl_easy_setopt(c, CURLOPT_PASSWORD, cfg->password ? cfg->password : ""))
			return -1;
	}
	return 0;
}

struct schema_registry *schema_registry_new(const struct schema_registry_config *cfg, char *err,
					    size_t errlen)
{
	struct schema_registry *sr;
	size_t n;

	if (!cfg->url || !*cfg->url) {
		snprintf(err, errlen, "schema registry: no url configured");
		return NULL;
	}
	sr = calloc(1, sizeof(*sr));
	if (!sr || !(sr->url = strdup(cfg->url)) || !(sr->curl = curl_easy_init())) {
		snprintf(err, errlen, "schema registry: out of memory");
		schema_registry_free(sr);
		return NULL;
	}
	n = strlen(sr->url);
	while (n > 0 && sr->url[n - 1] == '/')
		sr->url[--n] = '\0';
	sr->max_attempts = cfg->max_attempts > 0 ? cfg->max_attempts : 4;
	if (registry_configure_curl(sr, cfg)) {
		snprintf(err, errlen, "schema registry: cannot configure libcurl");
		schema_registry_free(sr);
		return NULL;
	}
	return sr;
}

void schema_registry_free(struct schema_registry *sr)
{
	if (!sr)
		return;
	for (size_t i = 0; i < sr->ncache; i++) {
		free(sr->cache[i].subject);
		free(sr->cache[i].schema);
	}
	free(sr->cache);
	buf_free(&sr->body);
	if (sr->curl)
		curl_easy_cleanup(sr->curl);
	free(sr->url);
	free(sr);
}

static void sleep_ms(long ms)
{
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	nanosleep(&ts, NULL);
}

/* Transport errors, 429 and 5xx are worth retrying; other statuses are the
 * registry's final answer. */
static bool status_is_retryable(long status)
{
	return status == 0 || status == 408 || status == 429 || status >= 500;
}

/* One request with retries. On success *status is 2xx and sr->body holds the
 * NUL-terminated response body. */
static int registry_request(struct schema_registry *sr, const char *path, const char *post_body,
			    long *status, char *err, size_t errlen)
{
	struct curl_slist *headers = NULL;
	char url[2048];
	CURLcode rc = CURLE_OK;
	long backoff_ms = 100;

	if ((size_t)snprintf(url, sizeof(url), "%s%s", sr->url, path) >= sizeof(url)) {
		snprintf(err, errlen, "schema registry: url too long");
		return -1;
	}
	headers = curl_slist_append(headers, "Content-Type: application/vnd.schemaregistry.v1+json");
	headers = headers ? curl_slist_append(headers, "Accept: application/vnd.schemaregistry.v1+json") : NULL;
	if (!headers) {
		snprintf(err, errlen, "schema registry: out of memory");
		return -1;
	}
	curl_easy_setopt(sr->curl, CURLOPT_URL, url);
	curl_easy_setopt(sr->curl, CURLOPT_HTTPHEADER, headers);
	if (post_body)
		curl_easy_setopt(sr->curl, CURLOPT_POSTFIELDS, post_body);
	else
		curl_easy_setopt(sr->curl, CURLOPT_HTTPGET, 1L);
	for (int attempt = 1; attempt <= sr->max_attempts; attempt++) {
		buf_reset(&sr->body);
		*status = 0;
		rc = curl_easy_perform(sr->curl);
		if (rc == CURLE_OK)
			curl_easy_getinfo(sr->curl, CURLINFO_RESPONSE_CODE, status);
		if (rc == CURLE_OK && !status_is_retryable(*status))
			break;
		if (attempt < sr->max_attempts) {
			sleep_ms(backoff_ms);
			backoff_ms *= 2;
		}
	}
	curl_easy_setopt(sr->curl, CURLOPT_HTTPHEADER, NULL);
	curl_slist_free_all(headers);
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "schema registry: %s: %s (after %d attempts)", url, curl_easy_strerror(rc),
			 sr->max_attempts);
		return -1;
	}
	if (buf_append(&sr->body, "", 1)) {
		snprintf(err, errlen, "schema registry: out of memory");
		return -1;
	}
	return 0;
}

/* The registry reports failures as {"error_code": N, "message": "..."}. */
static int registry_check_status(struct schema_registry *sr, const char *what, long status, char *err,
				 size_t errlen)
{
	json_t *doc;
	const char *message = NULL;

	if (status >= 200 && status < 300)
		return 0;
	doc = json_loads((const char *)sr->body.data, 0, NULL);
	if (doc)
		message = json_string_value(json_object_get(doc, "message"));
	snprintf(err, errlen, "schema registry: %s: HTTP %ld%s%s", what, status, message ? ": " : "",
		 message ? message : "");
	json_decref(doc);
	return -1;
}

static int registry_cache_add(struct schema_registry *sr, int32_t id, const char *subject, const char *schema)
{
	struct cached_schema *slot;

	if (sr->ncache == sr->capcache) {
		size_t cap = sr->capcache ? sr->capcache * 2 : 8;
		struct cached_schema *p = realloc(sr->cache, cap * sizeof(*p));

		if (!p)
			return -1;
		sr->cache = p;
		sr->capcache = cap;
	}
	slot = &sr->cache[sr->ncache];
	slot->id = id;
	slot->schema = strdup(schema);
	slot->subject = subject ? strdup(subject) : NULL;
	if (!slot->schema || (subject && !slot->subject)) {
		free(slot->schema);
		free(slot->subject);
		return -1;
	}
	sr->ncache++;
	return 0;
}

/* Subjects go into a URL path: allow only what needs no escaping. */
static bool subject_is_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++) {
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') ||
		      *s == '.' || *s == '_' || *s == '-'))
			return false;
	}
	return true;
}

static int registry_parse_id(struct schema_registry *sr, int32_t *id, char *err, size_t errlen)
{
	json_t *doc = json_loads((const char *)sr->body.data, 0, NULL);
	json_t *jid = doc ? json_object_get(doc, "id") : NULL;
	json_int_t v = json_is_integer(jid) ? json_integer_value(jid) : -1;

	json_decref(doc);
	if (v < 0 || v > INT32_MAX) {
		snprintf(err, errlen, "schema registry: registration response has no valid id");
		return -1;
	}
	*id = (int32_t)v;
	return 0;
}

int schema_registry_register(struct schema_registry *sr, const char *subject, const char *schema_json,
			     int32_t *id, char *err, size_t errlen)
{
	char path[512];
	json_t *req;
	char *body;
	long status;
	int rc;

	for (size_t i = 0; i < sr->ncache; i++) {
		const struct cached_schema *c = &sr->cache[i];

		if (c->subject && !strcmp(c->subject, subject) && !strcmp(c->schema, schema_json)) {
			*id = c->id;
			return 0;
		}
	}
	if (!subject_is_safe(subject)) {
		snprintf(err, errlen, "schema registry: subject '%s' must match [A-Za-z0-9._-]+", subject);
		return -1;
	}
	snprintf(path, sizeof(path), "/subjects/%s/versions", subject);
	req = json_pack("{s:s}", "schema", schema_json);
	body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	if (!body) {
		snprintf(err, errlen, "schema registry: out of memory");
		return -1;
	}
	rc = registry_request(sr, path, body, &status, err, errlen);
	free(body);
	if (rc || registry_check_status(sr, subject, status, err, errlen) ||
	    registry_parse_id(sr, id, err, errlen))
		return -1;
	if (registry_cache_add(sr, *id, subject, schema_json)) {
		snprintf(err, errlen, "schema registry: out of memory");
		return -1;
	}
	return 0;
}

const char *schema_registry_lookup(struct schema_registry *sr, int32_t id, char *err, size_t errlen)
{
	char path[64], what[32];
	json_t *doc;
	const char *schema;
	long status;
	int rc;

	for (size_t i = 0; i < sr->ncache; i++) {
		if (sr->cache[i].id == id)
			return sr->cache[i].schema;
	}
	snprintf(path, sizeof(path), "/schemas/ids/%d", (int)id);
	snprintf(what, sizeof(what), "schema id %d", (int)id);
	if (registry_request(sr, path, NULL, &status, err, errlen) ||
	    registry_check_status(sr, what, status, err, errlen))
		return NULL;
	doc = json_loads((const char *)sr->body.data, 0, NULL);
	schema = doc ? json_string_value(json_object_get(doc, "schema")) : NULL;
	rc = schema ? registry_cache_add(sr, id, NULL, schema) : -1;
	json_decref(doc);
	if (rc) {
		snprintf(err, errlen, "schema registry: %s: response has no schema", what);
		return NULL;
	}
	return sr->cache[sr->ncache - 1].schema;
}
