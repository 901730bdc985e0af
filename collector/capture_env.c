#include "capture_env.h"

#include <string.h>

/* What the catalog's proc.env conditions read (RP2209 GLIBC_TUNABLES,
 * RP2704 proxies and proxychains/torsocks, RP3002 npm lifecycle) plus the
 * loader and package-index variables an attacker sets for the same ends.
 * Both spellings of the proxy variables: curl and most tools honour both. */
static const char *const defaults[] = {
	"http_proxy", "https_proxy", "ftp_proxy", "all_proxy", "no_proxy",
	"HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "ALL_PROXY", "NO_PROXY",
	"PROXYCHAINS_CONF_FILE", "TORSOCKS_CONF_FILE",
	"LD_PRELOAD", "LD_LIBRARY_PATH", "LD_AUDIT", "GLIBC_TUNABLES",
	"npm_lifecycle_event", "npm_lifecycle_script", "npm_package_name",
	"PIP_INDEX_URL", "PIP_EXTRA_INDEX_URL",
};

const char *const *capture_env_defaults(size_t *n)
{
	*n = sizeof(defaults) / sizeof(defaults[0]);
	return defaults;
}

int capture_env_key(const char *name, struct rk_env_key *k)
{
	size_t n = strlen(name);

	if (n == 0 || n >= RK_ENV_NAME_LEN || strchr(name, '='))
		return -1;
	memset(k, 0, sizeof(*k)); /* the kernel's key is NUL padded: the hash covers all of it */
	memcpy(k->s, name, n);
	return 0;
}

uint32_t capture_env_split(const char *p, size_t n, struct rp_str *out, uint32_t max)
{
	uint32_t count = 0;
	size_t at = 0;

	while (at < n && count < max) {
		size_t len = strnlen(p + at, n - at);
		const char *eq = memchr(p + at, '=', len);

		if (eq && eq != p + at)
			out[count++] = (struct rp_str){p + at, (uint32_t)len};
		at += len + 1;
	}
	return count;
}
