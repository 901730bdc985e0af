#include "cgroup_path.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* One path component, not NUL-terminated. */
struct comp {
	const char *p;
	size_t n;
};

static bool comp_is(struct comp c, const char *s)
{
	return c.n == strlen(s) && !memcmp(c.p, s, c.n);
}

static bool has_prefix(struct comp c, const char *s)
{
	size_t n = strlen(s);

	return c.n >= n && !memcmp(c.p, s, n);
}

static bool has_suffix(struct comp c, const char *s)
{
	size_t n = strlen(s);

	return c.n >= n && !memcmp(c.p + c.n - n, s, n);
}

static bool all_hex(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]))
			return false;
	}
	return n > 0;
}

/* hex, '-' and (systemd escaping) '_' */
static bool is_uid_chars(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!isxdigit((unsigned char)p[i]) && p[i] != '-' && p[i] != '_')
			return false;
	}
	return n > 0;
}

static void copy_lower(char *dst, const char *src, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dst[i] = (char)tolower((unsigned char)src[i]);
	dst[n] = '\0';
}

/* "<prefix><64 hex><suffix>" -> the id, else NULL. */
static const char *id_between(struct comp c, const char *prefix, const char *suffix)
{
	size_t pn = strlen(prefix), sn = strlen(suffix);

	if (c.n != pn + CGROUP_ID_LEN + sn || !has_prefix(c, prefix) || !has_suffix(c, suffix))
		return NULL;
	return all_hex(c.p + pn, CGROUP_ID_LEN) ? c.p + pn : NULL;
}

static bool is_bare_id(struct comp c)
{
	return c.n == CGROUP_ID_LEN && all_hex(c.p, c.n);
}

static bool set_pod_uid(struct cgroup_container *out, const char *p, size_t n)
{
	if (n >= sizeof(out->pod_uid) || !is_uid_chars(p, n))
		return false;
	copy_lower(out->pod_uid, p, n);
	for (char *s = out->pod_uid; *s; s++) {
		if (*s == '_')
			*s = '-';
	}
	return true;
}

/* cgroupfs "pod<uid>" below a kubepods dir, or systemd
 * "kubepods[-<qos>]-pod<uid_with_underscores>.slice". */
static bool match_pod(struct comp c, bool under_kubepods, struct cgroup_container *out)
{
	if (under_kubepods && has_prefix(c, "pod") && !has_suffix(c, ".slice"))
		return set_pod_uid(out, c.p + 3, c.n - 3);
	if (has_prefix(c, "kubepods") && has_suffix(c, ".slice")) {
		const char *end = c.p + c.n - strlen(".slice");

		for (const char *s = end - 1; s >= c.p + 3; s--) {
			if (!memcmp(s - 3, "-pod", 4))
				return set_pod_uid(out, s + 1, (size_t)(end - s - 1));
		}
	}
	return false;
}

static bool match_ecs_task(struct comp c, struct comp prev, struct cgroup_container *out)
{
	const char *p = NULL;

	if (comp_is(prev, "ecs") && c.n == 32 && all_hex(c.p, 32))
		p = c.p;
	else if (c.n == strlen("ecstasks-.slice") + 32 && has_prefix(c, "ecstasks-") &&
		 has_suffix(c, ".slice") && all_hex(c.p + 9, 32))
		p = c.p + 9;
	if (!p)
		return false;
	copy_lower(out->ecs_task_id, p, 32);
	return true;
}

static void set_container(struct cgroup_container *out, enum cgroup_runtime rt, const char *id, size_t n)
{
	out->runtime = rt;
	copy_lower(out->id, id, n);
}

/* The systemd-driver scope names, and CRI-O's cgroupfs "crio-<id>". */
static bool match_scope(struct comp c, struct cgroup_container *out)
{
	static const struct {
		const char *prefix, *suffix;
		enum cgroup_runtime rt;
	} scopes[] = {
		{"cri-containerd-", ".scope", CGROUP_RT_CONTAINERD},
		{"crio-", ".scope", CGROUP_RT_CRIO},
		{"crio-", "", CGROUP_RT_CRIO},
		{"docker-", ".scope", CGROUP_RT_DOCKER},
		{"libpod-", ".scope", CGROUP_RT_PODMAN},
	};
	const char *id;

	/* Monitors, not containers: crio-conmon-<id>, libpod-conmon-<id>. */
	if (has_prefix(c, "crio-conmon-") || has_prefix(c, "libpod-conmon-"))
		return false;
	for (size_t i = 0; i < sizeof(scopes) / sizeof(scopes[0]); i++) {
		id = id_between(c, scopes[i].prefix, scopes[i].suffix);
		if (id) {
			set_container(out, scopes[i].rt, id, CGROUP_ID_LEN);
			return true;
		}
	}
	return false;
}

/* /ecs/<task>/<id>: Docker ids are 64 hex, Fargate's "<task>-<n>". */
static bool match_ecs_container(struct comp c, struct comp prev, struct comp prev2,
				struct cgroup_container *out)
{
	if (!comp_is(prev2, "ecs") || prev.n != 32 || !all_hex(prev.p, 32))
		return false;
	if (c.n == 0 || c.n > CGROUP_ID_LEN || !is_uid_chars(c.p, c.n) || memchr(c.p, '_', c.n))
		return false;
	set_container(out, CGROUP_RT_ECS, c.p, c.n);
	return true;
}

static bool match_container(struct comp c, struct comp prev, struct comp prev2, bool prev_is_pod,
			    struct cgroup_container *out)
{
	if (match_scope(c, out) || match_ecs_container(c, prev, prev2, out))
		return true;
	if (!is_bare_id(c))
		return false;
	if (comp_is(prev, "docker"))
		set_container(out, CGROUP_RT_DOCKER, c.p, c.n);
	else if (prev_is_pod)
		set_container(out, CGROUP_RT_CONTAINERD, c.p, c.n);
	else
		set_container(out, CGROUP_RT_UNKNOWN, c.p, c.n);
	return true;
}

bool cgroup_path_parse(const char *path, struct cgroup_container *out)
{
	struct cgroup_container found = {0}, cur = {0};
	struct comp prev = {"", 0}, prev2 = {"", 0}, c;
	bool under_kubepods = false, prev_is_pod = false;

	*out = found;
	if (!path)
		return false;
	for (const char *s = path; *s;) {
		while (*s == '/')
			s++;
		if (!*s)
			break;
		c.p = s;
		c.n = strcspn(s, "/");
		s += c.n;
		if (match_container(c, prev, prev2, prev_is_pod, &cur))
			found = cur;
		prev_is_pod = match_pod(c, under_kubepods, &cur);
		match_ecs_task(c, prev, &cur);
		under_kubepods = under_kubepods || has_prefix(c, "kubepods");
		prev2 = prev;
		prev = c;
	}
	*out = found;
	return found.runtime != CGROUP_RT_NONE;
}

const char *cgroup_runtime_name(enum cgroup_runtime rt)
{
	switch (rt) {
	case CGROUP_RT_CONTAINERD: return "containerd";
	case CGROUP_RT_CRIO: return "cri-o";
	case CGROUP_RT_DOCKER: return "docker";
	case CGROUP_RT_PODMAN: return "podman";
	case CGROUP_RT_ECS: return "ecs";
	case CGROUP_RT_NONE:
	case CGROUP_RT_UNKNOWN: break;
	}
	return "";
}
