#include "oci_bundle.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <jansson.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

const char *const oci_bundle_default_dirs[] = {
	"/run/containerd/io.containerd.runtime.v2.task",
	"/run/containers/storage/overlay-containers",
	"/run/containerd/runc",
	"/run/runc",
	"/run/docker/runtime-runc/moby",
};
const size_t oci_bundle_ndefault_dirs = sizeof(oci_bundle_default_dirs) / sizeof(oci_bundle_default_dirs[0]);

/* ---- lookup ---------------------------------------------------------- */

static bool is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static void set_str(char *dst, size_t len, const char *src)
{
	snprintf(dst, len, "%s", src ? src : "");
}

/* runc's state.json carries "bundle=<dir>" in config.labels. */
static int bundle_from_runc_state(const char *state, char *path, size_t pathlen)
{
	json_t *root = json_load_file(state, 0, NULL), *labels, *v;
	size_t i;
	int rc = -1;

	labels = json_object_get(json_object_get(root, "config"), "labels");
	json_array_foreach(labels, i, v) {
		const char *s = json_string_value(v);

		if (s && !strncmp(s, "bundle=", 7)) {
			rc = snprintf(path, pathlen, "%s/config.json", s + 7) < (int)pathlen ? 0 : -1;
			break;
		}
	}
	json_decref(root);
	return rc == 0 && is_file(path) ? 0 : -1;
}

/* <base>/<id>/{config.json,userdata/config.json,state.json} */
static int find_in(const char *base, const char *id, char *path, size_t pathlen, char *rt, size_t rtlen)
{
	char state[4096];

	if (snprintf(path, pathlen, "%s/%s/config.json", base, id) < (int)pathlen && is_file(path)) {
		set_str(rt, rtlen, strstr(base, "io.containerd.runtime") ? "containerd" : "");
		return 0;
	}
	if (snprintf(path, pathlen, "%s/%s/userdata/config.json", base, id) < (int)pathlen && is_file(path)) {
		set_str(rt, rtlen, "cri-o");
		return 0;
	}
	if (snprintf(state, sizeof(state), "%s/%s/state.json", base, id) < (int)sizeof(state) &&
	    is_file(state) && bundle_from_runc_state(state, path, pathlen) == 0) {
		set_str(rt, rtlen, "runc");
		return 0;
	}
	return -1;
}

/* One level of namespaces below dir (containerd's k8s.io, moby, ...). */
static int find_in_namespaces(const char *dir, const char *id, char *path, size_t pathlen, char *rt,
			      size_t rtlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char ns[4096];
	int rc = -1;

	while (d && rc < 0 && (e = readdir(d))) {
		if (e->d_name[0] == '.' || (e->d_type != DT_DIR && e->d_type != DT_UNKNOWN))
			continue;
		if (snprintf(ns, sizeof(ns), "%s/%s", dir, e->d_name) < (int)sizeof(ns))
			rc = find_in(ns, id, path, pathlen, rt, rtlen);
	}
	if (d)
		closedir(d);
	return rc;
}

int oci_bundle_find(const char *const *dirs, size_t ndirs, const char *id, char *path, size_t pathlen,
		    char *runtime, size_t runtimelen)
{
	if (!id[0] || strchr(id, '/') || id[0] == '.')
		return -1;
	for (size_t i = 0; i < ndirs; i++) {
		if (find_in(dirs[i], id, path, pathlen, runtime, runtimelen) == 0 ||
		    find_in_namespaces(dirs[i], id, path, pathlen, runtime, runtimelen) == 0)
			return 0;
	}
	return -1;
}

/* ---- parsing --------------------------------------------------------- */

#define META_FIELD(f) offsetof(struct oci_meta, f), sizeof(((struct oci_meta *)0)->f)

/* Annotation -> field; the first present key of a field wins. */
static const struct {
	const char *key;
	size_t off, len;
} annotation_map[] = {
	{"io.kubernetes.cri.container-name", META_FIELD(container_name)},
	{"io.kubernetes.container.name", META_FIELD(container_name)},
	{"io.kubernetes.cri.sandbox-name", META_FIELD(pod_name)},
	{"io.kubernetes.pod.name", META_FIELD(pod_name)},
	{"io.kubernetes.cri.sandbox-namespace", META_FIELD(pod_namespace)},
	{"io.kubernetes.pod.namespace", META_FIELD(pod_namespace)},
	{"io.kubernetes.cri.sandbox-uid", META_FIELD(pod_uid)},
	{"io.kubernetes.pod.uid", META_FIELD(pod_uid)},
	{"io.kubernetes.cri.image-name", META_FIELD(image)},
	{"io.kubernetes.cri-o.ImageName", META_FIELD(image)},
};

/* Where a runtime records a sha256 for the image, most specific first. */
static const char *const digest_keys[] = {
	"io.kubernetes.cri.image-ref",
	"io.kubernetes.cri.image-name",
	"io.kubernetes.cri-o.ImageRef",
	"io.kubernetes.cri-o.ImageName",
	"org.opencontainers.image.base.digest",
};

static void map_annotations(json_t *ann, struct oci_meta *m)
{
	for (size_t i = 0; i < sizeof(annotation_map) / sizeof(annotation_map[0]); i++) {
		const char *v = json_string_value(json_object_get(ann, annotation_map[i].key));
		char *dst = (char *)m + annotation_map[i].off;

		if (v && !dst[0])
			set_str(dst, annotation_map[i].len, v);
	}
}

/* "...sha256:<64 hex>..." -> "sha256:<64 hex>" */
static bool extract_sha256(const char *s, char *out, size_t outlen)
{
	const char *p = s ? strstr(s, "sha256:") : NULL;
	size_t n = 0;

	if (!p)
		return false;
	while (n < 64 && isxdigit((unsigned char)p[7 + n]))
		n++;
	if (n != 64 || isxdigit((unsigned char)p[7 + n]))
		return false;
	snprintf(out, outlen, "%.71s", p);
	return true;
}

static void map_digest(json_t *ann, struct oci_meta *m)
{
	for (size_t i = 0; i < sizeof(digest_keys) / sizeof(digest_keys[0]); i++) {
		if (extract_sha256(json_string_value(json_object_get(ann, digest_keys[i])), m->image_digest,
				   sizeof(m->image_digest)))
			return;
	}
}

static void map_kind(json_t *ann, struct oci_meta *m)
{
	const char *type = json_string_value(json_object_get(ann, "io.kubernetes.cri.container-type"));
	const char *key;
	json_t *v;

	if (!type)
		type = json_string_value(json_object_get(ann, "io.kubernetes.cri-o.ContainerType"));
	m->sandbox = type && !strcmp(type, "sandbox");
	json_object_foreach(ann, key, v) {
		if (!strncmp(key, "io.kubernetes.cri-o.", 20)) {
			set_str(m->runtime, sizeof(m->runtime), "cri-o");
			return;
		}
		if (!strncmp(key, "io.kubernetes.cri.", 18))
			set_str(m->runtime, sizeof(m->runtime), "containerd");
	}
}

static bool array_has_string(json_t *arr, const char *s)
{
	size_t i;
	json_t *v;

	json_array_foreach(arr, i, v) {
		if (json_is_string(v) && !strcmp(json_string_value(v), s))
			return true;
	}
	return false;
}

static bool spec_privileged(json_t *spec)
{
	json_t *bounding = json_object_get(json_object_get(json_object_get(spec, "process"), "capabilities"),
					   "bounding");
	json_t *masked = json_object_get(json_object_get(spec, "linux"), "maskedPaths");

	return array_has_string(bounding, "CAP_SYS_ADMIN") && json_array_size(masked) == 0;
}

static int parse_spec(json_t *spec, struct oci_meta *m, char *err, size_t errlen)
{
	json_t *ann = json_object_get(spec, "annotations");

	if (!json_is_object(spec) || !json_is_object(json_object_get(spec, "process"))) {
		snprintf(err, errlen, "not an OCI runtime spec (no process object)");
		return -1;
	}
	if (ann && !json_is_object(ann)) {
		snprintf(err, errlen, "annotations is not an object");
		return -1;
	}
	map_annotations(ann, m);
	map_digest(ann, m);
	map_kind(ann, m);
	m->privileged = spec_privileged(spec);
	return 0;
}

static int parse_loaded(json_t *spec, const json_error_t *jerr, const char *what, struct oci_meta *m,
			char *err, size_t errlen)
{
	int rc;

	memset(m, 0, sizeof(*m));
	if (!spec) {
		snprintf(err, errlen, "%s:%d:%d: %s", what, jerr->line, jerr->column, jerr->text);
		return -1;
	}
	rc = parse_spec(spec, m, err, errlen);
	json_decref(spec);
	if (rc)
		memset(m, 0, sizeof(*m));
	return rc;
}

int oci_bundle_parse_file(const char *path, struct oci_meta *meta, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *spec = json_load_file(path, JSON_REJECT_DUPLICATES, &jerr);

	return parse_loaded(spec, &jerr, path, meta, err, errlen);
}

int oci_bundle_parse_json(const char *json, size_t len, struct oci_meta *meta, char *err, size_t errlen)
{
	json_error_t jerr;
	json_t *spec = json_loadb(json, len, JSON_REJECT_DUPLICATES, &jerr);

	return parse_loaded(spec, &jerr, "<config.json>", meta, err, errlen);
}
