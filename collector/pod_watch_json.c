#include "pod_watch_json.h"

#include <stdio.h>
#include <string.h>

#define MIRROR_ANNOTATION "kubernetes.io/config.mirror"

static const char *str_at(const json_t *obj, const char *key)
{
	const char *s = json_string_value(json_object_get(obj, key));

	return s ? s : "";
}

static void copy_cut(char *dst, size_t size, const char *src)
{
	snprintf(dst, size, "%s", src);
}

/* Appends s (with its NUL) to the label text; its offset, or -1 when full. */
static int put_text(struct pod_meta *m, size_t *used, const char *s)
{
	size_t len = strlen(s) + 1, at = *used;

	if (len > sizeof(m->label_text) - at)
		return -1;
	memcpy(m->label_text + at, s, len);
	*used = at + len;
	return (int)at;
}

static void read_labels(const json_t *labels, struct pod_meta *m)
{
	const char *key;
	json_t *value;
	size_t used = 0;

	json_object_foreach((json_t *)labels, key, value) {
		const char *v = json_string_value(value);
		size_t mark = used;
		int k, val;

		if (!v)
			continue;
		if (m->nlabels == POD_MAX_LABELS || (k = put_text(m, &used, key)) < 0 ||
		    (val = put_text(m, &used, v)) < 0) {
			used = mark;
			m->labels_truncated = true;
			continue; /* a shorter label further on may still fit */
		}
		m->label_key[m->nlabels] = (uint16_t)k;
		m->label_value[m->nlabels] = (uint16_t)val;
		m->nlabels++;
	}
}

static void read_owner(const json_t *refs, struct pod_meta *m)
{
	const json_t *owner = json_array_get(refs, 0);
	size_t i;
	json_t *ref;

	json_array_foreach((json_t *)refs, i, ref) {
		if (json_is_true(json_object_get(ref, "controller"))) {
			owner = ref;
			break;
		}
	}
	if (!owner)
		return;
	copy_cut(m->owner_kind, sizeof(m->owner_kind), str_at(owner, "kind"));
	copy_cut(m->owner_name, sizeof(m->owner_name), str_at(owner, "name"));
}

static bool is_finished(const json_t *pod)
{
	const char *phase = str_at(json_object_get(pod, "status"), "phase");

	return !strcmp(phase, "Succeeded") || !strcmp(phase, "Failed");
}

int pod_meta_from_json(const json_t *pod, struct pod_meta *out, char *err, size_t errlen)
{
	const json_t *meta = json_object_get(pod, "metadata"), *spec = json_object_get(pod, "spec");
	const char *mirror = str_at(json_object_get(meta, "annotations"), MIRROR_ANNOTATION);
	const char *uid = *mirror ? mirror : str_at(meta, "uid");
	const char *sa = str_at(spec, "serviceAccountName");

	memset(out, 0, offsetof(struct pod_meta, label_text));
	out->label_text[0] = 0;
	if (!json_is_object(meta))
		return snprintf(err, errlen, "pod without metadata"), -1;
	if (!*uid || strlen(uid) >= sizeof(out->uid))
		return snprintf(err, errlen, "pod %s/%s: no usable uid", str_at(meta, "namespace"),
				str_at(meta, "name")), -1;
	memcpy(out->uid, uid, strlen(uid) + 1);
	copy_cut(out->namespace_, sizeof(out->namespace_), str_at(meta, "namespace"));
	copy_cut(out->name, sizeof(out->name), str_at(meta, "name"));
	/* serviceAccount: the deprecated alias older objects may carry alone */
	copy_cut(out->service_account, sizeof(out->service_account), *sa ? sa : str_at(spec, "serviceAccount"));
	read_owner(json_object_get(meta, "ownerReferences"), out);
	read_labels(json_object_get(meta, "labels"), out);
	out->finished = is_finished(pod);
	return 0;
}
