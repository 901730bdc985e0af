/* Starts registry_server.py (a Confluent-compatible registry on a free
 * loopback port) for a cmocka group and stops it afterwards. */
#ifndef RAMPART_TEST_REGISTRY_FIXTURE_H
#define RAMPART_TEST_REGISTRY_FIXTURE_H

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

struct registry_fixture {
	pid_t pid;
	char url[64];
};

static struct registry_fixture fx;

static int start_registry(void **state)
{
	int pipefd[2];
	char line[32] = {0};
	FILE *out;

	(void)state;
	if (pipe(pipefd))
		return -1;
	fx.pid = fork();
	if (fx.pid == 0) {
		dup2(pipefd[1], STDOUT_FILENO);
		close(pipefd[0]);
		execlp("python3", "python3", REGISTRY_SERVER, (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	out = fdopen(pipefd[0], "r");
	if (!out || !fgets(line, sizeof(line), out) || atoi(line) <= 0)
		return -1;
	fclose(out);
	snprintf(fx.url, sizeof(fx.url), "http://127.0.0.1:%d", atoi(line));
	return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

static int stop_registry(void **state)
{
	(void)state;
	if (fx.pid > 0) {
		kill(fx.pid, SIGTERM);
		waitpid(fx.pid, NULL, 0);
	}
	curl_global_cleanup();
	return 0;
}

#endif
