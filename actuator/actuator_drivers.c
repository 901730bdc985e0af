#include "actuator_drivers.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "actuator.h"
#include "ecs_driver.h"
#include "kube_driver.h"
#include "local_driver.h"
#include "service_log.h"

static bool env_set(const char *name)
{
	const char *v = getenv(name);
	return v && *v;
}

static bool wanted(enum act_enable e, bool credentials_present)
{
	return e == ACT_ENABLE_ON || (e == ACT_ENABLE_AUTO && credentials_present);
}

static struct act_driver *kube_new(const struct actuator_config *ac, char *err, size_t errlen)
{
	struct kube_driver_options o = {
		.kubeconfig = ac->kubeconfig, .context = ac->kube_context,
		.token_path = ac->kube_token_file, .ca_path = ac->kube_ca_file,
		.grace_period_set = true, .grace_period_s = ac->kube_grace_period_s,
		.timeout_ms = ac->request_timeout_ms,
	};
	return kube_driver_new(&o, err, errlen);
}

static struct act_driver *ecs_new(const struct actuator_config *ac, char *err, size_t errlen)
{
	struct ecs_driver_options o = {
		.region = ac->ecs_region, .endpoint = ac->ecs_endpoint, .timeout_ms = ac->request_timeout_ms,
	};
	return ecs_driver_new(&o, err, errlen);
}

static void local_options(const struct actuator_config *ac, struct local_driver_options *o)
{
	*o = (struct local_driver_options){.cgroup2_root = ac->cgroup2_root, .state_dir = ac->state_dir};
}

static struct act_driver *local_new(const struct actuator_config *ac, char *err, size_t errlen)
{
	struct local_driver_options o;

	local_options(ac, &o);
	return local_driver_new(&o, err, errlen);
}

/* One driver: 0 installed or left out, -1 when required and failing. */
static int install(struct actuator *a, enum rp_orchestrator orch, const char *name, enum act_enable e, bool found,
		   struct act_driver *(*make)(const struct actuator_config *, char *, size_t),
		   const struct actuator_config *ac, char *err, size_t errlen)
{
	struct act_driver *d;

	if (!wanted(e, found)) {
		service_info("driver off", json_pack("{s:s, s:s}", "driver", name, "why",
						     e == ACT_ENABLE_OFF ? "disabled" : "no credentials found"));
		return 0;
	}
	d = make(ac, err, errlen);
	if (!d) {
		if (e == ACT_ENABLE_ON)
			return -1;
		service_warn("driver off", json_pack("{s:s, s:s}", "driver", name, "error", err));
		return 0;
	}
	actuator_set_driver(a, orch, d);
	service_info("driver on", json_pack("{s:s, s:s}", "driver", name, "actor", d->actor(d)));
	return 0;
}

int actuator_drivers_install(struct actuator *a, const struct actuator_config *ac, char *err, size_t errlen)
{
	bool kube_found = ac->kubeconfig || env_set("KUBERNETES_SERVICE_HOST");
	bool ecs_found = ac->ecs_region || ac->ecs_endpoint || env_set("AWS_REGION") || env_set("AWS_DEFAULT_REGION") ||
			 env_set("ECS_CONTAINER_METADATA_URI_V4");

	return install(a, RP_ORCH_KUBERNETES, "kubernetes", ac->kubernetes, kube_found, kube_new, ac, err, errlen) ||
	       install(a, RP_ORCH_ECS, "ecs", ac->ecs, ecs_found, ecs_new, ac, err, errlen) ||
	       install(a, RP_ORCH_NONE, "local", ac->local, geteuid() == 0, local_new, ac, err, errlen);
}
