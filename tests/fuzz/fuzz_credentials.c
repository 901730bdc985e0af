/* libFuzzer target: the parsers of credentials the actuator and the
 * collector read from outside — kubeconfig files (lib/kube_kubeconfig.c),
 * the ExecCredential a plugin prints (lib/kube_exec_parse.c), the
 * temporary-credentials document of the ECS task-role endpoint and IMDS
 * (actuator/aws_cred_json.c), RFC 3339 / ISO 8601 times and a JWT's
 * subject. The first byte picks the parser; the rest is its input. Parsing
 * must never crash, leak or read out of bounds. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "aws_cred_json.h"
#include "kube_auth.h"
#include "kube_exec.h"

/* A kubeconfig is read from a path: the input becomes an in-memory file. */
static void kubeconfig(const uint8_t *p, size_t n)
{
	char path[64], err[512];
	struct kube_auth *a;
	int fd = memfd_create("kubeconfig", 0);

	if (fd < 0)
		abort();
	if (n && write(fd, p, n) != (ssize_t)n)
		abort();
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	a = kube_auth_from_kubeconfig(path, NULL, err, sizeof(err));
	kube_auth_free(a);
	close(fd);
}

static void exec_credential(const char *text, size_t n)
{
	struct kube_exec_config c = {.api_version = "client.authentication.k8s.io/v1", .command = "plugin"};
	struct kube_exec_cred out;
	char err[512];

	if (kube_exec_parse(&c, text, n, &out, err, sizeof(err)) == KUBE_CRED_OK)
		kube_exec_cred_free(&out);
	c.api_version = "client.authentication.k8s.io/v1beta1";
	if (kube_exec_parse(&c, text, n, &out, err, sizeof(err)) == KUBE_CRED_OK)
		kube_exec_cred_free(&out);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_fetched fetched;
	char *text, err[512], sub[256];

	if (size == 0)
		return 0;
	text = malloc(size); /* NUL-terminated copy of the input after the selector */
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = 0;
	switch (data[0] % 4) {
	case 0: kubeconfig(data + 1, size - 1); break;
	case 1: exec_credential(text, size - 1); break;
	case 2: aws_cred_json_parse(text, &fetched, err, sizeof(err)); break;
	default:
		(void)kube_rfc3339(text);
		(void)aws_iso8601_seconds(text);
		(void)kube_jwt_subject(text, sub, sizeof(sub));
	}
	free(text);
	return 0;
}
