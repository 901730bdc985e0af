/* Helpers for walking Avro schema JSON (jansson trees): fullnames, the table
 * of named types a schema defines, and following a type reference to its
 * definition. Shared by schema_canonical.c and schema_resolve.c. */
#ifndef RAMPART_SCHEMA_JSON_H
#define RAMPART_SCHEMA_JSON_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#define SJ_NAME_MAX 512

bool sj_is_primitive(const char *type);
bool sj_is_named(const char *type);

/* The namespace-qualified name into out; -1 if longer than cap. */
int sj_fullname(char *out, size_t cap, const char *name, const char *ns);

/* The namespace a named definition's children inherit, into out. */
int sj_child_ns(char *out, size_t cap, json_t *def, const char *ns);

/* Records every named type defined in s into names (fullname -> borrowed
 * definition). -1 on a malformed schema. */
int sj_collect_names(json_t *s, const char *ns, json_t *names);

/* Follows references: a string naming a defined type, or {"type": <schema>}
 * wrappers, down to a primitive name string, an object with a concrete type
 * or a union array. NULL if a name is undefined. */
json_t *sj_deref(json_t *s, const char *ns, json_t *names);

/* The "type" of a dereferenced schema: a primitive or complex type name, or
 * "union" for an array. NULL when malformed. */
const char *sj_kind(json_t *s);

#endif
