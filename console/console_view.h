/* The API's JSON view of a snapshot:
 *   rule     {id, name, description, technique, technique_url (attack.mitre.org),
 *             tactic, tactic_name, severity, events, enabled}
 *   ruleset  {name, description, labels, rules: [{id, enabled, action}],
 *             enabled_rules, policies: [names using it], ecs: [{cluster,
 *             protection_version, isolate, terminate, reason}] for the ECS
 *             clusters whose policy uses it (effective actions there,
 *             evaluator/action_table.h), managed, source}
 *   policy   {name, description, rulesets, clusters: [names using it], managed, source}
 *   cluster  {name, orchestrator, labels, policy, protection_version, managed, source}
 * NULL when out of memory. */
#ifndef RAMPART_CONSOLE_VIEW_H
#define RAMPART_CONSOLE_VIEW_H

#include <jansson.h>

#include "console_snapshot.h"

json_t *console_view_rules(const struct console_snapshot *s);
/* Every entry of a kind, in name order. */
json_t *console_view_list(const struct console_snapshot *s, enum console_kind k);
/* One entry, or NULL (also when there is none: check existence first). */
json_t *console_view_entry(const struct console_snapshot *s, enum console_kind k, const char *name);
/* Names of the policies using ruleset (k = rulesets) or of the clusters
 * using policy (k = policies); an empty array otherwise. */
json_t *console_view_users(const struct console_snapshot *s, enum console_kind k, const char *name);

#endif
