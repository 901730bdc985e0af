/* One Kubernetes Pod object (JSON, as the API server serves it) into the
 * struct pod_meta the pod watcher stores (collector/pod_cache.h).
 *
 * The key is metadata.uid, except for a mirror pod (the API server's copy
 * of a kubelet static pod), whose containers run under the static pod's
 * uid, given in its kubernetes.io/config.mirror annotation. The owner is
 * the ownerReference with controller: true, else the first one. Strings
 * longer than their field are cut; labels beyond the bounds are dropped
 * (labels_truncated). */
#ifndef RAMPART_COLLECTOR_POD_WATCH_JSON_H
#define RAMPART_COLLECTOR_POD_WATCH_JSON_H

#include <jansson.h>
#include <stddef.h>

#include "pod_cache.h"

/* 0, or -1 with err when pod is not an object with a usable uid. */
int pod_meta_from_json(const json_t *pod, struct pod_meta *out, char *err, size_t errlen);

#endif
