/* What a transport implementation provides. transport.c dispatches the
 * public producer_* and consumer_* calls through these tables; each
 * implementation's state follows the common header as its first member. */
#ifndef RAMPART_TRANSPORT_IMPL_H
#define RAMPART_TRANSPORT_IMPL_H

#include "transport.h"

struct transport_ops;

struct producer {
	const struct transport_ops *ops;
};

struct consumer {
	const struct transport_ops *ops;
};

struct transport_ops {
	const char *name;
	struct producer *(*producer_open)(const struct transport_config *cfg, char *err, size_t errlen);
	int (*producer_send)(struct producer *p, const char *topic, const void *key, size_t key_len,
			     const void *value, size_t value_len, char *err, size_t errlen);
	int (*producer_flush)(struct producer *p, int timeout_ms);
	void (*producer_stats)(struct producer *p, struct producer_stats *out);
	void (*producer_close)(struct producer *p);
	/* Optional (NULL: see transport.h for the behaviour without them). */
	int (*producer_send_with_headers)(struct producer *p, const char *topic, const void *key,
					  size_t key_len, const void *value, size_t value_len,
					  const struct transport_header *h, size_t nh, char *err, size_t errlen);
	int (*producer_begin)(struct producer *p, char *err, size_t errlen);
	int (*producer_send_offsets)(struct producer *p, struct consumer *c, int timeout_ms, char *err,
				     size_t errlen);
	int (*producer_commit)(struct producer *p, int timeout_ms, char *err, size_t errlen);
	int (*producer_abort)(struct producer *p, int timeout_ms, char *err, size_t errlen);
	int (*consumer_rewind)(struct consumer *c, int timeout_ms, char *err, size_t errlen);
	int (*consumer_lag)(struct consumer *c, int64_t *lag);
	struct consumer *(*consumer_open)(const struct transport_config *cfg, const char *const *topics,
					  size_t ntopics, char *err, size_t errlen);
	int (*consumer_poll)(struct consumer *c, struct transport_msg *msg, int timeout_ms, char *err,
			     size_t errlen);
	int (*consumer_commit)(struct consumer *c, const struct transport_msg *msg, char *err, size_t errlen);
	void (*consumer_release)(struct consumer *c, struct transport_msg *msg);
	void (*consumer_close)(struct consumer *c);
};

extern const struct transport_ops transport_kafka_ops;
extern const struct transport_ops transport_local_ops;
extern const struct transport_ops transport_file_ops;

#endif
