/* The three kinds of managed entry the console edits: rulesets, policies
 * and clusters (ARCHITECTURE §5). Their names in URLs (plural), in
 * messages (singular) and as top-level keys of a rule document (plural). */
#ifndef RAMPART_CONSOLE_KIND_H
#define RAMPART_CONSOLE_KIND_H

#include <stddef.h>

enum console_kind { CONSOLE_RULESETS, CONSOLE_POLICIES, CONSOLE_CLUSTERS, CONSOLE_KINDS };

extern const char *const console_kind_plural[CONSOLE_KINDS];
extern const char *const console_kind_single[CONSOLE_KINDS];

/* The kind whose plural is s[0..n), or -1. */
int console_kind_parse(const char *s, size_t n);

#endif
