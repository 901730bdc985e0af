/* Shared by the C programs that test against the real kube-apiserver
 * (tests/integration/with-kube): running a shell command and kubectl as the
 * fixture's admin. The including file defines env(NAME), which returns the
 * variable or fails the test. cmocka.h must be included first. */
#ifndef RAMPART_KUBE_TEST_UTIL_H
#define RAMPART_KUBE_TEST_UTIL_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>

static const char *env(const char *name);

/* Runs a shell command that must succeed; its stdout without the trailing
 * newline (caller frees). */
static char *run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *run(const char *fmt, ...)
{
	char cmd[4096], *out = NULL;
	size_t len = 0;
	FILE *p, *mem = open_memstream(&out, &len);
	va_list ap;
	int c, status;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	assert_non_null(mem);
	p = popen(cmd, "r");
	assert_non_null(p);
	while ((c = fgetc(p)) != EOF)
		fputc(c, mem);
	status = pclose(p);
	fclose(mem);
	if (!WIFEXITED(status) || WEXITSTATUS(status))
		fail_msg("command failed (%d): %s", status, cmd);
	if (len && out[len - 1] == '\n')
		out[len - 1] = 0;
	return out;
}

/* kubectl as the fixture's admin: KUBECTL "get pods", KARGS */
#define KUBECTL "'%s' --kubeconfig '%s' "
#define KARGS env("RAMPART_TEST_KUBECTL"), env("RAMPART_TEST_KUBE_ADMIN_KUBECONFIG")

#endif
