/* libFuzzer target: configuration files are outside input. Any byte string
 * must load or fail with a message, never crash or leak. */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[64], err[512];
	struct config *cfg;
	struct transport_prop props[4];
	int fd = memfd_create("fuzz-config", 0);

	if (fd < 0)
		return 0;
	if (write(fd, data, size) == (ssize_t)size) {
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		cfg = config_load(path, NULL, err, sizeof(err));
		if (cfg) {
			(void)config_get(cfg, "kafka.bootstrap.servers", NULL);
			(void)config_section(cfg, "kafka.", props, 4);
		}
		config_free(cfg);
	}
	close(fd);
	return 0;
}
