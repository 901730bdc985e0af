/* Environment capture at exec: the new image's env block
 * (mm->env_start..env_end, just copied in by execve, so resident) is scanned
 * entry by entry and only entries whose NAME is in the env_names map are
 * kept, NUL-separated, in RK_S_ENV. Matching here rather than in user space
 * keeps everything else (tokens, passwords) inside the kernel and the record
 * small. Bounds are in rampart_event.h (RK_ENV_*); hitting one sets
 * RK_F_TRUNCATED. */
#ifndef RAMPART_CAPTURE_ENV_BPF_H
#define RAMPART_CAPTURE_ENV_BPF_H

#include "capture_path.bpf.h"

struct rk_env_ctx {
	struct rk_record *rec;
	__u64 p, end;      /* next user address; end of the env block */
	__u32 off;         /* where the next entry is read (and kept) */
	__u32 scanned;     /* bytes read so far */
	bool cont;         /* p is inside an entry longer than one read */
};

/* The NAME of the entry read at off, as a map key; false when no allowed
 * name can match: no '=' within RK_ENV_NAME_LEN - 1 bytes, or no allowed
 * name of that length. */
static __always_inline bool rk_env_key(struct rk_record *rec, __u32 off, struct rk_env_key *k)
{
	for (__u32 j = 0; j < RK_ENV_NAME_LEN - 1; j++) {
		char ch = rec->data[(off + j) & RK_DATA_MASK];

		if (ch == '=') /* most names have no allowed name of their length: skip the lookup */
			return j > 0 && ((cfg_env_lens >> j) & 1);
		if (ch == '\0')
			return false;
		k->s[j] = ch;
	}
	return false;
}

/* Keeps the entry read at c->off (len bytes without its NUL; cut: the read
 * ended before the entry did), cut to the entry bound and the record's room. */
static __always_inline void rk_env_keep(struct rk_env_ctx *c, __u32 len, bool cut)
{
	__u32 off = c->off, keep = len, room = RK_DATA_MASK - 1 - off; /* caller: off < RK_DATA_MASK - 1 */

	if (keep > RK_ENV_ENTRY_MAX - 1)
		keep = RK_ENV_ENTRY_MAX - 1;
	if (keep > room)
		keep = room;
	if (keep < len || cut)
		c->rec->proc.flags |= RK_F_TRUNCATED;
	c->rec->data[(off + keep) & RK_DATA_MASK] = '\0';
	c->off = off + keep + 1;
}

/* One user-string read: an entry, or the next piece of a long one. The
 * string lands at c->off (the slack past RK_DATA_MAX takes a full chunk);
 * an entry that is not kept is overwritten by the next read. 1 stops. */
static long rk_env_step(__u32 i, void *arg)
{
	struct rk_env_ctx *c = arg;
	struct rk_env_key k = {};
	__u64 size = c->end - c->p;
	bool cut, was_cont = c->cont;
	long n;

	if (c->p >= c->end || c->scanned >= RK_ENV_SCAN_BYTES || c->off >= RK_DATA_MASK - 1)
		return 1;
	if (size > RK_ENV_CHUNK - 1)
		size = RK_ENV_CHUNK - 1;
	rk_bound(size, 4095); /* RK_ENV_CHUNK - 1 */
	n = bpf_probe_read_user_str(&c->rec->data[c->off & RK_DATA_MASK], size, (void *)c->p);
	if (n <= 0)
		return 1;
	/* A full chunk without a NUL: the entry goes on at the next read. */
	cut = n == size && size == RK_ENV_CHUNK - 1;
	c->p += cut ? n - 1 : n;
	c->scanned += n;
	c->cont = cut;
	if (was_cont || !rk_env_key(c->rec, c->off, &k) || !bpf_map_lookup_elem(&env_names, &k))
		return 0;
	rk_env_keep(c, n - 1, cut);
	return 0;
}

/* Appends the allow-listed env entries of task's (new) image at off into
 * RK_S_ENV. Returns the new offset. */
__noinline int rk_put_env(__u32 off, __u64 task)
{
	struct task_struct *t = (void *)task;
	struct rk_env_ctx c = {.rec = rk_rec(), .off = off};

	if (!cfg_env || !c.rec || !t || off >= RK_DATA_MASK - 1)
		return off;
	c.p = BPF_CORE_READ(t, mm, env_start);
	c.end = BPF_CORE_READ(t, mm, env_end);
	bpf_loop(RK_ENV_SCAN_READS, rk_env_step, &c, 0);
	if (c.p < c.end)
		c.rec->proc.flags |= RK_F_TRUNCATED; /* a scan bound, not the block's end */
	if (c.off > off)
		rk_slot(c.rec, RK_S_ENV, off, c.off, false);
	return c.off;
}

#endif
