/* The decoded form of schemas/event.avsc, shared by every stage.
 *
 * Strings are views (pointer + length, not NUL-terminated). After
 * event_decode() they point into the input buffer, so decoding copies and
 * allocates nothing; the caller keeps the buffer alive as long as the event.
 * Lists (args, env, labels) point into a caller-owned struct event_scratch
 * whose fixed capacities bound what a message may carry. */
#ifndef RAMPART_EVENT_H
#define RAMPART_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rp_str {
	const char *ptr;
	uint32_t len;
};

#define RP_STR(lit) ((struct rp_str){(lit), (uint32_t)(sizeof(lit) - 1)})

struct rp_label {
	struct rp_str key;
	struct rp_str value;
};

/* Symbol order is the schema's: the enum value is the Avro symbol index. */
enum rp_orchestrator { RP_ORCH_NONE, RP_ORCH_KUBERNETES, RP_ORCH_ECS, RP_ORCH__COUNT };

enum rp_event_type {
	RP_EV_UNKNOWN, RP_EV_EXEC, RP_EV_FORK, RP_EV_EXIT,
	RP_EV_OPEN, RP_EV_UNLINK, RP_EV_RENAME, RP_EV_LINK, RP_EV_SYMLINK, RP_EV_MKDIR,
	RP_EV_CHMOD, RP_EV_CHOWN, RP_EV_SETXATTR, RP_EV_SETATTR, RP_EV_TRUNCATE,
	RP_EV_SOCKET, RP_EV_CONNECT, RP_EV_ACCEPT, RP_EV_BIND, RP_EV_LISTEN, RP_EV_DUP,
	RP_EV_SETUID, RP_EV_SETGID, RP_EV_PTRACE, RP_EV_KILL, RP_EV_PRCTL, RP_EV_PRLIMIT,
	RP_EV_CAPSET,
	RP_EV_SETNS, RP_EV_UNSHARE, RP_EV_MOUNT, RP_EV_UMOUNT, RP_EV_CHDIR,
	RP_EV_MODULE_LOAD, RP_EV_BPF, RP_EV_MEMFD_CREATE, RP_EV_USERFAULTFD,
	RP_EV_PROC_MEM_WRITE,
	RP_EV__COUNT
};

/* Union branch index of Event.workload. */
enum rp_workload_kind { RP_WORKLOAD_NONE, RP_WORKLOAD_POD, RP_WORKLOAD_ECS_TASK, RP_WORKLOAD__COUNT };

/* Union branch index of Event.args. */
enum rp_args_kind {
	RP_ARGS_NONE, RP_ARGS_FILE, RP_ARGS_NET, RP_ARGS_PROC, RP_ARGS_NS, RP_ARGS_KERNEL,
	RP_ARGS__COUNT
};

/* Bounds a decoder enforces; a message beyond them is rejected, not cut. */
#define RP_MAX_ARGS 256
#define RP_MAX_ENV 64
#define RP_MAX_LABELS 64

struct rp_container {
	struct rp_str id, name, image, image_digest;
	bool privileged;
	struct rp_str runtime;
	struct rp_str cgroup;
};

struct rp_pod {
	struct rp_str namespace_, name, uid;
	const struct rp_label *labels;
	uint32_t nlabels;
	struct rp_str owner_kind, owner_name, service_account;
};

struct rp_ecs_task {
	struct rp_str cluster, task_arn, family, revision, service;
};

struct rp_process {
	int32_t pid, tid, ppid, uid, gid, euid, egid;
	int64_t loginuid;
	struct rp_str comm, exe;
	const struct rp_str *args;
	uint32_t nargs;
	bool args_truncated;
	const struct rp_str *env;
	uint32_t nenv;
	struct rp_str cwd;
	int32_t tty;
	int64_t start_time_ns;
	int64_t cap_effective;
	bool exe_upper_layer, exe_from_memfd, exe_writable;
	struct rp_str parent_comm, parent_exe, gparent_comm, gparent_exe;
};

struct rp_file_args {
	struct rp_str path, target;
	int32_t fd;
	int64_t flags;
	int32_t mode, uid, gid;
	struct rp_str xattr;
	int64_t length;
};

struct rp_net_args {
	int32_t fd, family, socktype, protocol;
	struct rp_str local_addr;
	int32_t local_port;
	struct rp_str remote_addr;
	int32_t remote_port;
	int32_t newfd;
};

struct rp_proc_args {
	int32_t target_pid;
	int64_t request;
	int32_t signal, exit_code, new_uid, new_gid;
	int64_t value;
};

struct rp_ns_args {
	int64_t ns_flags;
	int32_t fd;
	struct rp_str source, target, fstype;
	int64_t flags;
};

struct rp_kernel_args {
	struct rp_str name;
	int32_t command, prog_type;
	int64_t flags;
};

struct rp_event {
	struct rp_str node, cluster;
	enum rp_orchestrator orchestrator;
	struct rp_str boot_id;
	int64_t sequence;
	int64_t time_ns;
	enum rp_event_type type;
	struct rp_str syscall;
	int64_t result;
	struct rp_container container;
	enum rp_workload_kind workload_kind;
	union {
		struct rp_pod pod;
		struct rp_ecs_task ecs;
	} workload;
	struct rp_process process;
	enum rp_args_kind args_kind;
	union {
		struct rp_file_args file;
		struct rp_net_args net;
		struct rp_proc_args proc;
		struct rp_ns_args ns;
		struct rp_kernel_args kernel;
	} args;
};

/* Backing store for an event's lists; reuse one per thread. */
struct event_scratch {
	struct rp_str args[RP_MAX_ARGS];
	struct rp_str env[RP_MAX_ENV];
	struct rp_label labels[RP_MAX_LABELS];
};

/* Symbol names, indexed by the enums above. */
extern const char *const rp_event_type_names[RP_EV__COUNT];
extern const char *const rp_orchestrator_names[RP_ORCH__COUNT];

#endif
