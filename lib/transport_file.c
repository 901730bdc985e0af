/* The `file` transport: one Avro Object Container File (avro_ocf.h) per
 * producer or consumer, holding already-encoded records of cfg->schema_json.
 *
 * Producer: cfg->path is created/truncated and the header written at open.
 * producer_send appends the value bytes as one record (no re-encoding; the
 * topic and key are ignored: a file is a single stream) to the pending block,
 * which is written once it reaches FILE_BLOCK_BYTES or FILE_BLOCK_RECORDS,
 * and on flush/close. Stats: sent = records accepted, delivered = records in
 * blocks written to the file (durable once producer_flush or producer_close
 * has fsync'ed), failed = records in a block whose write failed. A write
 * failure is sticky: that send and every later one return -1. Thread-safe.
 *
 * Consumer: reads cfg->path from the start (commit is a successful no-op;
 * there is no stored position). With cfg->record_size one message = one
 * record, offset = its index in the file; without, one message = one block,
 * offset = the block index. A block is validated whole (sync marker, record
 * boundaries) before any of its records is handed out, so a damaged or
 * truncated block yields -1 after every complete block before it; errors
 * are sticky, -2 means a clean end of file. timeout_ms is ignored (reads
 * never wait for data). Messages point into a reference-counted block, so
 * nothing is copied and a message stays valid until consumer_release. */
#include "avro_ocf.h"
#include "transport_impl.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

/* Blocks around avro-c's default size keep memory bounded for readers of
 * both implementations while amortising the per-block framing. */
#define FILE_BLOCK_BYTES ((size_t)64 << 10)
#define FILE_BLOCK_RECORDS 4096

struct file_producer {
	struct producer hdr;
	pthread_mutex_t mu; /* guards everything below */
	int fd;
	uint8_t sync[OCF_SYNC_LEN];
	struct rp_buf block;
	int64_t count;
	struct producer_stats st;
	int write_errno; /* sticky: nonzero once a write failed */
};

/* ---- producer ---- */

static int write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return errno;
		if (w == 0)
			return EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

static int fill_sync(uint8_t *sync)
{
	size_t got = 0;

	while (got < OCF_SYNC_LEN) {
		ssize_t n = getrandom(sync + got, OCF_SYNC_LEN - got, 0);

		if (n < 0 && errno != EINTR)
			return -1;
		if (n > 0)
			got += (size_t)n;
	}
	return 0;
}

/* Writes the header through p->block (empty before and after). */
static int write_header(struct file_producer *p, const char *schema_json)
{
	int rc;

	if (fill_sync(p->sync))
		return errno;
	if (ocf_header_encode(&p->block, schema_json, p->sync))
		return ENOMEM;
	rc = write_all(p->fd, p->block.data, p->block.len);
	buf_reset(&p->block);
	return rc;
}

static struct producer *file_producer_open(const struct transport_config *cfg, char *err,
					   size_t errlen)
{
	struct file_producer *p;
	int rc;

	if (!cfg->path || !cfg->schema_json) {
		snprintf(err, errlen, "file transport: producer needs path and schema_json");
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p || pthread_mutex_init(&p->mu, NULL)) {
		snprintf(err, errlen, "file transport: out of memory");
		free(p);
		return NULL;
	}
	p->fd = open(cfg->path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	rc = p->fd < 0 ? errno : write_header(p, cfg->schema_json);
	if (rc) {
		snprintf(err, errlen, "file transport: %s: %s", cfg->path, strerror(rc));
		if (p->fd >= 0)
			close(p->fd);
		buf_free(&p->block);
		pthread_mutex_destroy(&p->mu);
		free(p);
		return NULL;
	}
	return &p->hdr;
}

/* Caller holds p->mu. Writes the pending block (if any); 0 or an errno. */
static int write_block(struct file_producer *p)
{
	uint8_t prefix[2 * OCF_LONG_MAX_LEN];
	size_t n;
	int rc;

	if (p->count == 0)
		return 0;
	n = ocf_block_prefix(prefix, p->count, p->block.len);
	rc = write_all(p->fd, prefix, n);
	if (!rc)
		rc = write_all(p->fd, p->block.data, p->block.len);
	if (!rc)
		rc = write_all(p->fd, p->sync, OCF_SYNC_LEN);
	if (rc) {
		p->write_errno = rc;
		p->st.failed += (uint64_t)p->count;
	} else {
		p->st.delivered += (uint64_t)p->count;
	}
	buf_reset(&p->block);
	p->count = 0;
	return rc;
}

/* Caller holds p->mu. */
static int append_record(struct file_producer *p, const void *value, size_t value_len, char *err,
			 size_t errlen)
{
	int rc = 0;

	if (value_len > OCF_MAX_BLOCK_BYTES) {
		snprintf(err, errlen, "file transport: %zu-byte record exceeds the %zu-byte block limit",
			 value_len, OCF_MAX_BLOCK_BYTES);
		return -1;
	}
	if (value_len > OCF_MAX_BLOCK_BYTES - p->block.len)
		rc = write_block(p); /* keep every block readable by our own reader */
	if (!rc && buf_append(&p->block, value, value_len)) {
		snprintf(err, errlen, "file transport: out of memory");
		return -1;
	}
	if (!rc) {
		p->count++;
		p->st.sent++;
		if (p->block.len >= FILE_BLOCK_BYTES || p->count >= FILE_BLOCK_RECORDS)
			rc = write_block(p);
	}
	if (rc) {
		snprintf(err, errlen, "file transport: write failed: %s", strerror(rc));
		return -1;
	}
	return 0;
}

static int file_producer_send(struct producer *hdr, const char *topic, const void *key,
			      size_t key_len, const void *value, size_t value_len, char *err,
			      size_t errlen)
{
	struct file_producer *p = (struct file_producer *)hdr;
	int rc;

	(void)topic;
	(void)key;
	(void)key_len;
	if (!value && value_len) {
		snprintf(err, errlen, "file transport: invalid arguments");
		return -1;
	}
	pthread_mutex_lock(&p->mu);
	if (p->write_errno) {
		snprintf(err, errlen, "file transport: earlier write failed: %s",
			 strerror(p->write_errno));
		rc = -1;
	} else {
		rc = append_record(p, value, value_len, err, errlen);
	}
	pthread_mutex_unlock(&p->mu);
	return rc;
}

/* Caller holds p->mu. */
static int flush_locked(struct file_producer *p)
{
	if (!p->write_errno)
		write_block(p);
	if (!p->write_errno && fsync(p->fd))
		p->write_errno = errno;
	return p->write_errno || p->st.failed ? -1 : 0;
}

static int file_producer_flush(struct producer *hdr, int timeout_ms)
{
	struct file_producer *p = (struct file_producer *)hdr;
	int rc;

	(void)timeout_ms; /* synchronous */
	pthread_mutex_lock(&p->mu);
	rc = flush_locked(p);
	pthread_mutex_unlock(&p->mu);
	return rc;
}

static void file_producer_stats(struct producer *hdr, struct producer_stats *out)
{
	struct file_producer *p = (struct file_producer *)hdr;

	pthread_mutex_lock(&p->mu);
	*out = p->st;
	pthread_mutex_unlock(&p->mu);
}

static void file_producer_close(struct producer *hdr)
{
	struct file_producer *p = (struct file_producer *)hdr;

	pthread_mutex_lock(&p->mu);
	flush_locked(p);
	pthread_mutex_unlock(&p->mu);
	close(p->fd);
	buf_free(&p->block);
	pthread_mutex_destroy(&p->mu);
	free(p);
}

/* ---- consumer ---- */

/* One block's records, shared by the messages pointing into it. */
struct file_block {
	atomic_int refs;
	struct rp_buf data;
};

struct file_consumer {
	struct consumer hdr;
	struct ocf_reader r;
	char *topic;
	size_t (*record_size)(const uint8_t *p, size_t n, void *ctx);
	void *record_ctx;
	struct file_block *cur; /* the consumer's own reference */
	size_t pos;             /* next record in cur */
	int64_t left;           /* messages left in cur */
	int64_t next_offset;    /* record index of the next record */
	int64_t block_index;    /* index of cur */
	int state;              /* 0 reading, -1 failed, -2 end of file */
	char errmsg[256];       /* repeated on every poll once failed */
};

static void block_unref(struct file_block *b)
{
	if (b && atomic_fetch_sub(&b->refs, 1) == 1) {
		buf_free(&b->data);
		free(b);
	}
}

static struct consumer *file_consumer_open(const struct transport_config *cfg,
					   const char *const *topics, size_t ntopics, char *err,
					   size_t errlen)
{
	const char *name = ntopics && topics && topics[0] ? topics[0] : cfg->path;
	struct file_consumer *c;

	if (!cfg->path) {
		snprintf(err, errlen, "file transport: consumer needs a path");
		return NULL;
	}
	c = calloc(1, sizeof(*c));
	if (!c || !(c->topic = strdup(name))) {
		snprintf(err, errlen, "file transport: out of memory");
		free(c);
		return NULL;
	}
	if (ocf_reader_open(&c->r, cfg->path, err, errlen)) {
		free(c->topic);
		free(c);
		return NULL;
	}
	c->record_size = cfg->record_size;
	c->record_ctx = cfg->record_ctx;
	c->block_index = -1;
	return &c->hdr;
}

/* A block to read into: cur itself when no message still points into it. */
static struct file_block *block_for_reading(struct file_consumer *c)
{
	struct file_block *b = c->cur;

	if (b && atomic_load(&b->refs) == 1)
		return b; /* only our reference left, and only we add references */
	block_unref(b);
	c->cur = NULL;
	b = calloc(1, sizeof(*b));
	if (b)
		atomic_init(&b->refs, 1);
	return b;
}

/* Checks that count records exactly fill the block. */
static int check_records(struct file_consumer *c, int64_t count, char *err, size_t errlen)
{
	const struct rp_buf *d = &c->cur->data;
	size_t pos = 0;

	if ((uint64_t)count > d->len) /* record_size never returns 0-byte records */
		goto bad;
	for (int64_t i = 0; i < count; i++) {
		size_t n = c->record_size(d->data + pos, d->len - pos, c->record_ctx);

		if (n == 0 || n > d->len - pos)
			goto bad;
		pos += n;
	}
	if (pos == d->len)
		return 0;
bad:
	snprintf(err, errlen, "file transport: block %lld: records do not match its count %lld",
		 (long long)c->block_index, (long long)count);
	return -1;
}

/* Loads the next non-empty block into cur. 1, 0 end of file, -1 error. */
static int next_block(struct file_consumer *c, char *err, size_t errlen)
{
	int64_t count = 0;
	int rc;

	do {
		c->cur = block_for_reading(c);
		if (!c->cur) {
			snprintf(err, errlen, "file transport: out of memory");
			return -1;
		}
		rc = ocf_reader_next_block(&c->r, &c->cur->data, &count, err, errlen);
		if (rc != 1)
			return rc;
		c->block_index++;
		if (count == 0 && c->cur->data.len) {
			snprintf(err, errlen, "file transport: block %lld: 0 records in %zu bytes",
				 (long long)c->block_index, c->cur->data.len);
			return -1;
		}
	} while (count == 0);
	if (c->record_size && check_records(c, count, err, errlen))
		return -1;
	c->pos = 0;
	c->left = c->record_size ? count : 1;
	return 1;
}

static void fill_msg(struct file_consumer *c, struct transport_msg *msg)
{
	const struct rp_buf *d = &c->cur->data;
	size_t n = d->len;

	if (c->record_size) /* check_records proved this fits */
		n = c->record_size(d->data + c->pos, d->len - c->pos, c->record_ctx);
	*msg = (struct transport_msg){
		.topic = c->topic,
		.value = d->data + c->pos,
		.value_len = n,
		.offset = c->record_size ? c->next_offset++ : c->block_index,
		.timestamp_ms = -1,
		.handle = c->cur,
	};
	atomic_fetch_add(&c->cur->refs, 1);
	c->pos += n;
	c->left--;
}

static int file_consumer_poll(struct consumer *hdr, struct transport_msg *msg, int timeout_ms,
			      char *err, size_t errlen)
{
	struct file_consumer *c = (struct file_consumer *)hdr;

	(void)timeout_ms;
	if (c->state == -1)
		snprintf(err, errlen, "%s", c->errmsg);
	if (c->state)
		return c->state;
	if (c->left == 0) {
		int rc = next_block(c, c->errmsg, sizeof(c->errmsg));

		if (rc != 1) {
			c->state = rc == 0 ? -2 : -1;
			if (rc == -1)
				snprintf(err, errlen, "%s", c->errmsg);
			return c->state;
		}
	}
	fill_msg(c, msg);
	return 1;
}

static int file_consumer_commit(struct consumer *c, const struct transport_msg *msg, char *err,
				size_t errlen)
{
	(void)c;
	(void)msg;
	(void)err;
	(void)errlen;
	return 0; /* no stored position: a file is always read from its start */
}

static void file_consumer_release(struct consumer *c, struct transport_msg *msg)
{
	(void)c;
	block_unref(msg->handle);
	msg->handle = NULL;
}

static void file_consumer_close(struct consumer *hdr)
{
	struct file_consumer *c = (struct file_consumer *)hdr;

	block_unref(c->cur);
	ocf_reader_close(&c->r);
	free(c->topic);
	free(c);
}

const struct transport_ops transport_file_ops = {
	.name = "file",
	.producer_open = file_producer_open,
	.producer_send = file_producer_send,
	.producer_flush = file_producer_flush,
	.producer_stats = file_producer_stats,
	.producer_close = file_producer_close,
	.consumer_open = file_consumer_open,
	.consumer_poll = file_consumer_poll,
	.consumer_commit = file_consumer_commit,
	.consumer_release = file_consumer_release,
	.consumer_close = file_consumer_close,
};
