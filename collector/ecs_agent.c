#include "ecs_agent.h"

#include <curl/curl.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define ECS_MAX_BODY (1u << 20)
#define COPY(dst, src) snprintf((dst), sizeof(dst), "%s", (src))

struct ecs_entry {
	char docker_id[72];       /* "": free */
	bool found;
	struct ecs_task_info info; /* cluster left "": filled at lookup */
	uint64_t retry_at_ms;     /* !found: when to ask again */
	uint32_t backoff_ms;
	uint64_t used;
};

struct backoff {
	uint64_t until_ms;
	uint32_t ms;              /* 0: not backing off */
};

struct ecs_agent {
	CURL *curl;
	char *url;                /* without a trailing '/' */
	uint32_t timeout_ms, retry_min_ms, retry_max_ms;
	struct ecs_entry *entries;
	size_t nentries;
	uint64_t tick, requests;
	struct backoff down;      /* agent-wide: unreachable */
	char cluster[256];        /* from /v1/metadata; "" until it answers */
};

struct body {
	char *p;
	size_t n;
};

enum http_result { HTTP_OK, HTTP_NOT_FOUND, HTTP_FAILED };

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint32_t next_backoff(const struct ecs_agent *a, uint32_t cur)
{
	if (!cur)
		return a->retry_min_ms;
	return cur >= a->retry_max_ms / 2 ? a->retry_max_ms : cur * 2;
}

static void backoff_fail(const struct ecs_agent *a, struct backoff *b)
{
	b->ms = next_backoff(a, b->ms);
	b->until_ms = now_ms() + b->ms;
}

static size_t on_data(char *p, size_t size, size_t n, void *arg)
{
	struct body *b = arg;
	size_t len = size * n;
	char *np;

	if (b->n + len > ECS_MAX_BODY)
		return 0;
	np = realloc(b->p, b->n + len + 1);
	if (!np)
		return 0;
	memcpy(np + b->n, p, len);
	b->p = np, b->n += len;
	b->p[b->n] = '\0';
	return len;
}

static int setup_curl(struct ecs_agent *a)
{
	CURL *c = curl_easy_init();

	if (!c)
		return -1;
	a->curl = c;
	if (curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L) || curl_easy_setopt(c, CURLOPT_NOPROXY, "*") ||
	    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)a->timeout_ms) ||
	    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)a->timeout_ms) ||
	    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data) ||
	    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https"))
		return -1;
	return 0;
}

/* GET url+path; on HTTP_OK *doc is the parsed JSON object (caller frees). */
static enum http_result http_get_json(struct ecs_agent *a, const char *path, json_t **doc)
{
	char url[1024];
	struct body b = {0};
	long status = 0;
	CURLcode rc;

	*doc = NULL;
	snprintf(url, sizeof(url), "%s%s", a->url, path);
	a->requests++;
	curl_easy_setopt(a->curl, CURLOPT_URL, url);
	curl_easy_setopt(a->curl, CURLOPT_WRITEDATA, &b);
	rc = curl_easy_perform(a->curl);
	if (rc == CURLE_OK)
		curl_easy_getinfo(a->curl, CURLINFO_RESPONSE_CODE, &status);
	if (rc == CURLE_OK && status == 200 && b.p)
		*doc = json_loads(b.p, 0, NULL);
	free(b.p);
	if (*doc && json_is_object(*doc))
		return HTTP_OK;
	json_decref(*doc);
	*doc = NULL;
	return rc == CURLE_OK && status >= 400 && status < 500 ? HTTP_NOT_FOUND : HTTP_FAILED;
}

static const char *str_field(const json_t *o, const char *key)
{
	const char *s = json_string_value(json_object_get(o, key));

	return s ? s : "";
}

/* The <cluster> of arn:...:task/<cluster>/<id> ("" for the old task/<id>). */
static void cluster_of_arn(const char *arn, char *out, size_t outlen)
{
	const char *t = strstr(arn, ":task/"), *slash;

	out[0] = '\0';
	if (!t)
		return;
	t += strlen(":task/");
	slash = strchr(t, '/');
	if (slash && slash > t)
		snprintf(out, outlen, "%.*s", (int)(slash - t), t);
}

static struct ecs_entry *find(struct ecs_agent *a, const char *docker_id)
{
	for (size_t i = 0; i < a->nentries; i++)
		if (a->entries[i].docker_id[0] && !strcmp(a->entries[i].docker_id, docker_id))
			return &a->entries[i];
	return NULL;
}

/* The entry for docker_id, else a free or least recently used one, reset. */
static struct ecs_entry *claim(struct ecs_agent *a, const char *docker_id)
{
	struct ecs_entry *e = find(a, docker_id), *v = &a->entries[0];

	if (e)
		return e;
	for (size_t i = 0; i < a->nentries && v->docker_id[0]; i++)
		if (!a->entries[i].docker_id[0] || a->entries[i].used < v->used)
			v = &a->entries[i];
	memset(v, 0, sizeof(*v));
	COPY(v->docker_id, docker_id);
	v->used = ++a->tick;
	return v;
}

static void store_container(struct ecs_agent *a, const json_t *task, const json_t *ctr)
{
	const char *id = str_field(ctr, "DockerId");
	struct ecs_entry *e;

	if (!id[0] || strlen(id) >= sizeof(e->docker_id))
		return;
	e = claim(a, id);
	e->found = true;
	COPY(e->info.task_arn, str_field(task, "Arn"));
	COPY(e->info.family, str_field(task, "Family"));
	COPY(e->info.revision, str_field(task, "Version"));
	COPY(e->info.container_name, str_field(ctr, "Name"));
}

/* Caches every container of one task object. */
static void store_task(struct ecs_agent *a, const json_t *task)
{
	const json_t *ctrs = json_object_get(task, "Containers");
	size_t i;
	json_t *c;

	json_array_foreach(ctrs, i, c)
		if (json_is_object(c))
			store_container(a, task, c);
}

static void mark_unknown(struct ecs_agent *a, const char *docker_id)
{
	struct ecs_entry *e = claim(a, docker_id);

	e->found = false;
	e->backoff_ms = next_backoff(a, e->backoff_ms);
	e->retry_at_ms = now_ms() + e->backoff_ms;
}

/* Asks the agent for docker_id's task; false when the agent could not be asked. */
static bool fetch_task(struct ecs_agent *a, const char *docker_id)
{
	char path[128];
	json_t *doc;
	enum http_result r;
	struct ecs_entry *e;

	snprintf(path, sizeof(path), "/v1/tasks?dockerid=%s", docker_id);
	r = http_get_json(a, path, &doc);
	if (r == HTTP_FAILED) {
		backoff_fail(a, &a->down);
		return false;
	}
	a->down.ms = 0;
	if (r == HTTP_OK)
		store_task(a, doc);
	json_decref(doc);
	e = find(a, docker_id);
	if (!e || !e->found)
		mark_unknown(a, docker_id);
	return true;
}

static void fetch_cluster(struct ecs_agent *a)
{
	json_t *doc;

	if (a->cluster[0] || a->down.until_ms > now_ms())
		return;
	if (http_get_json(a, "/v1/metadata", &doc) != HTTP_OK) {
		backoff_fail(a, &a->down);
		return;
	}
	a->down.ms = 0;
	COPY(a->cluster, str_field(doc, "Cluster"));
	json_decref(doc);
}

static enum ecs_lookup report(struct ecs_agent *a, struct ecs_entry *e, struct ecs_task_info *out)
{
	e->used = ++a->tick;
	if (!e->found)
		return ECS_LOOKUP_UNKNOWN;
	*out = e->info;
	fetch_cluster(a);
	if (a->cluster[0])
		COPY(out->cluster, a->cluster);
	else
		cluster_of_arn(out->task_arn, out->cluster, sizeof(out->cluster));
	return ECS_LOOKUP_FOUND;
}

enum ecs_lookup ecs_agent_lookup(struct ecs_agent *a, const char *docker_id, struct ecs_task_info *out)
{
	struct ecs_entry *e;

	memset(out, 0, sizeof(*out));
	if (!docker_id || !docker_id[0] || strlen(docker_id) >= sizeof(e->docker_id) || strpbrk(docker_id, "&?#/% "))
		return ECS_LOOKUP_UNKNOWN;
	e = find(a, docker_id);
	if (e && (e->found || e->retry_at_ms > now_ms()))
		return report(a, e, out);
	if (a->down.until_ms > now_ms() || !fetch_task(a, docker_id))
		return ECS_LOOKUP_UNAVAILABLE;
	return report(a, find(a, docker_id), out);
}

uint64_t ecs_agent_requests(const struct ecs_agent *a)
{
	return a->requests;
}

struct ecs_agent *ecs_agent_new(const struct ecs_agent_config *cfg, char *err, size_t errlen)
{
	struct ecs_agent *a;
	size_t n;

	if (!cfg->url || !cfg->url[0]) {
		snprintf(err, errlen, "ecs agent: no URL");
		return NULL;
	}
	a = calloc(1, sizeof(*a));
	if (!a)
		return snprintf(err, errlen, "ecs agent: out of memory"), NULL;
	a->timeout_ms = cfg->timeout_ms ? cfg->timeout_ms : 250;
	a->retry_min_ms = cfg->retry_min_ms ? cfg->retry_min_ms : 1000;
	a->retry_max_ms = cfg->retry_max_ms ? cfg->retry_max_ms : 60000;
	a->nentries = cfg->cache_entries ? cfg->cache_entries : 512;
	a->entries = calloc(a->nentries, sizeof(*a->entries));
	a->url = strdup(cfg->url);
	if (!a->entries || !a->url || setup_curl(a)) {
		snprintf(err, errlen, "ecs agent: out of memory or libcurl failed to initialise");
		ecs_agent_free(a);
		return NULL;
	}
	n = strlen(a->url);
	while (n && a->url[n - 1] == '/')
		a->url[--n] = '\0';
	return a;
}

void ecs_agent_free(struct ecs_agent *a)
{
	if (!a)
		return;
	if (a->curl)
		curl_easy_cleanup(a->curl);
	free(a->entries);
	free(a->url);
	free(a);
}
