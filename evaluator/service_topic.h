/* Managed configuration from the compacted rampart.rulesets topic, where
 * the console and tooling publish rulesets, policies and clusters.
 *
 * Each record is one document: key = its name, value = a rule document in
 * the file format (YAML or JSON: `rulesets:`, `policies:`, `clusters:`),
 * an empty value (tombstone) deletes it. The topic is materialised into a
 * directory, one file per key, written atomically; that directory is one
 * of the evaluator's rule paths, so the file watcher reloads it, errors
 * name the file (and so the key) with line:col, and a rejected document
 * leaves the running configuration in force.
 *
 * service_topic_start reads the whole topic before it returns (so the
 * first configuration already includes it), then follows it on a thread. */
#ifndef RAMPART_SERVICE_TOPIC_H
#define RAMPART_SERVICE_TOPIC_H

#include <stddef.h>

#include "transport.h"

struct service_topic;

struct service_topic *service_topic_start(const struct transport_config *kafka, const char *topic,
					  const char *dir, int sync_timeout_ms, char *err, size_t errlen);
void service_topic_stop(struct service_topic *t);

#endif
