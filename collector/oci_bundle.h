/* A container's OCI bundle: where the runtime keeps it, and what its
 * config.json says about the workload.
 *
 * Lookup searches each configured state directory for the container id in
 * the layouts runtimes use:
 *   <dir>/<id>/config.json           a bundle root (containerd task dir of one namespace)
 *   <dir>/<ns>/<id>/config.json      containerd: /run/containerd/io.containerd.runtime.v2.task
 *   <dir>/<id>/userdata/config.json  CRI-O: /run/containers/storage/overlay-containers
 *   <dir>[/<ns>]/<id>/state.json     runc --root (/run/runc, /run/containerd/runc):
 *                                    the "bundle=" label names the bundle
 * Parsing reads the annotations containerd's CRI plugin (io.kubernetes.cri.*)
 * and CRI-O (io.kubernetes.pod.*, io.kubernetes.container.name,
 * io.kubernetes.cri-o.*) write.
 *
 * Privileged: the spec grants CAP_SYS_ADMIN in the bounding set AND masks no
 * paths (linux.maskedPaths absent or empty). That is what containerd, CRI-O
 * and Docker generate for a privileged container, and it holds for any
 * container that can undo its own confinement (SYS_ADMIN with /proc and
 * /sys unmasked), whatever annotation says otherwise. */
#ifndef RAMPART_COLLECTOR_OCI_BUNDLE_H
#define RAMPART_COLLECTOR_OCI_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>

struct oci_meta {
	char container_name[128];
	char pod_name[256], pod_namespace[64], pod_uid[40];
	char image[256];
	char image_digest[80];     /* "sha256:<64 hex>" or "" */
	char runtime[16];          /* containerd, cri-o, runc; "" when unknown */
	bool sandbox;              /* the pod's pause/infra container */
	bool privileged;
};

/* The built-in state directories (containerd, CRI-O, runc, Docker). */
extern const char *const oci_bundle_default_dirs[];
extern const size_t oci_bundle_ndefault_dirs;

/* Finds <id>'s config.json. 0 with path (and a runtime guess from the
 * layout, possibly "") filled, -1 when not found. */
int oci_bundle_find(const char *const *dirs, size_t ndirs, const char *id, char *path, size_t pathlen,
		    char *runtime, size_t runtimelen);

/* Parses a config.json. 0, or -1 with err filled (meta then zeroed). */
int oci_bundle_parse_file(const char *path, struct oci_meta *meta, char *err, size_t errlen);
int oci_bundle_parse_json(const char *json, size_t len, struct oci_meta *meta, char *err, size_t errlen);

#endif
