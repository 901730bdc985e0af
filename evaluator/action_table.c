#include "action_table.h"

#include <stdio.h>

#include "doc.h"

const unsigned action_min_terminate_version[4] = {2, 2, 3, 0};

enum rp_action action_effective(enum rp_orchestrator orch, const unsigned version[4], enum rp_action requested,
				char *reason, size_t n)
{
	if (n)
		reason[0] = 0;
	if (orch != RP_ORCH_ECS || requested == RP_ACTION_LOG)
		return requested;
	if (requested == RP_ACTION_ISOLATE) {
		snprintf(reason, n, "isolate is not available on ECS clusters; logged instead");
		return RP_ACTION_LOG;
	}
	if (doc_version_cmp(version, action_min_terminate_version) < 0) {
		snprintf(reason, n, "terminate needs ECS protection_version >= 2.2.3, cluster runs %u.%u.%u; logged "
			 "instead", version[0], version[1], version[2]);
		return RP_ACTION_LOG;
	}
	return RP_ACTION_TERMINATE;
}
