/* Performs one security-relevant action per invocation, for the collector's
 * container tests. Built static so it runs inside the busybox container
 * (copied into its writable layer, which is itself the upper-layer drift
 * case). Exit 0 when the action was attempted as intended.
 *   ptrace | dupsock PORT | unshare | module | memfd | procmem | connect PORT | noop
 *   openloop N     N open+close of /etc/hostname (event load for saturation tests) */
#include <arpa/inet.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

static int connect_port(int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	int s = socket(AF_INET, SOCK_STREAM, 0);

	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	if (s < 0)
		return -1;
	connect(s, (struct sockaddr *)&a, sizeof(a)); /* refused is fine: the attempt is the event */
	return s;
}

static int do_ptrace(void)
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		pause();
		_exit(0);
	}
	if (ptrace(PTRACE_ATTACH, c, 0, 0) != 0)
		perror("ptrace");
	waitpid(c, &st, 0);
	kill(c, SIGKILL);
	waitpid(c, &st, 0);
	printf("child %d\n", c);
	return 0;
}

/* A reverse shell's first step: the socket becomes stdin. */
static int do_dupsock(int port)
{
	int s = connect_port(port);

	return s < 0 || dup2(s, 0) != 0;
}

static int do_memfd(const char *self)
{
	int fd = memfd_create("rampart-fileless", MFD_CLOEXEC), in = open(self, O_RDONLY);
	char buf[65536];
	ssize_t n;
	char *argv[] = {"fileless", "noop", NULL}, *envp[] = {NULL};

	if (fd < 0 || in < 0)
		return 1;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n)
			return 1;
	close(in);
	fexecve(fd, argv, envp);
	perror("fexecve");
	return 1;
}

int main(int argc, char **argv)
{
	const char *a = argc > 1 ? argv[1] : "noop";

	if (!strcmp(a, "ptrace"))
		return do_ptrace();
	if (!strcmp(a, "dupsock") && argc > 2)
		return do_dupsock(atoi(argv[2]));
	if (!strcmp(a, "connect") && argc > 2)
		return connect_port(atoi(argv[2])) < 0;
	if (!strcmp(a, "unshare"))
		return unshare(CLONE_NEWUTS) != 0;
	if (!strcmp(a, "module")) { /* refused (no CAP_SYS_MODULE / not a module): the attempt is the event */
		int fd = open("/bin/busybox", O_RDONLY);
		syscall(SYS_finit_module, fd, "", 0);
		syscall(SYS_init_module, "", (unsigned long)0, "");
		return 0;
	}
	if (!strcmp(a, "memfd"))
		return do_memfd("/proc/self/exe");
	if (!strcmp(a, "procmem")) {
		char p[64];
		snprintf(p, sizeof(p), "/proc/%d/mem", getpid());
		int fd = open(p, O_RDWR);
		return fd < 0;
	}
	if (!strcmp(a, "openloop") && argc > 2) {
		for (long i = 0, n = atol(argv[2]); i < n; i++) {
			int fd = open("/etc/hostname", O_RDONLY);
			if (fd >= 0)
				close(fd);
		}
		return 0;
	}
	return strcmp(a, "noop") != 0;
}
