#include "transport_impl.h"

#include <stdio.h>

static const struct transport_ops *transport_ops_for(enum transport_kind kind)
{
	switch (kind) {
	case TRANSPORT_KAFKA:
		return &transport_kafka_ops;
	case TRANSPORT_LOCAL:
		return &transport_local_ops;
	case TRANSPORT_FILE:
		return &transport_file_ops;
	}
	return NULL;
}

struct producer *producer_open(const struct transport_config *cfg, char *err, size_t errlen)
{
	const struct transport_ops *ops = transport_ops_for(cfg->kind);
	struct producer *p;

	if (!ops) {
		snprintf(err, errlen, "unknown transport kind %d", (int)cfg->kind);
		return NULL;
	}
	p = ops->producer_open(cfg, err, errlen);
	if (p)
		p->ops = ops;
	return p;
}

int producer_send(struct producer *p, const char *topic, const void *key, size_t key_len,
		  const void *value, size_t value_len, char *err, size_t errlen)
{
	return p->ops->producer_send(p, topic, key, key_len, value, value_len, err, errlen);
}

int producer_flush(struct producer *p, int timeout_ms)
{
	return p->ops->producer_flush(p, timeout_ms);
}

void producer_stats(struct producer *p, struct producer_stats *out)
{
	p->ops->producer_stats(p, out);
}

void producer_close(struct producer *p)
{
	if (p)
		p->ops->producer_close(p);
}

struct consumer *consumer_open(const struct transport_config *cfg, const char *const *topics,
			       size_t ntopics, char *err, size_t errlen)
{
	const struct transport_ops *ops = transport_ops_for(cfg->kind);
	struct consumer *c;

	if (!ops) {
		snprintf(err, errlen, "unknown transport kind %d", (int)cfg->kind);
		return NULL;
	}
	c = ops->consumer_open(cfg, topics, ntopics, err, errlen);
	if (c)
		c->ops = ops;
	return c;
}

int consumer_poll(struct consumer *c, struct transport_msg *msg, int timeout_ms, char *err, size_t errlen)
{
	return c->ops->consumer_poll(c, msg, timeout_ms, err, errlen);
}

int consumer_commit(struct consumer *c, const struct transport_msg *msg, char *err, size_t errlen)
{
	return c->ops->consumer_commit(c, msg, err, errlen);
}

void consumer_release(struct consumer *c, struct transport_msg *msg)
{
	c->ops->consumer_release(c, msg);
}

void consumer_close(struct consumer *c)
{
	if (c)
		c->ops->consumer_close(c);
}

/* ---- headers and transactions: optional per implementation ------------- */

int producer_send_with_headers(struct producer *p, const char *topic, const void *key, size_t key_len,
			       const void *value, size_t value_len, const struct transport_header *h,
			       size_t nh, char *err, size_t errlen)
{
	if (!p->ops->producer_send_with_headers) /* local, file: no place for headers */
		return p->ops->producer_send(p, topic, key, key_len, value, value_len, err, errlen);
	return p->ops->producer_send_with_headers(p, topic, key, key_len, value, value_len, h, nh, err,
						   errlen);
}

int producer_begin(struct producer *p, char *err, size_t errlen)
{
	return p->ops->producer_begin ? p->ops->producer_begin(p, err, errlen) : TRANSPORT_TXN_OK;
}

int producer_send_offsets(struct producer *p, struct consumer *c, int timeout_ms, char *err, size_t errlen)
{
	if (!p->ops->producer_send_offsets)
		return TRANSPORT_TXN_OK; /* their consumers have no stored position */
	if (c->ops != p->ops) {
		snprintf(err, errlen, "transaction offsets: %s producer, %s consumer", p->ops->name,
			 c->ops->name);
		return TRANSPORT_TXN_FATAL;
	}
	return p->ops->producer_send_offsets(p, c, timeout_ms, err, errlen);
}

int producer_commit(struct producer *p, int timeout_ms, char *err, size_t errlen)
{
	if (p->ops->producer_commit)
		return p->ops->producer_commit(p, timeout_ms, err, errlen);
	if (p->ops->producer_flush(p, timeout_ms < 0 ? 60000 : timeout_ms) == 0)
		return TRANSPORT_TXN_OK;
	snprintf(err, errlen, "%s: flush failed", p->ops->name);
	return TRANSPORT_TXN_FATAL;
}

int producer_abort(struct producer *p, int timeout_ms, char *err, size_t errlen)
{
	if (p->ops->producer_abort)
		return p->ops->producer_abort(p, timeout_ms, err, errlen);
	snprintf(err, errlen, "%s: no transactions, nothing can be aborted", p->ops->name);
	return TRANSPORT_TXN_FATAL;
}

int consumer_rewind(struct consumer *c, int timeout_ms, char *err, size_t errlen)
{
	if (c->ops->consumer_rewind)
		return c->ops->consumer_rewind(c, timeout_ms, err, errlen);
	snprintf(err, errlen, "%s: consumer cannot rewind", c->ops->name);
	return -1;
}

int consumer_lag(struct consumer *c, int64_t *lag)
{
	*lag = 0;
	return c->ops->consumer_lag ? c->ops->consumer_lag(c, lag) : -1;
}
