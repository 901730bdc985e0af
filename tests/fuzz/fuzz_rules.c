/* libFuzzer target: rule files are outside input (users write them, the
 * rulesets topic carries them). Any bytes must compile or fail with
 * file:line:col diagnostics, never crash or leak. The input goes through a
 * memfd so the real file loader (YAML + condition language + tables) runs. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

#include "evaluator.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64];
	struct diag d = {0};
	int fd = memfd_create("fuzz-rules", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		const char *paths[] = {path};
		struct eval_config *cfg = eval_config_load(paths, 1, &d);
		if (cfg) {
			struct evaluator *e = evaluator_new();
			struct rp_event ev = {.type = RP_EV_EXEC, .node = RP_STR("n"), .cluster = RP_STR("default")};
			struct rp_verdict v;
			if (e)
				evaluator_eval(e, cfg, &ev, &v);
			evaluator_free(e);
		}
		eval_config_unref(cfg);
	}
	diag_free(&d);
	close(fd);
	return 0;
}
