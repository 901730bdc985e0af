#include "aws_task_role.h"

#include "aws_url.h"

#include <stdio.h>
#include <string.h>

bool aws_task_role_url_allowed(const char *url)
{
	static const char *const agents[] = {"169.254.170.2", "169.254.170.23", "fd00:ec2::23"};
	char host[256];
	bool https;

	if (aws_url_host(url, &https, host, sizeof(host)))
		return false;
	if (https || aws_host_loopback(host))
		return true;
	for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++)
		if (strcmp(host, agents[i]) == 0)
			return true;
	return false;
}

enum aws_creds_status aws_task_role_fetch(struct aws_meta *m, const char *url, const char *auth,
					  struct aws_fetched *out, char *err, size_t errlen)
{
	struct http_response resp = {0};
	enum aws_creds_status st;
	char header[4096];

	if (auth && (strpbrk(auth, "\r\n") ||
		     snprintf(header, sizeof(header), "Authorization: %s", auth) >= (int)sizeof(header))) {
		snprintf(err, errlen, "task-role endpoint: authorization token too long or not one line");
		return AWS_CREDS_FAILED;
	}
	st = aws_meta_request(m, "GET", url, auth ? header : NULL, &resp, err, errlen);
	if (st == AWS_CREDS_OK && aws_cred_json_parse((const char *)resp.body.data, out, err, errlen))
		st = AWS_CREDS_FAILED;
	http_response_free(&resp);
	return st;
}
