/* The record the kernel programs (bpf/capture.bpf.c) write to the ring buffer
 * and the collector (collector/capture_decode.c) reads: one layout for both
 * sides, so it uses only fixed-width types and no kernel headers.
 *
 * A record is a fixed header followed by a string area of data_len bytes.
 * Each string slot (RK_S_*) has an offset and length into that area. A slot
 * whose bit is set in str_comp holds a path as the kernel walked it: its
 * components leaf first, each NUL-terminated ("sh\0bin\0" is /bin/sh); the
 * reader reverses them. This keeps the kernel's dentry walk a simple append. */
#ifndef RAMPART_BPF_EVENT_H
#define RAMPART_BPF_EVENT_H

#define RK_COMM_LEN 16
#define RK_DATA_MAX 8192     /* string area budget of one record */
#define RK_DATA_MASK (RK_DATA_MAX - 1)
#define RK_SLACK 4096        /* scratch past RK_DATA_MAX so masked writes stay in bounds */
#define RK_ARGV_MAX 4096     /* bytes of argv copied at exec */
#define RK_SYS_ARGV_MAX 1024 /* bytes of the process's argv on syscall events */
#define RK_PATH_MAX 1024     /* bytes of one user path or one walked path */
#define RK_NAME_MAX 256      /* one path component */
#define RK_EXE_MAX 256       /* exe path cached per process */
#define RK_PATH_DEPTH 24     /* components walked per path */
#define RK_NR_MAX 512        /* syscall numbers covered by the interest map */
#define RK_PREFIX_MAX 16     /* read-only open path prefixes */
#define RK_PREFIX_LEN 64
/* Environment at exec (bpf/capture_env.bpf.h): entries whose NAME is in the
 * env_names map are kept, each "NAME=value" cut to RK_ENV_ENTRY_MAX - 1
 * bytes. The scan of the env block stops after RK_ENV_SCAN_READS user-string
 * reads (one per entry; an entry longer than RK_ENV_CHUNK takes more) or
 * RK_ENV_SCAN_BYTES bytes, whichever comes first (RK_F_TRUNCATED is set). */
#define RK_ENV_NAME_LEN 32        /* env_names key: NAME, NUL padded (so at most 31 bytes) */
#define RK_ENV_NAMES_MAX 64       /* names in the allow-list */
#define RK_ENV_ENTRY_MAX 512      /* one kept entry with its NUL */
#define RK_ENV_CHUNK 4096         /* one user-string read, with its NUL; == RK_SLACK */
#define RK_ENV_SCAN_READS 256
#define RK_ENV_SCAN_BYTES (32 << 10)

enum rk_kind { RK_EXEC = 1, RK_FORK = 2, RK_EXIT = 3, RK_SYSCALL = 4 };

/* String slots. */
enum rk_str {
	RK_S_EXE, RK_S_PEXE, RK_S_GPEXE, /* process, parent, grandparent exe */
	RK_S_PATH, RK_S_PATH2,           /* user path arguments (as passed) */
	RK_S_BASE, RK_S_BASE2,           /* cwd or dirfd path a relative PATH/PATH2 is relative to */
	RK_S_ARGV,                       /* argv, NUL-separated (exec; syscall: current, RK_SYS_ARGV_MAX) */
	RK_S_CWD,                        /* exec: working directory */
	RK_S_NAME,                       /* xattr name, memfd name, fstype, bpf prog name */
	RK_S_ENV,                        /* exec: allow-listed "NAME=value" entries, NUL-separated */
	RK_S__COUNT
};

/* rk_proc.flags */
#define RK_F_EXE_UPPER (1u << 0)    /* exe inode in an overlayfs upper layer */
#define RK_F_EXE_MEMFD (1u << 1)    /* exe is a memfd_create file */
#define RK_F_EXE_WRITABLE (1u << 2) /* exe writable by the process's fs creds */
#define RK_F_TRUNCATED (1u << 8)    /* some string hit its bound */

/* Interest map values (one per syscall number). */
#define RK_I_ON (1u << 0)
#define RK_I_RO_FILTER (1u << 1) /* read-only opens must match a path prefix */

struct rk_proc {
	unsigned long long start_ns;      /* group leader start, CLOCK_BOOTTIME ns */
	unsigned long long cgroup_id;     /* cgroup v2 id */
	unsigned long long cap_effective;
	unsigned int pid, tid, ppid, gppid;
	unsigned int uid, gid, euid, egid, loginuid;
	unsigned int tty;                 /* new_encode_dev(major, minor); 0 none */
	unsigned int flags;               /* RK_F_* */
	unsigned int pad;
	char comm[RK_COMM_LEN], pcomm[RK_COMM_LEN], gpcomm[RK_COMM_LEN];
};

/* Socket endpoint data (connect/bind from the user sockaddr, accept/listen and
 * the local side from the kernel socket). Addresses in network byte order. */
struct rk_sock {
	unsigned short family, type, protocol, pad;
	unsigned short lport, rport;      /* host byte order */
	unsigned char laddr[16], raddr[16];
};

struct rk_record {
	unsigned long long time_ns;       /* CLOCK_BOOTTIME ns */
	unsigned short kind;              /* enum rk_kind */
	unsigned short nr;                /* syscall number (RK_SYSCALL) */
	unsigned int data_len;
	long long result;                 /* syscall return; fork: child pid; exit: exit code */
	unsigned long long args[6];       /* raw syscall arguments */
	unsigned long long aux;           /* per syscall: deref'd value (ioctl flags, rlimit, capset) */
	struct rk_proc proc;
	struct rk_sock sock;
	unsigned short str_off[RK_S__COUNT], str_len[RK_S__COUNT];
	unsigned short str_comp;          /* bit per slot: leaf-first component list */
	unsigned short pad[1];            /* data[] keeps its offset (292) */
	unsigned char data[];
};

/* One read-only open prefix (ro_prefixes map value). */
struct rk_prefix {
	unsigned int len;
	char s[RK_PREFIX_LEN];
};

/* env_names map key: an allowed NAME (without '='), NUL padded. */
struct rk_env_key {
	char s[RK_ENV_NAME_LEN];
};

#endif
