/* Performs one security-relevant action per invocation, for the collector's
 * container tests. Built static so it runs inside the busybox container
 * (copied into its writable layer, which is itself the upper-layer drift
 * case). Exit 0 when the action was attempted as intended.
 *   ptrace | dupsock PORT | unshare | module | memfd | procmem | connect PORT | noop
 *   openloop N     N open+close of /etc/hostname (event load for saturation tests)
 * For the catalog's real-container tests (test_catalog_containers.sh):
 *   connectip ADDR PORT      IPv4 connect (unreachable/refused is fine: the attempt is the event)
 *   execas PATH ARGV0 ARG..  execv PATH with a chosen argv (a copy of busybox runs as any name)
 *   spawn PATH ARGV0 ARG..   the same in a child, waited for (this process is the parent)
 *   execv0 PATH              execve with an empty argv (pkexec CVE-2021-4034 pattern)
 *   open PATH                open read-only
 *   bpf                      bpf(BPF_PROG_LOAD) of a 2-instruction socket filter
 *   uffd                     userfaultfd(UFFD_USER_MODE_ONLY)
 *   fdcwd                    chdir through /proc/self/fd/N of an O_PATH directory fd
 *   setflags FILE            FS_IOC_GETFLAGS + FS_IOC_SETFLAGS (unchanged flags), chattr's ioctl
 *   pokemem                  open /proc/<child>/mem for writing
 *   traceme                  ptrace(PTRACE_TRACEME)
 *   prlimit                  prlimit64 on a child (RLIMIT_NOFILE, unchanged)
 *   rawsock                  AF_PACKET and AF_INET SOCK_RAW sockets
 *   setuid0                  setuid(0)
 * Leading arguments that start with '-' are skipped, so a copy can pose as
 * e.g. `python3 -c connectip ...`. */
#include <arpa/inet.h>
#include <linux/bpf.h>
#include <linux/fs.h>
#include <linux/if_ether.h>
#include <linux/userfaultfd.h>
#include <netinet/in.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
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

static int connect_ip(const char *addr, int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((unsigned short)port)};
	int s = socket(AF_INET, SOCK_STREAM, 0);

	if (s < 0 || inet_pton(AF_INET, addr, &a.sin_addr) != 1)
		return 1;
	connect(s, (struct sockaddr *)&a, sizeof(a)); /* unreachable is fine: the attempt is the event */
	close(s);
	return 0;
}

static pid_t idle_child(void)
{
	pid_t c = fork();

	if (c == 0) {
		pause();
		_exit(0);
	}
	return c;
}

static void reap(pid_t c)
{
	int st;

	kill(c, SIGKILL);
	waitpid(c, &st, 0);
}

static int do_bpf(void)
{
	struct bpf_insn prog[2] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0, .imm = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.prog_type = BPF_PROG_TYPE_SOCKET_FILTER;
	attr.insns = (unsigned long)prog;
	attr.insn_cnt = 2;
	attr.license = (unsigned long)"GPL";
	int fd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &attr, sizeof(attr));
	if (fd >= 0)
		close(fd);
	return 0; /* refused without CAP_BPF: the attempt is the event */
}

static int do_setflags(const char *path)
{
	int fd = open(path, O_RDONLY), flags = 0;

	if (fd < 0 || ioctl(fd, FS_IOC_GETFLAGS, &flags) != 0)
		perror("FS_IOC_GETFLAGS");
	if (fd >= 0 && ioctl(fd, FS_IOC_SETFLAGS, &flags) != 0)
		perror("FS_IOC_SETFLAGS");
	return fd < 0;
}

static int do_pokemem(void)
{
	pid_t c = idle_child();
	char p[64];

	snprintf(p, sizeof(p), "/proc/%d/mem", c);
	int fd = open(p, O_RDWR);
	if (fd >= 0)
		close(fd);
	reap(c);
	return fd < 0;
}

static int do_prlimit(void)
{
	pid_t c = idle_child();
	struct rlimit r;
	int rc = prlimit(c, RLIMIT_NOFILE, NULL, &r) || prlimit(c, RLIMIT_NOFILE, &r, NULL);

	reap(c);
	return rc;
}

static int do_rawsock(void)
{
	int p = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL)), r = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);

	if (p >= 0)
		close(p);
	if (r >= 0)
		close(r);
	return 0; /* refused without CAP_NET_RAW: the attempt is the event */
}

static int do_spawn(char **argv)
{
	pid_t c = fork();
	int st;

	if (c == 0) {
		execv(argv[0], argv + 1);
		_exit(127);
	}
	if (c < 0 || waitpid(c, &st, 0) != c)
		return 1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

int main(int argc, char **argv)
{
	while (argc > 2 && argv[1][0] == '-')
		argv++, argc--;
	const char *a = argc > 1 ? argv[1] : "noop";

	if (!strcmp(a, "connectip") && argc > 3)
		return connect_ip(argv[2], atoi(argv[3]));
	if (!strcmp(a, "execas") && argc > 3) {
		execv(argv[2], argv + 3);
		perror("execv");
		return 1;
	}
	if (!strcmp(a, "spawn") && argc > 3)
		return do_spawn(argv + 2);
	if (!strcmp(a, "execv0") && argc > 2) {
		char *none[] = {NULL}, *envp[] = {NULL};
		execve(argv[2], none, envp);
		perror("execve");
		return 1;
	}
	if (!strcmp(a, "open") && argc > 2) {
		int fd = open(argv[2], O_RDONLY);
		return fd < 0;
	}
	if (!strcmp(a, "bpf"))
		return do_bpf();
	if (!strcmp(a, "uffd")) {
		int fd = (int)syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
		return fd < 0;
	}
	if (!strcmp(a, "fdcwd")) {
		char p[64];
		int fd = open("/", O_PATH | O_DIRECTORY);
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fd);
		return fd < 0 || chdir(p) != 0;
	}
	if (!strcmp(a, "setflags") && argc > 2)
		return do_setflags(argv[2]);
	if (!strcmp(a, "pokemem"))
		return do_pokemem();
	if (!strcmp(a, "traceme"))
		return ptrace(PTRACE_TRACEME, 0, 0, 0) != 0;
	if (!strcmp(a, "prlimit"))
		return do_prlimit();
	if (!strcmp(a, "rawsock"))
		return do_rawsock();
	if (!strcmp(a, "setuid0"))
		return setuid(0) != 0;

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
