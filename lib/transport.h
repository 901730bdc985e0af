/* One interface for moving encoded messages between stages, with three
 * implementations chosen by configuration:
 *   kafka  librdkafka producer (idempotent, acks=all) and consumer group
 *          (cooperative-sticky, manual commits of finished work);
 *   local  bounded in-memory queues between threads of one process;
 *   file   Avro Object Container File of already-encoded records.
 *
 * Messages are opaque bytes plus a key. A producer never drops silently:
 * producer_send() either accepts the message (it is then delivered or counted
 * as failed in the stats) or returns an error the caller must handle.
 * A consumer hands out messages in order per key; the caller commits a
 * message once it has finished with it, and a restarted consumer of the same
 * group resumes after the last committed message. */
#ifndef RAMPART_TRANSPORT_H
#define RAMPART_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

enum transport_kind { TRANSPORT_KAFKA, TRANSPORT_LOCAL, TRANSPORT_FILE };

struct local_bus;

/* A `kafka.<name>` configuration key, passed to librdkafka as <name> (the
 * `kafka.` prefix may be kept or already stripped). Applied after the
 * transport's defaults, so it overrides them. */
struct transport_prop {
	const char *name;
	const char *value;
};

struct transport_config {
	enum transport_kind kind;
	/* kafka */
	const char *brokers;
	const char *group_id;          /* consumers */
	const char *client_id;
	const struct transport_prop *props; /* brokers TLS/SASL/compression overrides */
	size_t nprops;
	/* local: the bus shared by all stages of one process */
	struct local_bus *bus;
	/* file */
	const char *path;
	const char *schema_json;       /* writer schema stored in the file header */
	/* File consumers: an Avro container block does not delimit its records,
	 * so whoever knows the schema supplies this: the byte length of the one
	 * encoded record starting at p (n bytes available), or 0 when it is
	 * malformed or runs past n. With it, one message = one record; when NULL,
	 * one message = one whole block (its records concatenated). */
	size_t (*record_size)(const uint8_t *p, size_t n, void *ctx);
	void *record_ctx;
	/* How long producer_send may wait for queue space before failing:
	 * 0 = the implementation's default, negative = wait forever. */
	int send_timeout_ms;
	/* kafka producers: a stable id per instance turns transactions on
	 * (producer_open then also fences older instances with the same id and
	 * aborts their open transaction). NULL: plain idempotent producer. */
	const char *transactional_id;
	/* kafka consumers: called from inside consumer_poll when partitions are
	 * about to be revoked, before the revocation completes (lost != 0: they
	 * were lost, e.g. session timeout, rather than handed over). A
	 * transactional caller finishes its open transaction here so the next
	 * owner starts exactly after what was committed. */
	void (*on_revoke)(void *ctx, int lost);
	void *revoke_ctx;
	/* kafka consumers: read every partition of the topics from the
	 * beginning, without a group and without commits: a compacted topic
	 * read as a table (configuration). consumer_poll returns -2 once, when
	 * every partition has been read to the end it had at that time, and
	 * goes on returning later messages after that. */
	int read_all;
};

/* A Kafka record header. The local and file transports ignore headers. */
struct transport_header {
	const char *name;
	const void *value;
	size_t value_len;
};

/* Results of the transactional calls: what the caller must do next. */
enum transport_txn_status {
	TRANSPORT_TXN_OK = 0,
	TRANSPORT_TXN_RETRIABLE = -1, /* call the same function again */
	TRANSPORT_TXN_ABORTABLE = -2, /* producer_abort, consumer_rewind, carry on */
	TRANSPORT_TXN_FATAL = -3,     /* the producer is unusable: close it, exit */
};

struct transport_msg {
	const char *topic;
	const void *key;
	size_t key_len;
	const void *value;
	size_t value_len;
	int32_t partition;
	int64_t offset;
	int64_t timestamp_ms;
	void *handle; /* implementation's own; freed by consumer_release() */
};

struct producer_stats {
	uint64_t sent;       /* accepted by producer_send */
	uint64_t delivered;  /* acknowledged by the destination */
	uint64_t failed;     /* permanently failed after acceptance */
	uint64_t queue_full; /* times the caller waited for space */
};

struct producer;
struct consumer;

/* Return NULL and fill err (a NUL-terminated message) on failure. */
struct producer *producer_open(const struct transport_config *cfg, char *err, size_t errlen);
/* 0 accepted; -1 failure with the reason in err (queue full past
 * send_timeout_ms, message too large, fatal producer error). */
int producer_send(struct producer *p, const char *topic, const void *key, size_t key_len,
		  const void *value, size_t value_len, char *err, size_t errlen);
/* Wait until everything accepted is delivered or failed. 0 when all were
 * delivered, -1 on timeout or when some failed since the previous flush
 * (cumulative counts are in producer_stats). */
int producer_flush(struct producer *p, int timeout_ms);
void producer_stats(struct producer *p, struct producer_stats *out);
/* Closing a transactional producer aborts its open transaction (bounded). */
void producer_close(struct producer *p);
/* producer_send plus record headers (kafka; the other transports drop them). */
int producer_send_with_headers(struct producer *p, const char *topic, const void *key, size_t key_len,
			       const void *value, size_t value_len, const struct transport_header *h,
			       size_t nh, char *err, size_t errlen);

/* Transactions (kafka with cfg.transactional_id; the local and file
 * transports have no transactions: begin and send_offsets are no-ops,
 * commit flushes, abort fails as FATAL since nothing can be taken back).
 * Every call returns an enum transport_txn_status, with err filled on error.
 *
 *   producer_begin(p); producer_send...(p, ...);
 *   producer_send_offsets(p, c); producer_commit(p, -1);
 *
 * producer_send_offsets adds to the transaction the consumer's position on
 * every partition it is assigned: the caller must have finished every
 * message consumer_poll returned. The verdicts and those offsets then become
 * visible together (read_committed) or not at all. timeout_ms < 0: the
 * remaining transaction timeout (recommended for commit and abort). */
int producer_begin(struct producer *p, char *err, size_t errlen);
int producer_send_offsets(struct producer *p, struct consumer *c, int timeout_ms, char *err, size_t errlen);
int producer_commit(struct producer *p, int timeout_ms, char *err, size_t errlen);
int producer_abort(struct producer *p, int timeout_ms, char *err, size_t errlen);

struct consumer *consumer_open(const struct transport_config *cfg, const char *const *topics,
			       size_t ntopics, char *err, size_t errlen);
/* 1 a message was returned, 0 nothing within timeout_ms, -1 error (err), -2 end of
 * input (file transport, or local bus closed and drained; kafka read_all:
 * caught up, once). */
int consumer_poll(struct consumer *c, struct transport_msg *msg, int timeout_ms, char *err,
		  size_t errlen);
/* Marks msg and everything before it on its partition finished. Callers may
 * batch by committing only the last message of each partition in a batch.
 * Only topic, partition and offset are read, so a released message (or a
 * copy) may be committed while its topic string is still valid. */
int consumer_commit(struct consumer *c, const struct transport_msg *msg, char *err, size_t errlen);
void consumer_release(struct consumer *c, struct transport_msg *msg);
/* Moves every assigned partition back to the group's committed offset (its
 * start when nothing is committed), e.g. after an aborted transaction, so
 * what the transaction covered is read again. 0, or -1 with err (kafka
 * only: the other transports cannot rewind). */
int consumer_rewind(struct consumer *c, int timeout_ms, char *err, size_t errlen);
/* Messages behind on the assigned partitions: the sum of each one's high
 * watermark minus its position, from values the client has cached (no
 * broker round trip; partitions without a known position are left out).
 * 0, or -1 (kafka only: the other transports have no lag to tell). */
int consumer_lag(struct consumer *c, int64_t *lag);
void consumer_close(struct consumer *c);

#endif
