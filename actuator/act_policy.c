#include "act_policy.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "action_table.h"
#include "doc.h"

struct act_policy {
	struct rules_doc *doc; /* NULL: no documents */
};

struct act_policy *act_policy_load(const char *const *paths, size_t n, struct diag *d)
{
	struct act_policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	if (n == 0)
		return p;
	p->doc = doc_load_paths(paths, n, d);
	if (!p->doc || diag_count(d)) {
		act_policy_free(p);
		return NULL;
	}
	return p;
}

void act_policy_free(struct act_policy *p)
{
	if (!p)
		return;
	if (p->doc)
		doc_free(p->doc);
	free(p);
}

static const struct doc_cluster *cluster_of(const struct act_policy *p, struct rp_str name)
{
	char buf[256];
	const struct doc_cluster *c;

	if (!p || !p->doc)
		return NULL;
	if (name.len < sizeof(buf)) {
		memcpy(buf, name.ptr, name.len);
		buf[name.len] = 0;
		if ((c = doc_find_cluster(p->doc, buf)))
			return c;
	}
	return doc_find_cluster(p->doc, "default");
}

enum rp_action act_policy_allowed(const struct act_policy *p, const struct rp_event *ev, enum rp_action requested,
				  char *reason, size_t n)
{
	static const unsigned unknown_version[4] = {0, 0, 0, 0};
	const struct doc_cluster *c = cluster_of(p, ev->cluster);
	const unsigned *version = c ? c->version : unknown_version;
	char why_event[256], why_cluster[256] = "";
	enum rp_action allowed = action_effective(ev->orchestrator, version, requested, why_event, sizeof(why_event));

	if (c) {
		enum rp_action by_cluster =
			action_effective(c->orchestrator, version, requested, why_cluster, sizeof(why_cluster));
		if (by_cluster < allowed) {
			snprintf(reason, n, "cluster %s: %s", c->name, why_cluster);
			return by_cluster;
		}
	}
	if (allowed < requested && ev->orchestrator == RP_ORCH_ECS && !c)
		snprintf(reason, n, "%s (no cluster entry, so the ECS protection version is unknown)", why_event);
	else
		snprintf(reason, n, "%s", why_event);
	return allowed;
}
