/* Kernel record -> rp_event conversion (collector/capture_decode*.c) and the
 * path helpers, on hand-built records laid out as bpf/capture.bpf.c writes
 * them. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include <cmocka.h>

#include "capture_decode.h"
#include "capture_env.h"
#include "capture_paths.h"

static union {
	struct rk_record r;
	unsigned char b[sizeof(struct rk_record) + RK_DATA_MAX];
} rec;
static struct capture_strings st;
static struct event_scratch sc;
static struct rp_event ev;

#define STR_EQ(v, lit) assert_true((v).len == strlen(lit) && memcmp((v).ptr, lit, (v).len) == 0)

static void put(enum rk_str slot, const char *s, size_t n, int comp)
{
	rec.r.str_off[slot] = (unsigned short)rec.r.data_len;
	rec.r.str_len[slot] = (unsigned short)n;
	memcpy(rec.r.data + rec.r.data_len, s, n);
	rec.r.data_len += (unsigned)n + (comp ? 0 : 1);
	if (comp)
		rec.r.str_comp |= 1u << slot;
}

static void init(unsigned short kind, int nr)
{
	memset(&rec, 0, sizeof(rec));
	rec.r.kind = kind, rec.r.nr = (unsigned short)nr, rec.r.time_ns = 1000;
	rec.r.proc.pid = 42, rec.r.proc.tid = 43, rec.r.proc.ppid = 1, rec.r.proc.loginuid = UINT32_MAX;
	rec.r.proc.start_ns = 500;
	memcpy(rec.r.proc.comm, "sh", 2);
	memcpy(rec.r.proc.pcomm, "containerd-shim", 15);
	put(RK_S_EXE, "sh\0bin\0", 7, 1);
}

static int decode(void)
{
	return capture_decode(&rec, sizeof(rec.r) + rec.r.data_len, 10, &ev, &st, &sc);
}

static void test_paths(void **s)
{
	char out[64];

	(void)s;
	capture_path_from_comps("sh\0bin\0", 7, out, sizeof(out));
	assert_string_equal(out, "/bin/sh");
	capture_path_from_comps("", 0, out, sizeof(out));
	assert_string_equal(out, "/");
	capture_path_resolve("/var/lib", "../log/./x//y", out, sizeof(out));
	assert_string_equal(out, "/var/log/x/y");
	capture_path_resolve("/tmp", "/etc/../etc/shadow", out, sizeof(out));
	assert_string_equal(out, "/etc/shadow");
	capture_path_resolve("/", "../../a", out, sizeof(out));
	assert_string_equal(out, "/a");
	capture_path_resolve("/a", "b", out, 5); /* cut, still terminated */
	assert_string_equal(out, "/a/b");
}

static void test_exec(void **s)
{
	(void)s;
	init(RK_EXEC, 0);
	rec.r.proc.flags = RK_F_EXE_UPPER | RK_F_EXE_WRITABLE;
	put(RK_S_CWD, "tmp\0", 4, 1);
	put(RK_S_ARGV, "sh\0-c\0id\0", 9, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_EXEC);
	STR_EQ(ev.syscall, "sched_process_exec");
	STR_EQ(ev.process.exe, "/bin/sh");
	STR_EQ(ev.process.cwd, "/tmp");
	STR_EQ(ev.process.parent_comm, "containerd-shim");
	assert_int_equal(ev.process.nargs, 3);
	STR_EQ(ev.process.args[1], "-c");
	STR_EQ(ev.process.args[2], "id");
	assert_true(ev.process.exe_upper_layer && ev.process.exe_writable && !ev.process.exe_from_memfd);
	assert_int_equal(ev.process.loginuid, -1);
	assert_int_equal(ev.time_ns, 1010);
	assert_int_equal(ev.process.start_time_ns, 510);
	assert_int_equal(ev.args_kind, RP_ARGS_NONE);
}

static void test_open_relative(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_openat);
	rec.r.args[0] = (unsigned long long)-100, rec.r.aux = 0101, rec.r.args[3] = 0644, rec.r.result = 3;
	put(RK_S_PATH, "../etc/shadow", 13, 0);
	put(RK_S_BASE, "root\0", 5, 1);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_OPEN);
	assert_int_equal(ev.args_kind, RP_ARGS_FILE);
	STR_EQ(ev.args.file.path, "/etc/shadow");
	assert_int_equal(ev.args.file.flags, 0101);
	assert_int_equal(ev.args.file.mode, 0644);
	assert_int_equal(ev.args.file.fd, 3);
}

/* Syscall events carry the process's current argv (the kernel's first
 * RK_SYS_ARGV_MAX bytes of it): complete when it ends with a NUL, otherwise
 * the last argument is cut and args_truncated is set. Also the exec tty. */
static void test_syscall_argv_tty(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_openat);
	rec.r.proc.tty = (136u << 8) | 3; /* /dev/pts/3 */
	put(RK_S_PATH, "/etc/shadow", 11, 0);
	put(RK_S_ARGV, "cat\0../../etc/shadow\0", 21, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_OPEN);
	assert_int_equal(ev.process.tty, 34819);
	assert_int_equal(ev.process.nargs, 2);
	STR_EQ(ev.process.args[0], "cat");
	STR_EQ(ev.process.args[1], "../../etc/shadow");
	assert_false(ev.process.args_truncated);

	init(RK_SYSCALL, SYS_openat);
	put(RK_S_PATH, "/etc/shadow", 11, 0);
	put(RK_S_ARGV, "python3\0-c\0impo", 15, 0); /* cut inside the last argument */
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.process.nargs, 3);
	STR_EQ(ev.process.args[2], "impo");
	assert_true(ev.process.args_truncated);

	init(RK_SYSCALL, SYS_openat); /* no argv slot (not resident, no room) */
	put(RK_S_PATH, "/etc/shadow", 11, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.process.nargs, 0);
	assert_false(ev.process.args_truncated);
}

static void test_proc_mem_write(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_openat);
	rec.r.aux = 02; /* O_RDWR */
	put(RK_S_PATH, "/proc/1234/mem", 14, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_PROC_MEM_WRITE);
	rec.r.aux = 0; /* a read is an ordinary open */
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_OPEN);
}

static void test_connect_v4_v6(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_connect);
	rec.r.args[0] = 5, rec.r.result = -111;
	rec.r.sock.family = 2, rec.r.sock.type = 1, rec.r.sock.rport = 4444, rec.r.sock.lport = 0;
	memcpy(rec.r.sock.raddr, "\x7f\0\0\x01", 4);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_CONNECT);
	STR_EQ(ev.args.net.remote_addr, "127.0.0.1");
	assert_int_equal(ev.args.net.remote_port, 4444);
	assert_int_equal(ev.args.net.fd, 5);
	assert_int_equal(ev.result, -111);
	rec.r.sock.family = 10;
	memset(rec.r.sock.raddr, 0, 16);
	rec.r.sock.raddr[15] = 1;
	assert_int_equal(decode(), 0);
	STR_EQ(ev.args.net.remote_addr, "::1");
}

static void test_dup_symlink_exit(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_dup2);
	rec.r.args[0] = 3, rec.r.args[1] = 0, rec.r.sock.family = 2;
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_DUP);
	assert_int_equal(ev.args.net.newfd, 0);

	init(RK_SYSCALL, SYS_symlink);
	put(RK_S_PATH2, "/etc/shadow", 11, 0);
	put(RK_S_PATH, "link", 4, 0);
	put(RK_S_BASE, "x\0tmp\0", 6, 1);
	assert_int_equal(decode(), 0);
	STR_EQ(ev.args.file.path, "/tmp/x/link");
	STR_EQ(ev.args.file.target, "/etc/shadow");

	init(RK_EXIT, 0);
	rec.r.result = (3 << 8);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_EXIT);
	assert_int_equal(ev.args.proc.exit_code, 3);
	assert_int_equal(ev.args.proc.signal, 0);
}

static void test_ns_kernel_proc(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_unshare);
	rec.r.args[0] = 0x20000000; /* CLONE_NEWCGROUP */
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.args_kind, RP_ARGS_NS);
	assert_int_equal(ev.args.ns.ns_flags, 0x20000000);

	init(RK_SYSCALL, SYS_memfd_create);
	put(RK_S_NAME, "payload", 7, 0);
	rec.r.args[1] = 1;
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_MEMFD_CREATE);
	STR_EQ(ev.args.kernel.name, "payload");
	assert_int_equal(ev.args.kernel.flags, 1);

	init(RK_SYSCALL, SYS_ptrace);
	rec.r.args[0] = 16, rec.r.args[1] = 77;
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.args.proc.request, 16);
	assert_int_equal(ev.args.proc.target_pid, 77);
}

/* The kernel keeps allow-listed entries (cut to RK_ENV_ENTRY_MAX - 1
 * bytes); the decoder splits them, skips malformed ones and stays within
 * RP_MAX_ENV. Other events never carry env. */
static void test_exec_env(void **s)
{
	static char many[RK_DATA_MAX];
	size_t at = 0;

	(void)s;
	init(RK_EXEC, 0);
	put(RK_S_ARGV, "true\0", 5, 0);
	put(RK_S_ENV, "GLIBC_TUNABLES=glibc.tunables=glibc.malloc.mxfast=x\0=novalue\0NONAME\0HTTP_PROXY=\0", 79, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.process.nargs, 1);
	assert_int_equal(ev.process.nenv, 2);
	STR_EQ(ev.process.env[0], "GLIBC_TUNABLES=glibc.tunables=glibc.malloc.mxfast=x");
	STR_EQ(ev.process.env[1], "HTTP_PROXY="); /* an empty value is still a value */

	/* An entry the kernel cut: kept as cut, exactly RK_ENV_ENTRY_MAX - 1 bytes. */
	init(RK_EXEC, 0);
	memset(many, 'a', sizeof(many));
	memcpy(many, "LD_PRELOAD=", 11);
	put(RK_S_ENV, many, RK_ENV_ENTRY_MAX - 1, 0);
	rec.r.proc.flags |= RK_F_TRUNCATED;
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.process.nenv, 1);
	assert_int_equal(ev.process.env[0].len, RK_ENV_ENTRY_MAX - 1);

	/* More entries than an Event holds: the first RP_MAX_ENV. */
	init(RK_EXEC, 0);
	for (int i = 0; i < RP_MAX_ENV + 5; i++)
		at += (size_t)snprintf(many + at, sizeof(many) - at, "LD_AUDIT=%d", i) + 1;
	put(RK_S_ENV, many, at - 1, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.process.nenv, RP_MAX_ENV);
	STR_EQ(ev.process.env[RP_MAX_ENV - 1], "LD_AUDIT=63");

	/* Only exec records carry the environment. */
	init(RK_SYSCALL, SYS_openat);
	put(RK_S_ENV, "HTTP_PROXY=x", 12, 0);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.process.nenv, 0);
}

/* The allow-list the kernel matches: names become NUL-padded keys; names the
 * kernel cannot match are rejected up front. */
static void test_env_names(void **s)
{
	struct rk_env_key k, zero = {0};
	size_t n = 0;
	const char *const *d = capture_env_defaults(&n);
	int glibc = 0, proxy = 0, npm = 0;

	(void)s;
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(capture_env_key(d[i], &k), 0);
		glibc |= !strcmp(d[i], "GLIBC_TUNABLES");
		proxy |= !strcmp(d[i], "HTTP_PROXY");
		npm |= !strcmp(d[i], "npm_lifecycle_event");
	}
	assert_true(glibc && proxy && npm && n <= RK_ENV_NAMES_MAX);
	assert_int_equal(capture_env_key("LD_PRELOAD", &k), 0);
	assert_memory_equal(k.s, "LD_PRELOAD", 10);
	assert_memory_equal(k.s + 10, zero.s, RK_ENV_NAME_LEN - 10);
	assert_int_equal(capture_env_key("", &k), -1);
	assert_int_equal(capture_env_key("A=B", &k), -1);
	assert_int_equal(capture_env_key("ABCDEFGHIJKLMNOPQRSTUVWXYZ01234", &k), 0);  /* 31 bytes */
	assert_int_equal(capture_env_key("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345", &k), -1); /* 32 */
}

/* finit_module: the module name comes from the fd's path; init_module has none. */
static void test_module_name(void **s)
{
	char out[64];

	(void)s;
	capture_module_name("/lib/modules/6.1.0-18-amd64/kernel/fs/xfs/xfs.ko", out, sizeof(out));
	assert_string_equal(out, "xfs");
	capture_module_name("/lib/modules/6.1/kernel/drivers/net/wireguard/wire-guard.ko.zst", out, sizeof(out));
	assert_string_equal(out, "wire_guard");
	capture_module_name("/tmp/rootkit.ko.xz", out, sizeof(out));
	assert_string_equal(out, "rootkit");
	capture_module_name("/bin/busybox", out, sizeof(out));
	assert_string_equal(out, "busybox");
	capture_module_name("/tmp/.ko", out, sizeof(out)); /* nothing but a suffix: kept */
	assert_string_equal(out, ".ko");
	capture_module_name("/tmp/longname.ko", out, 5);
	assert_string_equal(out, "long");

	init(RK_SYSCALL, SYS_finit_module);
	rec.r.args[0] = 3, rec.r.result = -1;
	put(RK_S_PATH, "xfs.ko\0xfs\0fs\0kernel\0", 21, 1);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_MODULE_LOAD);
	STR_EQ(ev.args.kernel.name, "xfs");
	init(RK_SYSCALL, SYS_init_module);
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.type, RP_EV_MODULE_LOAD);
	assert_int_equal(ev.args.kernel.name.len, 0);
}

static void test_malformed(void **s)
{
	(void)s;
	init(RK_SYSCALL, SYS_openat);
	assert_int_equal(capture_decode(&rec, sizeof(rec.r) - 1, 0, &ev, &st, &sc), -1); /* short */
	rec.r.str_off[RK_S_PATH] = 4000, rec.r.str_len[RK_S_PATH] = 10;  /* past data_len: ignored */
	assert_int_equal(decode(), 0);
	assert_int_equal(ev.args.file.path.len, 0);
	rec.r.nr = 999; /* not a covered syscall */
	assert_int_equal(decode(), -1);
	rec.r.kind = 77;
	assert_int_equal(decode(), -1);
	rec.r.kind = RK_SYSCALL, rec.r.nr = SYS_openat, rec.r.data_len = 60000; /* longer than the record */
	assert_int_equal(capture_decode(&rec, sizeof(rec.r) + 10, 0, &ev, &st, &sc), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths),          cmocka_unit_test(test_exec),
		cmocka_unit_test(test_open_relative),  cmocka_unit_test(test_proc_mem_write),
		cmocka_unit_test(test_connect_v4_v6),  cmocka_unit_test(test_dup_symlink_exit),
		cmocka_unit_test(test_ns_kernel_proc), cmocka_unit_test(test_exec_env),
		cmocka_unit_test(test_env_names),      cmocka_unit_test(test_module_name),
		cmocka_unit_test(test_malformed),      cmocka_unit_test(test_syscall_argv_tty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
