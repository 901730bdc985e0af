#include "aws_url.h"

#include <string.h>

int aws_url_host(const char *url, bool *https, char *host, size_t hostlen)
{
	const char *p, *end;

	*https = strncmp(url, "https://", 8) == 0;
	if (!*https && strncmp(url, "http://", 7) != 0)
		return -1;
	p = url + (*https ? 8 : 7);
	if (p[0] == '[')
		end = strchr(++p, ']');
	else
		end = p + strcspn(p, ":/?#");
	if (!end || end == p || (size_t)(end - p) >= hostlen)
		return -1;
	memcpy(host, p, (size_t)(end - p));
	host[end - p] = '\0';
	return 0;
}

bool aws_host_loopback(const char *host)
{
	if (strncmp(host, "127.", 4) == 0 && strspn(host, "0123456789.") == strlen(host))
		return true;
	return strcmp(host, "::1") == 0 || strcmp(host, "localhost") == 0;
}
