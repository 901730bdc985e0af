/* Helpers shared by the formats that reshape a verdict's stable JSON
 * (verdict_json.h: already UTF-8 safe) into another vendor's layout: OCSF
 * (verdict_ocsf.h) and Falco (verdict_falco.h).
 *
 * vf_get / vf_str read a dotted path ("process.comm") from a JSON tree:
 * a borrowed value, NULL / "" when absent or of another type. vf_join
 * joins the strings of an array from index `from` on, separated by sep
 * (malloc'd; NULL only when out of memory). vf_primary is the match a
 * one-rule format reports: the strongest severity, the first among equals
 * (NULL when the verdict has no match).
 *
 * Builders of optional parts return json_null() for "absent" and NULL only
 * when out of memory; vf_set_opt(o, key, part) then sets o[key] = part
 * (stolen) unless it is absent, and returns -1 for NULL or a failed set. */
#ifndef RAMPART_EVAL_VERDICT_FORMAT_JSON_H
#define RAMPART_EVAL_VERDICT_FORMAT_JSON_H

#include <jansson.h>

#include "verdict.h"

json_t *vf_get(json_t *root, const char *path);
const char *vf_str(json_t *root, const char *path);
char *vf_join(json_t *array, size_t from, char sep);
const struct rp_rule_match *vf_primary(const struct rp_verdict *v);
/* The string at path as a new JSON string; absent (json_null()) when empty. */
json_t *vf_nonempty(json_t *root, const char *path);
int vf_set_opt(json_t *o, const char *key, json_t *part);
/* A string view as a JSON string; when it is not valid UTF-8, every byte
 * past ASCII is written as the text \xNN. NULL only when out of memory. */
json_t *vf_view(struct rp_str s);

#endif
