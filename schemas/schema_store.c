#include "schema_store.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "schema_canonical.h"
#include "schema_defs.h"
#include "schema_json.h"
#include "schema_resolve.h"

/* A handful of schema versions: a linear scan beats hashing here. */
struct schema_store {
	struct schema_entry *v;
	size_t n, cap;
};

static void entry_free(struct schema_entry *e)
{
	free(e->json);
	schema_resolver_free(e->to_event);
}

void schema_store_free(struct schema_store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->n; i++)
		entry_free(&st->v[i]);
	free(st->v);
	free(st);
}

const struct schema_entry *schema_store_by_fingerprint(const struct schema_store *st, uint64_t fp)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].fingerprint == fp)
			return &st->v[i];
	return NULL;
}

const struct schema_entry *schema_store_by_id(const struct schema_store *st, uint32_t id)
{
	for (size_t i = 0; i < st->n; i++)
		if (st->v[i].confluent_id == (int64_t)id)
			return &st->v[i];
	return NULL;
}

static bool names_event(const char *json, size_t len)
{
	json_t *root = json_loadb(json, len, 0, NULL);
	const char *name = json_string_value(json_object_get(root, "name"));
	const char *ns = json_string_value(json_object_get(root, "namespace"));
	char full[SJ_NAME_MAX];
	bool yes = name && !sj_fullname(full, sizeof(full), name, ns) &&
		   !strcmp(full, "io.rampart.Event");

	json_decref(root);
	return yes;
}

static int fill_entry(struct schema_entry *e, const char *json, size_t len, uint64_t fp,
		      int64_t id, struct codec_error *err)
{
	memset(e, 0, sizeof(*e));
	e->fingerprint = fp;
	e->confluent_id = id < 0 ? -1 : id;
	e->json = malloc(len + 1);
	if (!e->json)
		return codec_fail(err, 0, "out of memory");
	memcpy(e->json, json, len);
	e->json[len] = '\0';
	e->json_len = len;
	e->is_event = names_event(json, len);
	if (!e->is_event || fp == schema_event_fingerprint)
		return 0;
	e->to_event = schema_resolver_new(json, len, schema_event_json, schema_event_json_len, err);
	if (!e->to_event) {
		free(e->json);
		return -1;
	}
	return 0;
}

int schema_store_bind_id(struct schema_store *st, uint64_t fingerprint, uint32_t confluent_id,
			 struct codec_error *err)
{
	struct schema_entry *e = (struct schema_entry *)schema_store_by_fingerprint(st, fingerprint);
	const struct schema_entry *other = schema_store_by_id(st, confluent_id);

	if (!e)
		return codec_fail(err, 0, "unknown schema fingerprint %016llx",
				  (unsigned long long)fingerprint);
	if (other && other != e)
		return codec_fail(err, 0, "Confluent id %u already names another schema", confluent_id);
	if (e->confluent_id >= 0 && e->confluent_id != (int64_t)confluent_id)
		return codec_fail(err, 0, "schema %016llx already has Confluent id %lld",
				  (unsigned long long)fingerprint, (long long)e->confluent_id);
	e->confluent_id = confluent_id;
	return 0;
}

int schema_store_add(struct schema_store *st, const char *json, size_t len, int64_t confluent_id,
		     uint64_t *fingerprint, struct codec_error *err)
{
	uint64_t fp;
	struct schema_entry *grown;

	if (schema_fingerprint_json(json, len, &fp, err))
		return -1;
	if (fingerprint)
		*fingerprint = fp;
	if (schema_store_by_fingerprint(st, fp))
		return confluent_id < 0 ? 0 : schema_store_bind_id(st, fp, (uint32_t)confluent_id, err);
	if (confluent_id >= 0 && schema_store_by_id(st, (uint32_t)confluent_id))
		return codec_fail(err, 0, "Confluent id %lld already names another schema",
				  (long long)confluent_id);
	if (st->n == st->cap) {
		size_t cap = st->cap ? st->cap * 2 : 8;
		grown = realloc(st->v, cap * sizeof(*grown));
		if (!grown)
			return codec_fail(err, 0, "out of memory");
		st->v = grown;
		st->cap = cap;
	}
	if (fill_entry(&st->v[st->n], json, len, fp, confluent_id, err))
		return -1;
	st->n++;
	return 0;
}

struct schema_store *schema_store_new(struct codec_error *err)
{
	struct schema_store *st = calloc(1, sizeof(*st));

	if (!st) {
		codec_fail(err, 0, "out of memory");
		return NULL;
	}
	if (schema_store_add(st, schema_event_json, schema_event_json_len, -1, NULL, err) ||
	    schema_store_add(st, schema_verdict_json, schema_verdict_json_len, -1, NULL, err) ||
	    schema_store_add(st, schema_action_json, schema_action_json_len, -1, NULL, err)) {
		schema_store_free(st);
		return NULL;
	}
	return st;
}
