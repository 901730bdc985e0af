#include "identity.h"

#include "cgroup_resolve.h"
#include "ecs_agent.h"
#include "identity_resolve.h"
#include "oci_bundle.h"
#include "pod_watch.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/vfs.h>
#include <time.h>

#define IDENTITY_WAYS 4
#define IDENTITY_DEFAULT_ENTRIES 1024
#define CGROUP2_SUPER_MAGIC 0x63677270

struct identity_entry {
	uint64_t cgroup_id;       /* 0: free */
	uint64_t used;            /* lookup tick, for least-recently-used eviction */
	uint64_t retry_at_ms;     /* incomplete entries: when to resolve again */
	uint64_t pod_gen;         /* the pod watcher's generation when pod metadata was last copied */
	bool complete;
	bool gone;                /* the directory was missing at the last sweep */
	struct container_identity ci;
};

struct identity {
	struct cgroup_resolver cgroups;
	struct identity_sources src;
	char **state_dirs;
	char *cluster;
	struct identity_entry *entries;
	size_t nsets;             /* power of two */
	uint64_t tick;
	uint32_t retry_ms, sweep_ms;
	uint64_t next_sweep_ms;
	struct container_identity none; /* returned for cgroup id 0 */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static const char *default_cgroup2_root(void)
{
	struct statfs sf;

	if (statfs("/sys/fs/cgroup/unified", &sf) == 0 && sf.f_type == CGROUP2_SUPER_MAGIC)
		return "/sys/fs/cgroup/unified";
	return "/sys/fs/cgroup";
}

static int copy_state_dirs(struct identity *id, const struct identity_config *cfg)
{
	const char *const *dirs = cfg->state_dirs ? cfg->state_dirs : oci_bundle_default_dirs;
	size_t n = cfg->state_dirs ? cfg->nstate_dirs : oci_bundle_ndefault_dirs;

	id->state_dirs = calloc(n ? n : 1, sizeof(char *));
	if (!id->state_dirs)
		return -1;
	for (size_t i = 0; i < n; i++) {
		id->state_dirs[i] = strdup(dirs[i]);
		if (!id->state_dirs[i])
			return -1;
		id->src.nstate_dirs = i + 1;
	}
	id->src.state_dirs = (const char *const *)id->state_dirs;
	return 0;
}

static size_t set_count(size_t entries)
{
	size_t sets = 1;

	while (sets * IDENTITY_WAYS < entries)
		sets <<= 1;
	return sets;
}

static int open_ecs_agent(struct identity *id, const struct identity_config *cfg, char *err, size_t errlen)
{
	struct ecs_agent_config ec = {.url = cfg->ecs_agent_url, .timeout_ms = cfg->ecs_agent_timeout_ms,
				      .retry_min_ms = id->retry_ms};

	if (!cfg->ecs_agent_url || !cfg->ecs_agent_url[0])
		return 0;
	id->src.ecs = ecs_agent_new(&ec, err, errlen);
	return id->src.ecs ? 0 : -1;
}

struct identity *identity_new(const struct identity_config *cfg, char *err, size_t errlen)
{
	struct identity *id = calloc(1, sizeof(*id));
	size_t entries = cfg->cache_entries ? cfg->cache_entries : IDENTITY_DEFAULT_ENTRIES;

	if (!id) {
		snprintf(err, errlen, "identity: out of memory");
		return NULL;
	}
	id->cgroups.rootfd = -1;
	if (cgroup_resolver_open(&id->cgroups, cfg->cgroup2_root ? cfg->cgroup2_root : default_cgroup2_root(),
				 err, errlen)) {
		identity_free(id);
		return NULL;
	}
	id->nsets = set_count(entries);
	id->entries = calloc(id->nsets * IDENTITY_WAYS, sizeof(*id->entries));
	id->cluster = strdup(cfg->cluster ? cfg->cluster : "");
	if (!id->entries || !id->cluster || copy_state_dirs(id, cfg)) {
		snprintf(err, errlen, "identity: out of memory");
		identity_free(id);
		return NULL;
	}
	id->src.cgroups = &id->cgroups;
	id->src.cluster = id->cluster;
	id->src.orchestrator = cfg->orchestrator;
	id->src.pods = cfg->pods;
	id->retry_ms = cfg->retry_ms ? cfg->retry_ms : 1000;
	id->sweep_ms = cfg->sweep_ms ? cfg->sweep_ms : 5000;
	id->next_sweep_ms = now_ms() + id->sweep_ms;
	if (open_ecs_agent(id, cfg, err, errlen)) {
		identity_free(id);
		return NULL;
	}
	id->none.cluster = id->cluster;
	id->none.orchestrator = cfg->orchestrator;
	return id;
}

void identity_free(struct identity *id)
{
	if (!id)
		return;
	cgroup_resolver_close(&id->cgroups);
	ecs_agent_free(id->src.ecs);
	for (size_t i = 0; id->state_dirs && i < id->src.nstate_dirs; i++)
		free(id->state_dirs[i]);
	free(id->state_dirs);
	free(id->cluster);
	free(id->entries);
	free(id);
}

void identity_set_pods(struct identity *id, struct pod_watch *pods)
{
	id->src.pods = pods;
}

static struct identity_entry *set_of(struct identity *id, uint64_t cgroup_id)
{
	uint64_t h = cgroup_id * 0x9e3779b97f4a7c15ULL;

	return &id->entries[(size_t)(h >> 32 & (id->nsets - 1)) * IDENTITY_WAYS];
}

/* The entry holding cgroup_id, or NULL. */
static struct identity_entry *find(struct identity *id, uint64_t cgroup_id)
{
	struct identity_entry *set = set_of(id, cgroup_id);

	for (int w = 0; w < IDENTITY_WAYS; w++) {
		if (set[w].cgroup_id == cgroup_id)
			return &set[w];
	}
	return NULL;
}

/* A free way of cgroup_id's set, else its least recently used one. */
static struct identity_entry *victim(struct identity *id, uint64_t cgroup_id)
{
	struct identity_entry *set = set_of(id, cgroup_id), *v = &set[0];

	for (int w = 0; w < IDENTITY_WAYS; w++) {
		if (!set[w].cgroup_id)
			return &set[w];
		if (set[w].used < v->used)
			v = &set[w];
	}
	return v;
}

static uint64_t pod_generation(const struct identity *id)
{
	return id->src.pods ? pod_watch_generation(id->src.pods) : 0;
}

/* Read before the store is: a change landing meanwhile is caught next time. */
static void refresh_pod(struct identity *id, struct identity_entry *e)
{
	uint64_t gen = pod_generation(id);

	if (gen != e->pod_gen) {
		e->pod_gen = gen;
		identity_apply_pod(&id->src, &e->ci);
	}
}

static void resolve_entry(struct identity *id, struct identity_entry *e, uint64_t cgroup_id)
{
	e->cgroup_id = cgroup_id;
	e->gone = false;
	e->pod_gen = pod_generation(id);
	e->complete = identity_resolve(&id->src, cgroup_id, &e->ci);
	e->retry_at_ms = e->complete ? 0 : now_ms() + id->retry_ms;
}

const struct container_identity *identity_lookup(struct identity *id, uint64_t cgroup_id)
{
	struct identity_entry *e;

	if (!cgroup_id)
		return &id->none;
	if (id->next_sweep_ms <= now_ms())
		identity_sweep(id);
	e = find(id, cgroup_id);
	if (!e) {
		e = victim(id, cgroup_id);
		resolve_entry(id, e, cgroup_id);
	} else if (!e->complete && e->retry_at_ms <= now_ms()) {
		resolve_entry(id, e, cgroup_id);
	} else if (e->ci.pod_uid[0] && id->src.pods) {
		refresh_pod(id, e);
	}
	e->used = ++id->tick;
	return &e->ci;
}

void identity_forget(struct identity *id, uint64_t cgroup_id)
{
	struct identity_entry *e = cgroup_id ? find(id, cgroup_id) : NULL;

	if (e)
		memset(e, 0, sizeof(*e));
}

size_t identity_sweep(struct identity *id)
{
	size_t dropped = 0;

	for (size_t i = 0; i < id->nsets * IDENTITY_WAYS; i++) {
		struct identity_entry *e = &id->entries[i];

		if (!e->cgroup_id || cgroup_path_alive(&id->cgroups, e->ci.cgroup_path, e->cgroup_id)) {
			e->gone = false;
			continue;
		}
		if (e->gone) {
			memset(e, 0, sizeof(*e));
			dropped++;
		} else {
			e->gone = true;
		}
	}
	id->next_sweep_ms = now_ms() + id->sweep_ms;
	return dropped;
}
