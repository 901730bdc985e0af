/* Kafka transport on librdkafka (>= 2.8; Debian's 2.0.2 loses and duplicates
 * messages on cooperative rebalances).
 *
 * Producer: idempotent, acks=all, zstd, murmur2_random (the Java client's
 * partitioner, so keys land where other clients put them). Delivery reports
 * are served from the caller's thread (producer_send/flush) and only update
 * atomic counters, so producer_stats may be read from any thread.
 *
 * Consumer: group member with cooperative-sticky assignment and no automatic
 * commit or offset store: only consumer_commit moves the group's position, so
 * a crash or revocation before a commit makes the next owner re-read from the
 * last commit (at-least-once).
 *
 * Transactions (cfg->transactional_id): producer_open runs
 * init_transactions, which fences older instances with the same id and
 * aborts what they left open; consumed offsets join a transaction through
 * the consumer's group metadata (KIP-447), so the group's position moves
 * only when the transaction commits. librdkafka's error objects are mapped
 * to retriable / abortable / fatal for the caller.
 *
 * cfg->props are applied after the defaults above, so they can override them
 * and add TLS/SASL settings. Names may carry the `kafka.` prefix of the
 * configuration file; it is stripped. */
#include "transport_impl.h"

#include <librdkafka/rdkafka.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"

#define KAFKA_SEND_TIMEOUT_MS 5000
#define KAFKA_MIN_VERSION 0x020800ff
/* Upper bound of one wait for queue space, so the deadline is checked often. */
#define KAFKA_QUEUE_POLL_MS 50
/* init_transactions may wait for a fenced predecessor's transaction to end. */
#define KAFKA_TXN_INIT_TIMEOUT_MS 60000
#define KAFKA_TXN_CLOSE_TIMEOUT_MS 10000

struct kafka_producer {
	struct producer base;
	rd_kafka_t *rk;
	int send_timeout_ms;
	uint64_t failed_at_flush; /* failed count seen by the previous flush */
	int transactional;
	int in_txn; /* begun and neither committed nor aborted */
	atomic_uint_fast64_t sent;
	atomic_uint_fast64_t delivered;
	atomic_uint_fast64_t failed;
	atomic_uint_fast64_t queue_full;
};

struct kafka_consumer {
	struct consumer base;
	rd_kafka_t *rk;
	/* Set by the rebalance callback (which runs inside consumer_poll) and
	 * returned by that consumer_poll, since the callback cannot return it. */
	char rebalance_err[256];
	void (*on_revoke)(void *ctx, int lost);
	void *revoke_ctx;
	/* read_all: partitions still to reach their end once (0: caught up
	 * and reported, or not in read_all mode). */
	int unread_partitions;
	uint8_t *at_end; /* per partition, read_all only */
	int nat_end;
};

/* ---- configuration ------------------------------------------------------ */

static int conf_set(rd_kafka_conf_t *conf, const char *name, const char *value, char *err,
		    size_t errlen)
{
	char why[512];

	if (rd_kafka_conf_set(conf, name, value, why, sizeof(why)) == RD_KAFKA_CONF_OK)
		return 0;
	snprintf(err, errlen, "kafka: invalid property kafka.%s=%s: %s", name, value, why);
	return -1;
}

static int conf_set_all(rd_kafka_conf_t *conf, const char *const defaults[][2], size_t ndefaults,
			const struct transport_config *cfg, char *err, size_t errlen)
{
	static const char prefix[] = "kafka.";

	for (size_t i = 0; i < ndefaults; i++)
		if (conf_set(conf, defaults[i][0], defaults[i][1], err, errlen))
			return -1;
	for (size_t i = 0; i < cfg->nprops; i++) {
		const char *name = cfg->props[i].name;

		if (!strncmp(name, prefix, sizeof(prefix) - 1))
			name += sizeof(prefix) - 1;
		if (conf_set(conf, name, cfg->props[i].value, err, errlen))
			return -1;
	}
	return 0;
}

/* Connection settings shared by producer and consumer. */
static rd_kafka_conf_t *conf_base(const struct transport_config *cfg, char *err, size_t errlen)
{
	rd_kafka_conf_t *conf;

	/* The loader may still pick up Debian's 2.0.2 (LD_LIBRARY_PATH, a
	 * stripped rpath): refuse it rather than risk its rebalance bugs. */
	if (rd_kafka_version() < KAFKA_MIN_VERSION) {
		snprintf(err, errlen, "kafka: librdkafka %s is loaded; rampart needs 2.8.0 or later",
			 rd_kafka_version_str());
		return NULL;
	}
	if (!cfg->brokers || !*cfg->brokers) {
		snprintf(err, errlen, "kafka: no brokers configured");
		return NULL;
	}
	conf = rd_kafka_conf_new();
	if (conf_set(conf, "bootstrap.servers", cfg->brokers, err, errlen) ||
	    (cfg->client_id && conf_set(conf, "client.id", cfg->client_id, err, errlen))) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	return conf;
}

/* Takes ownership of conf whatever the outcome. */
static rd_kafka_t *kafka_new(rd_kafka_type_t type, rd_kafka_conf_t *conf, char *err, size_t errlen)
{
	char why[512];
	rd_kafka_t *rk = rd_kafka_new(type, conf, why, sizeof(why));

	if (!rk) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka: cannot create %s: %s",
			 type == RD_KAFKA_PRODUCER ? "producer" : "consumer", why);
	}
	return rk;
}

/* Non-zero when librdkafka raised a fatal error (e.g. idempotence state lost);
 * the instance is unusable from then on. */
static int fatal_error(rd_kafka_t *rk, char *err, size_t errlen)
{
	char why[512];
	rd_kafka_resp_err_t code = rd_kafka_fatal_error(rk, why, sizeof(why));

	if (code)
		snprintf(err, errlen, "kafka: fatal error %s: %s", rd_kafka_err2name(code), why);
	return code != RD_KAFKA_RESP_ERR_NO_ERROR;
}

/* ---- producer ----------------------------------------------------------- */

static void on_delivery(rd_kafka_t *rk, const rd_kafka_message_t *m, void *opaque)
{
	struct kafka_producer *p = opaque;

	(void)rk;
	if (m->err)
		atomic_fetch_add(&p->failed, 1);
	else
		atomic_fetch_add(&p->delivered, 1);
}

static int txn_status(rd_kafka_error_t *error, const char *what, char *err, size_t errlen);

/* Retries while the coordinator is not ready yet (a fresh broker). */
static int init_transactions(struct kafka_producer *p, char *err, size_t errlen)
{
	int64_t deadline = clock_mono_ms() + KAFKA_TXN_INIT_TIMEOUT_MS;
	int rc;

	do {
		rc = txn_status(rd_kafka_init_transactions(p->rk, KAFKA_TXN_INIT_TIMEOUT_MS),
				"init transactions", err, errlen);
	} while (rc == TRANSPORT_TXN_RETRIABLE && clock_mono_ms() < deadline);
	return rc == TRANSPORT_TXN_OK ? 0 : -1;
}

static const char *const producer_defaults[][2] = {
	{"enable.idempotence", "true"},
	{"acks", "all"},
	{"compression.type", "zstd"},
	{"partitioner", "murmur2_random"},
};

static struct producer *kafka_producer_open(const struct transport_config *cfg, char *err,
					    size_t errlen)
{
	struct kafka_producer *p;
	rd_kafka_conf_t *conf = conf_base(cfg, err, errlen);

	if (!conf)
		return NULL;
	if (conf_set_all(conf, producer_defaults, sizeof(producer_defaults) / sizeof(producer_defaults[0]),
			 cfg, err, errlen)) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p) {
		rd_kafka_conf_destroy(conf);
		snprintf(err, errlen, "kafka: out of memory");
		return NULL;
	}
	p->send_timeout_ms = cfg->send_timeout_ms > 0 ? cfg->send_timeout_ms : KAFKA_SEND_TIMEOUT_MS;
	rd_kafka_conf_set_dr_msg_cb(conf, on_delivery);
	rd_kafka_conf_set_opaque(conf, p);
	if (cfg->transactional_id && conf_set(conf, "transactional.id", cfg->transactional_id, err, errlen)) {
		rd_kafka_conf_destroy(conf);
		free(p);
		return NULL;
	}
	p->rk = kafka_new(RD_KAFKA_PRODUCER, conf, err, errlen);
	if (!p->rk) {
		free(p);
		return NULL;
	}
	p->transactional = cfg->transactional_id != NULL;
	if (p->transactional && init_transactions(p, err, errlen)) {
		rd_kafka_destroy(p->rk);
		free(p);
		return NULL;
	}
	return &p->base;
}

/* hdrs stays the caller's: librdkafka gets (and on success owns) a copy. */
static rd_kafka_resp_err_t produce_copy(rd_kafka_t *rk, const char *topic, const void *key,
					size_t key_len, const void *value, size_t value_len,
					const rd_kafka_headers_t *hdrs)
{
	rd_kafka_headers_t *copy;
	rd_kafka_resp_err_t code;

	/* F_COPY: librdkafka copies, so the const casts never lead to writes. */
	if (!hdrs)
		return rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY((void *)key, key_len),
					 RD_KAFKA_V_VALUE((void *)value, value_len),
					 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
	copy = rd_kafka_headers_copy(hdrs);
	code = rd_kafka_producev(rk, RD_KAFKA_V_TOPIC(topic), RD_KAFKA_V_KEY((void *)key, key_len),
				 RD_KAFKA_V_VALUE((void *)value, value_len), RD_KAFKA_V_HEADERS(copy),
				 RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
	if (code)
		rd_kafka_headers_destroy(copy);
	return code;
}

static int send_hdrs(struct kafka_producer *p, const char *topic, const void *key, size_t key_len,
		     const void *value, size_t value_len, const rd_kafka_headers_t *hdrs, char *err,
		     size_t errlen)
{
	int64_t deadline = clock_mono_ms() + p->send_timeout_ms;
	int waited = 0;

	for (;;) {
		rd_kafka_resp_err_t code = produce_copy(p->rk, topic, key, key_len, value, value_len, hdrs);
		int64_t left;

		if (code == RD_KAFKA_RESP_ERR_NO_ERROR) {
			atomic_fetch_add(&p->sent, 1);
			rd_kafka_poll(p->rk, 0); /* serve delivery reports */
			return 0;
		}
		if (code == RD_KAFKA_RESP_ERR__FATAL && fatal_error(p->rk, err, errlen))
			return -1;
		if (code != RD_KAFKA_RESP_ERR__QUEUE_FULL) {
			snprintf(err, errlen, "kafka: produce to %s: %s", topic, rd_kafka_err2str(code));
			return -1;
		}
		if (!waited++)
			atomic_fetch_add(&p->queue_full, 1);
		left = deadline - clock_mono_ms();
		if (left <= 0) {
			snprintf(err, errlen, "kafka: produce to %s: local queue still full after %d ms",
				 topic, p->send_timeout_ms);
			return -1;
		}
		/* Delivery reports free queue space; serving them is what unblocks us. */
		rd_kafka_poll(p->rk, left < KAFKA_QUEUE_POLL_MS ? (int)left : KAFKA_QUEUE_POLL_MS);
	}
}

static int kafka_producer_send(struct producer *base, const char *topic, const void *key,
			       size_t key_len, const void *value, size_t value_len, char *err,
			       size_t errlen)
{
	return send_hdrs((struct kafka_producer *)base, topic, key, key_len, value, value_len, NULL, err,
			 errlen);
}

static int kafka_producer_send_with_headers(struct producer *base, const char *topic, const void *key,
					    size_t key_len, const void *value, size_t value_len,
					    const struct transport_header *h, size_t nh, char *err,
					    size_t errlen)
{
	rd_kafka_headers_t *hdrs = rd_kafka_headers_new(nh);
	int rc;

	for (size_t i = 0; i < nh; i++)
		rd_kafka_header_add(hdrs, h[i].name, -1, h[i].value, (ssize_t)h[i].value_len);
	rc = send_hdrs((struct kafka_producer *)base, topic, key, key_len, value, value_len, hdrs, err,
		       errlen);
	rd_kafka_headers_destroy(hdrs);
	return rc;
}

static int kafka_producer_flush(struct producer *base, int timeout_ms)
{
	struct kafka_producer *p = (struct kafka_producer *)base;
	rd_kafka_resp_err_t code = rd_kafka_flush(p->rk, timeout_ms);
	uint64_t failed = atomic_load(&p->failed);
	int newly_failed = failed != p->failed_at_flush;
	char why[1024]; /* flush reports no text; the next send does */

	p->failed_at_flush = failed;
	if (code != RD_KAFKA_RESP_ERR_NO_ERROR || newly_failed || fatal_error(p->rk, why, sizeof(why)))
		return -1;
	return 0;
}

static void kafka_producer_stats(struct producer *base, struct producer_stats *out)
{
	struct kafka_producer *p = (struct kafka_producer *)base;

	out->sent = atomic_load(&p->sent);
	out->delivered = atomic_load(&p->delivered);
	out->failed = atomic_load(&p->failed);
	out->queue_full = atomic_load(&p->queue_full);
}

static void kafka_producer_close(struct producer *base)
{
	struct kafka_producer *p = (struct kafka_producer *)base;

	/* An unfinished transaction must not commit by accident later: abort it
	 * (the coordinator would, after transaction.timeout.ms, anyway). */
	if (p->in_txn)
		txn_status(rd_kafka_abort_transaction(p->rk, KAFKA_TXN_CLOSE_TIMEOUT_MS), "abort", NULL, 0);
	/* Bounded: whatever is still queued afterwards fails when destroyed. */
	rd_kafka_flush(p->rk, p->send_timeout_ms);
	rd_kafka_destroy(p->rk);
	free(p);
}

/* ---- transactions -------------------------------------------------------- */

/* Takes ownership of error. Errors librdkafka classifies as neither fatal,
 * abortable nor retriable (e.g. a state error) are reported as abortable:
 * aborting is always safe, and a failing abort then surfaces as fatal. */
static int txn_status(rd_kafka_error_t *error, const char *what, char *err, size_t errlen)
{
	int rc = TRANSPORT_TXN_ABORTABLE;
	static const char *const names[] = {"ok", "retriable", "abortable", "fatal"};

	if (!error)
		return TRANSPORT_TXN_OK;
	if (rd_kafka_error_is_fatal(error))
		rc = TRANSPORT_TXN_FATAL;
	else if (rd_kafka_error_txn_requires_abort(error))
		rc = TRANSPORT_TXN_ABORTABLE;
	else if (rd_kafka_error_is_retriable(error))
		rc = TRANSPORT_TXN_RETRIABLE;
	if (err)
		snprintf(err, errlen, "kafka: %s: %s: %s (%s)", what, rd_kafka_error_name(error),
			 rd_kafka_error_string(error), names[-rc]);
	rd_kafka_error_destroy(error);
	return rc;
}

static int not_transactional(struct kafka_producer *p, char *err, size_t errlen)
{
	if (p->transactional)
		return 0;
	snprintf(err, errlen, "kafka: producer has no transactional id");
	return 1;
}

static int kafka_producer_begin(struct producer *base, char *err, size_t errlen)
{
	struct kafka_producer *p = (struct kafka_producer *)base;
	int rc;

	if (not_transactional(p, err, errlen))
		return TRANSPORT_TXN_FATAL;
	rc = txn_status(rd_kafka_begin_transaction(p->rk), "begin transaction", err, errlen);
	if (rc == TRANSPORT_TXN_OK)
		p->in_txn = 1;
	return rc;
}

static int kafka_producer_commit(struct producer *base, int timeout_ms, char *err, size_t errlen)
{
	struct kafka_producer *p = (struct kafka_producer *)base;
	int rc;

	if (not_transactional(p, err, errlen))
		return TRANSPORT_TXN_FATAL;
	rc = txn_status(rd_kafka_commit_transaction(p->rk, timeout_ms), "commit transaction", err, errlen);
	if (rc == TRANSPORT_TXN_OK)
		p->in_txn = 0;
	return rc;
}

static int kafka_producer_abort(struct producer *base, int timeout_ms, char *err, size_t errlen)
{
	struct kafka_producer *p = (struct kafka_producer *)base;
	int rc;

	if (not_transactional(p, err, errlen))
		return TRANSPORT_TXN_FATAL;
	rc = txn_status(rd_kafka_abort_transaction(p->rk, timeout_ms), "abort transaction", err, errlen);
	/* An abort that itself needs an abort cannot make progress. */
	if (rc == TRANSPORT_TXN_ABORTABLE)
		rc = TRANSPORT_TXN_FATAL;
	if (rc == TRANSPORT_TXN_OK)
		p->in_txn = 0;
	return rc;
}

/* Positions are "next offset to read" of every assigned partition; ones
 * with nothing read yet are logical offsets, which librdkafka skips. */
static int kafka_producer_send_offsets(struct producer *base, struct consumer *cbase, int timeout_ms,
				       char *err, size_t errlen)
{
	struct kafka_producer *p = (struct kafka_producer *)base;
	rd_kafka_t *crk = ((struct kafka_consumer *)cbase)->rk;
	rd_kafka_topic_partition_list_t *parts = NULL;
	rd_kafka_consumer_group_metadata_t *meta;
	rd_kafka_resp_err_t code;
	int rc;

	if (not_transactional(p, err, errlen))
		return TRANSPORT_TXN_FATAL;
	code = rd_kafka_assignment(crk, &parts);
	if (!code)
		code = rd_kafka_position(crk, parts);
	if (code) {
		snprintf(err, errlen, "kafka: consumer positions: %s", rd_kafka_err2str(code));
		if (parts)
			rd_kafka_topic_partition_list_destroy(parts);
		return TRANSPORT_TXN_ABORTABLE;
	}
	meta = rd_kafka_consumer_group_metadata(crk);
	rc = txn_status(rd_kafka_send_offsets_to_transaction(p->rk, parts, meta, timeout_ms),
			"send offsets to transaction", err, errlen);
	rd_kafka_consumer_group_metadata_destroy(meta);
	rd_kafka_topic_partition_list_destroy(parts);
	return rc;
}

/* ---- consumer ----------------------------------------------------------- */

static void note_rebalance_error(struct kafka_consumer *c, const char *what, rd_kafka_error_t *error)
{
	if (!error)
		return;
	snprintf(c->rebalance_err, sizeof(c->rebalance_err), "kafka: %s failed: %s", what,
		 rd_kafka_error_string(error));
	rd_kafka_error_destroy(error);
}

static void note_rebalance_code(struct kafka_consumer *c, const char *what, rd_kafka_resp_err_t code)
{
	if (code)
		snprintf(c->rebalance_err, sizeof(c->rebalance_err), "kafka: %s failed: %s", what,
			 rd_kafka_err2str(code));
}

/* No commit on revocation: what was not committed by the caller is not
 * finished, and the partition's next owner must see it again. */
static void on_rebalance(rd_kafka_t *rk, rd_kafka_resp_err_t code,
			 rd_kafka_topic_partition_list_t *parts, void *opaque)
{
	struct kafka_consumer *c = opaque;
	int cooperative = !strcmp(rd_kafka_rebalance_protocol(rk), "COOPERATIVE");

	/* While the partitions are still ours: the owner's last chance to
	 * finish (commit or abort) work that covers them. */
	if (code != RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS && c->on_revoke)
		c->on_revoke(c->revoke_ctx, rd_kafka_assignment_lost(rk));
	if (code == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS && cooperative)
		note_rebalance_error(c, "incremental assign", rd_kafka_incremental_assign(rk, parts));
	else if (code == RD_KAFKA_RESP_ERR__ASSIGN_PARTITIONS)
		note_rebalance_code(c, "assign", rd_kafka_assign(rk, parts));
	else if (cooperative)
		note_rebalance_error(c, "incremental unassign", rd_kafka_incremental_unassign(rk, parts));
	else
		note_rebalance_code(c, "unassign", rd_kafka_assign(rk, NULL));
}

static const char *const consumer_defaults[][2] = {
	{"partition.assignment.strategy", "cooperative-sticky"},
	{"enable.auto.commit", "false"},
	{"enable.auto.offset.store", "false"},
	{"auto.offset.reset", "earliest"},
};

static rd_kafka_conf_t *consumer_conf(const struct transport_config *cfg, struct kafka_consumer *c,
				      char *err, size_t errlen)
{
	rd_kafka_conf_t *conf;
	char reader_group[64];

	if (!cfg->read_all && (!cfg->group_id || !*cfg->group_id)) {
		snprintf(err, errlen, "kafka: consumer needs a group id");
		return NULL;
	}
	/* A table reader assigns partitions itself and never commits; the
	 * group id librdkafka wants is never joined. */
	snprintf(reader_group, sizeof(reader_group), "rampart-reader-%d", (int)getpid());
	conf = conf_base(cfg, err, errlen);
	if (!conf)
		return NULL;
	if ((cfg->read_all && conf_set(conf, "enable.partition.eof", "true", err, errlen)) ||
	    conf_set(conf, "group.id", cfg->read_all ? reader_group : cfg->group_id, err, errlen) ||
	    conf_set_all(conf, consumer_defaults, sizeof(consumer_defaults) / sizeof(consumer_defaults[0]),
			 cfg, err, errlen)) {
		rd_kafka_conf_destroy(conf);
		return NULL;
	}
	rd_kafka_conf_set_rebalance_cb(conf, on_rebalance);
	rd_kafka_conf_set_opaque(conf, c);
	return conf;
}

static int subscribe(rd_kafka_t *rk, const char *const *topics, size_t ntopics, char *err,
		     size_t errlen)
{
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new((int)ntopics);
	rd_kafka_resp_err_t code;

	for (size_t i = 0; i < ntopics; i++)
		rd_kafka_topic_partition_list_add(list, topics[i], RD_KAFKA_PARTITION_UA);
	code = rd_kafka_subscribe(rk, list);
	rd_kafka_topic_partition_list_destroy(list);
	if (code)
		snprintf(err, errlen, "kafka: subscribe: %s", rd_kafka_err2str(code));
	return code ? -1 : 0;
}

/* read_all: every partition of the one topic, from the beginning. */
static int assign_all(struct kafka_consumer *c, const char *const *topics, size_t ntopics, char *err,
		      size_t errlen)
{
	rd_kafka_topic_partition_list_t *list;
	const struct rd_kafka_metadata *md = NULL;
	rd_kafka_resp_err_t code = RD_KAFKA_RESP_ERR_NO_ERROR;

	if (ntopics != 1) {
		snprintf(err, errlen, "kafka: read_all reads exactly one topic");
		return -1;
	}
	list = rd_kafka_topic_partition_list_new(16);
	for (size_t i = 0; i < ntopics && !code; i++) {
		rd_kafka_topic_t *t = rd_kafka_topic_new(c->rk, topics[i], NULL);

		code = t ? rd_kafka_metadata(c->rk, 0, t, &md, 10000) : RD_KAFKA_RESP_ERR__INVALID_ARG;
		if (!code && (md->topic_cnt != 1 || md->topics[0].err))
			code = md->topic_cnt == 1 ? md->topics[0].err : RD_KAFKA_RESP_ERR__UNKNOWN_TOPIC;
		for (int p = 0; !code && p < md->topics[0].partition_cnt; p++)
			rd_kafka_topic_partition_list_add(list, topics[i], md->topics[0].partitions[p].id)->offset =
				RD_KAFKA_OFFSET_BEGINNING;
		if (md)
			rd_kafka_metadata_destroy(md);
		md = NULL;
		if (t)
			rd_kafka_topic_destroy(t);
		if (code)
			snprintf(err, errlen, "kafka: topic %s: %s", topics[i], rd_kafka_err2str(code));
	}
	c->nat_end = c->unread_partitions = list->cnt;
	c->at_end = code ? NULL : calloc((size_t)list->cnt + 1, 1);
	if (!code && !c->at_end)
		snprintf(err, errlen, "kafka: out of memory"), code = RD_KAFKA_RESP_ERR__FAIL;
	if (!code && (code = rd_kafka_assign(c->rk, list)))
		snprintf(err, errlen, "kafka: assign: %s", rd_kafka_err2str(code));
	rd_kafka_topic_partition_list_destroy(list);
	return code ? -1 : 0;
}

/* read_all: a partition reached its end; 1 when that completes the first
 * full read. */
static int note_partition_end(struct kafka_consumer *c, const rd_kafka_message_t *m)
{
	int i = m->partition;

	if (c->unread_partitions == 0 || i < 0 || i >= c->nat_end || c->at_end[i])
		return 0;
	c->at_end[i] = 1;
	return --c->unread_partitions == 0;
}

static struct consumer *kafka_consumer_open(const struct transport_config *cfg,
					    const char *const *topics, size_t ntopics, char *err,
					    size_t errlen)
{
	struct kafka_consumer *c;
	rd_kafka_conf_t *conf;

	if (ntopics == 0) {
		snprintf(err, errlen, "kafka: consumer needs at least one topic");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c) {
		snprintf(err, errlen, "kafka: out of memory");
		return NULL;
	}
	c->on_revoke = cfg->on_revoke;
	c->revoke_ctx = cfg->revoke_ctx;
	conf = consumer_conf(cfg, c, err, errlen);
	c->rk = conf ? kafka_new(RD_KAFKA_CONSUMER, conf, err, errlen) : NULL;
	if (!c->rk) {
		free(c);
		return NULL;
	}
	rd_kafka_poll_set_consumer(c->rk);
	if (cfg->read_all ? assign_all(c, topics, ntopics, err, errlen)
			  : subscribe(c->rk, topics, ntopics, err, errlen)) {
		rd_kafka_destroy(c->rk);
		free(c->at_end);
		free(c);
		return NULL;
	}
	return &c->base;
}

/* Errors librdkafka recovers from by itself (reconnects, coordinator moves,
 * topics not created yet); the caller learns nothing useful from them. */
static int transient(rd_kafka_resp_err_t code)
{
	switch (code) {
	case RD_KAFKA_RESP_ERR__PARTITION_EOF:
	case RD_KAFKA_RESP_ERR__TRANSPORT:
	case RD_KAFKA_RESP_ERR__ALL_BROKERS_DOWN:
	case RD_KAFKA_RESP_ERR__RESOLVE:
	case RD_KAFKA_RESP_ERR__TIMED_OUT:
	case RD_KAFKA_RESP_ERR_REQUEST_TIMED_OUT:
	case RD_KAFKA_RESP_ERR_NOT_COORDINATOR:
	case RD_KAFKA_RESP_ERR_COORDINATOR_NOT_AVAILABLE:
	case RD_KAFKA_RESP_ERR_COORDINATOR_LOAD_IN_PROGRESS:
	case RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART:
	case RD_KAFKA_RESP_ERR_LEADER_NOT_AVAILABLE:
	case RD_KAFKA_RESP_ERR_NOT_LEADER_FOR_PARTITION:
		return 1;
	default:
		return 0;
	}
}

static void fill_msg(struct transport_msg *msg, rd_kafka_message_t *m)
{
	rd_kafka_timestamp_type_t type;

	msg->topic = rd_kafka_topic_name(m->rkt);
	msg->key = m->key;
	msg->key_len = m->key_len;
	msg->value = m->payload;
	msg->value_len = m->len;
	msg->partition = m->partition;
	msg->offset = m->offset;
	msg->timestamp_ms = rd_kafka_message_timestamp(m, &type);
	msg->handle = m;
}

static int take_rebalance_error(struct kafka_consumer *c, char *err, size_t errlen)
{
	if (!c->rebalance_err[0])
		return 0;
	snprintf(err, errlen, "%s", c->rebalance_err);
	c->rebalance_err[0] = '\0';
	return -1;
}

static int kafka_consumer_poll(struct consumer *base, struct transport_msg *msg, int timeout_ms,
			       char *err, size_t errlen)
{
	struct kafka_consumer *c = (struct kafka_consumer *)base;
	int64_t deadline = clock_mono_ms() + (timeout_ms > 0 ? timeout_ms : 0);

	for (;;) {
		int64_t left = deadline - clock_mono_ms();
		rd_kafka_message_t *m = rd_kafka_consumer_poll(c->rk, left > 0 ? (int)left : 0);

		if (fatal_error(c->rk, err, errlen)) {
			if (m)
				rd_kafka_message_destroy(m);
			return -1;
		}
		/* A message goes out before a pending rebalance error: dropping it
		 * here would let a later commit skip it. */
		if (m && !m->err) {
			fill_msg(msg, m);
			return 1;
		}
		if (take_rebalance_error(c, err, errlen)) {
			if (m)
				rd_kafka_message_destroy(m);
			return -1;
		}
		if (!m)
			return 0;
		if (m->err == RD_KAFKA_RESP_ERR__PARTITION_EOF && note_partition_end(c, m)) {
			rd_kafka_message_destroy(m);
			return -2;
		}
		if (!transient(m->err)) {
			snprintf(err, errlen, "kafka: consume: %s", rd_kafka_message_errstr(m));
			rd_kafka_message_destroy(m);
			return -1;
		}
		rd_kafka_message_destroy(m);
		if (left <= 0)
			return 0;
	}
}

static int kafka_consumer_commit(struct consumer *base, const struct transport_msg *msg, char *err,
				 size_t errlen)
{
	struct kafka_consumer *c = (struct kafka_consumer *)base;
	rd_kafka_topic_partition_list_t *list = rd_kafka_topic_partition_list_new(1);
	rd_kafka_topic_partition_t *tp = rd_kafka_topic_partition_list_add(list, msg->topic, msg->partition);
	rd_kafka_resp_err_t code;

	tp->offset = msg->offset + 1;
	/* Lets the broker detect a log truncation since the message was read. */
	if (msg->handle)
		rd_kafka_topic_partition_set_leader_epoch(
			tp, rd_kafka_message_leader_epoch((const rd_kafka_message_t *)msg->handle));
	code = rd_kafka_commit(c->rk, list, 0);
	if (!code)
		code = tp->err;
	if (code)
		snprintf(err, errlen, "kafka: commit %s[%d]@%lld: %s", msg->topic, (int)msg->partition,
			 (long long)msg->offset + 1, rd_kafka_err2str(code));
	rd_kafka_topic_partition_list_destroy(list);
	return code ? -1 : 0;
}

static int kafka_consumer_rewind(struct consumer *base, int timeout_ms, char *err, size_t errlen)
{
	struct kafka_consumer *c = (struct kafka_consumer *)base;
	rd_kafka_topic_partition_list_t *parts = NULL;
	rd_kafka_resp_err_t code = rd_kafka_assignment(c->rk, &parts);
	rd_kafka_error_t *error = NULL;

	if (!code && parts->cnt > 0)
		code = rd_kafka_committed(c->rk, parts, timeout_ms < 0 ? 30000 : timeout_ms);
	if (!code && parts->cnt > 0) {
		/* Nothing committed: the start, as auto.offset.reset=earliest does. */
		for (int i = 0; i < parts->cnt; i++)
			if (parts->elems[i].offset < 0)
				parts->elems[i].offset = RD_KAFKA_OFFSET_BEGINNING;
		error = rd_kafka_seek_partitions(c->rk, parts, timeout_ms < 0 ? 30000 : timeout_ms);
		for (int i = 0; !code && !error && i < parts->cnt; i++)
			code = parts->elems[i].err;
	}
	if (code)
		snprintf(err, errlen, "kafka: rewind: %s", rd_kafka_err2str(code));
	else if (error)
		snprintf(err, errlen, "kafka: rewind: %s", rd_kafka_error_string(error));
	if (error)
		rd_kafka_error_destroy(error);
	if (parts)
		rd_kafka_topic_partition_list_destroy(parts);
	return code || error ? -1 : 0;
}

/* From what the client already knows: the high watermarks the last fetch
 * responses carried and the positions consumed to, so it never waits on
 * the broker. A partition not fetched yet (no position or watermark) is
 * left out rather than guessed. */
static int kafka_consumer_lag(struct consumer *base, int64_t *lag)
{
	struct kafka_consumer *c = (struct kafka_consumer *)base;
	rd_kafka_topic_partition_list_t *parts = NULL;
	int64_t low, high;

	*lag = 0;
	if (rd_kafka_assignment(c->rk, &parts))
		return -1;
	if (parts->cnt > 0 && rd_kafka_position(c->rk, parts)) {
		rd_kafka_topic_partition_list_destroy(parts);
		return -1;
	}
	for (int i = 0; i < parts->cnt; i++) {
		const rd_kafka_topic_partition_t *tp = &parts->elems[i];

		if (tp->offset < 0 || rd_kafka_get_watermark_offsets(c->rk, tp->topic, tp->partition, &low, &high) ||
		    high < 0)
			continue;
		if (high > tp->offset)
			*lag += high - tp->offset;
	}
	rd_kafka_topic_partition_list_destroy(parts);
	return 0;
}

static void kafka_consumer_release(struct consumer *base, struct transport_msg *msg)
{
	(void)base;
	if (msg->handle)
		rd_kafka_message_destroy(msg->handle);
	msg->handle = NULL;
}

static void kafka_consumer_close(struct consumer *base)
{
	struct kafka_consumer *c = (struct kafka_consumer *)base;

	/* Leaves the group now rather than after the session timeout; commits nothing. */
	rd_kafka_consumer_close(c->rk);
	rd_kafka_destroy(c->rk);
	free(c->at_end);
	free(c);
}

const struct transport_ops transport_kafka_ops = {
	.name = "kafka",
	.producer_open = kafka_producer_open,
	.producer_send = kafka_producer_send,
	.producer_flush = kafka_producer_flush,
	.producer_stats = kafka_producer_stats,
	.producer_close = kafka_producer_close,
	.producer_send_with_headers = kafka_producer_send_with_headers,
	.producer_begin = kafka_producer_begin,
	.producer_send_offsets = kafka_producer_send_offsets,
	.producer_commit = kafka_producer_commit,
	.producer_abort = kafka_producer_abort,
	.consumer_rewind = kafka_consumer_rewind,
	.consumer_lag = kafka_consumer_lag,
	.consumer_open = kafka_consumer_open,
	.consumer_poll = kafka_consumer_poll,
	.consumer_commit = kafka_consumer_commit,
	.consumer_release = kafka_consumer_release,
	.consumer_close = kafka_consumer_close,
};
