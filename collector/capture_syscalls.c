/* x86_64 syscall table of everything a catalog rule needs (see issue 3). */
#include "capture_syscalls.h"

#include <string.h>
#include <sys/syscall.h>

#define F RP_ARGS_FILE
#define N RP_ARGS_NET
#define P RP_ARGS_PROC
#define S RP_ARGS_NS
#define K RP_ARGS_KERNEL

static const struct capture_syscall table[] = {
	{SYS_open, "open", RP_EV_OPEN, F},           {SYS_openat, "openat", RP_EV_OPEN, F},
	{SYS_openat2, "openat2", RP_EV_OPEN, F},     {SYS_creat, "creat", RP_EV_OPEN, F},
	{SYS_unlink, "unlink", RP_EV_UNLINK, F},     {SYS_unlinkat, "unlinkat", RP_EV_UNLINK, F},
	{SYS_rename, "rename", RP_EV_RENAME, F},     {SYS_renameat, "renameat", RP_EV_RENAME, F},
	{SYS_renameat2, "renameat2", RP_EV_RENAME, F}, {SYS_link, "link", RP_EV_LINK, F},
	{SYS_linkat, "linkat", RP_EV_LINK, F},       {SYS_symlink, "symlink", RP_EV_SYMLINK, F},
	{SYS_symlinkat, "symlinkat", RP_EV_SYMLINK, F}, {SYS_mkdir, "mkdir", RP_EV_MKDIR, F},
	{SYS_mkdirat, "mkdirat", RP_EV_MKDIR, F},    {SYS_chmod, "chmod", RP_EV_CHMOD, F},
	{SYS_fchmod, "fchmod", RP_EV_CHMOD, F},      {SYS_fchmodat, "fchmodat", RP_EV_CHMOD, F},
#ifdef SYS_fchmodat2
	{SYS_fchmodat2, "fchmodat2", RP_EV_CHMOD, F},
#endif
	{SYS_chown, "chown", RP_EV_CHOWN, F},        {SYS_fchown, "fchown", RP_EV_CHOWN, F},
	{SYS_lchown, "lchown", RP_EV_CHOWN, F},      {SYS_fchownat, "fchownat", RP_EV_CHOWN, F},
	{SYS_setxattr, "setxattr", RP_EV_SETXATTR, F}, {SYS_lsetxattr, "lsetxattr", RP_EV_SETXATTR, F},
	{SYS_fsetxattr, "fsetxattr", RP_EV_SETXATTR, F}, {SYS_ioctl, "ioctl", RP_EV_SETATTR, F},
	{SYS_truncate, "truncate", RP_EV_TRUNCATE, F}, {SYS_ftruncate, "ftruncate", RP_EV_TRUNCATE, F},
	{SYS_socket, "socket", RP_EV_SOCKET, N},     {SYS_connect, "connect", RP_EV_CONNECT, N},
	{SYS_accept, "accept", RP_EV_ACCEPT, N},     {SYS_accept4, "accept4", RP_EV_ACCEPT, N},
	{SYS_bind, "bind", RP_EV_BIND, N},           {SYS_listen, "listen", RP_EV_LISTEN, N},
	{SYS_dup2, "dup2", RP_EV_DUP, N},            {SYS_dup3, "dup3", RP_EV_DUP, N},
	{SYS_setuid, "setuid", RP_EV_SETUID, P},     {SYS_setreuid, "setreuid", RP_EV_SETUID, P},
	{SYS_setresuid, "setresuid", RP_EV_SETUID, P}, {SYS_setgid, "setgid", RP_EV_SETGID, P},
	{SYS_setregid, "setregid", RP_EV_SETGID, P}, {SYS_setresgid, "setresgid", RP_EV_SETGID, P},
	{SYS_ptrace, "ptrace", RP_EV_PTRACE, P},     {SYS_kill, "kill", RP_EV_KILL, P},
	{SYS_tgkill, "tgkill", RP_EV_KILL, P},       {SYS_prctl, "prctl", RP_EV_PRCTL, P},
	{SYS_prlimit64, "prlimit64", RP_EV_PRLIMIT, P}, {SYS_setrlimit, "setrlimit", RP_EV_PRLIMIT, P},
	{SYS_capset, "capset", RP_EV_CAPSET, P},     {SYS_setns, "setns", RP_EV_SETNS, S},
	{SYS_unshare, "unshare", RP_EV_UNSHARE, S},  {SYS_mount, "mount", RP_EV_MOUNT, S},
	{SYS_umount2, "umount2", RP_EV_UMOUNT, S},   {SYS_chdir, "chdir", RP_EV_CHDIR, S},
	{SYS_fchdir, "fchdir", RP_EV_CHDIR, S},      {SYS_init_module, "init_module", RP_EV_MODULE_LOAD, K},
	{SYS_finit_module, "finit_module", RP_EV_MODULE_LOAD, K}, {SYS_bpf, "bpf", RP_EV_BPF, K},
	{SYS_memfd_create, "memfd_create", RP_EV_MEMFD_CREATE, K},
	{SYS_userfaultfd, "userfaultfd", RP_EV_USERFAULTFD, K},
};

const struct capture_syscall *capture_syscall_by_nr(int nr)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].nr == nr)
			return &table[i];
	return NULL;
}

const struct capture_syscall *capture_syscall_by_name(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (strcmp(table[i].name, name) == 0)
			return &table[i];
	return NULL;
}

const struct capture_syscall *capture_syscalls_all(size_t *n)
{
	*n = sizeof(table) / sizeof(table[0]);
	return table;
}

bool capture_syscall_is_open(int nr)
{
	return nr == SYS_open || nr == SYS_openat || nr == SYS_openat2 || nr == SYS_creat;
}
