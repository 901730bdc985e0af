#include "service_topic.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "service_log.h"

#define TOPIC_POLL_MS 200

struct service_topic {
	struct consumer *c;
	char dir[512];
	pthread_t thread;
	int started;
	atomic_int stop;
};

/* Keys become file names: keep [A-Za-z0-9_.-], hex-escape the rest, so no
 * key can name a path outside the directory. */
static int key_file(const struct service_topic *t, const struct transport_msg *m, char *out, size_t n)
{
	size_t len = (size_t)snprintf(out, n, "%s/", t->dir);
	const unsigned char *k = m->key;

	if (!m->key_len)
		return -1;
	for (size_t i = 0; i < m->key_len && len + 4 < n; i++) {
		int plain = (k[i] >= 'a' && k[i] <= 'z') || (k[i] >= 'A' && k[i] <= 'Z') ||
			    (k[i] >= '0' && k[i] <= '9') || k[i] == '_' || k[i] == '-' || (k[i] == '.' && i > 0);

		len += (size_t)snprintf(out + len, n - len, plain ? "%c" : "%%%02x", k[i]);
	}
	return len + 6 < n ? (snprintf(out + len, n - len, ".yaml"), 0) : -1;
}

static int write_atomically(const char *path, const void *data, size_t n)
{
	char tmp[640];
	FILE *f;
	int rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "w");
	if (!f)
		return -1;
	rc = fwrite(data, 1, n, f) == n ? 0 : -1;
	rc |= fclose(f);
	return rc ? (unlink(tmp), -1) : rename(tmp, path);
}

static void apply(const struct service_topic *t, const struct transport_msg *m)
{
	char path[600];

	if (key_file(t, m, path, sizeof(path))) {
		service_error("rulesets topic: record without a usable key",
			      json_pack("{s:I}", "offset", (json_int_t)m->offset));
		return;
	}
	if (m->value_len == 0 ? unlink(path) && errno != ENOENT : write_atomically(path, m->value, m->value_len))
		service_error("rulesets topic: cannot materialise record",
			      json_pack("{s:s, s:s}", "file", path, "error", strerror(errno)));
}

/* 1 caught up, 0 not yet, -1 error. */
static int poll_once(struct service_topic *t, char *err, size_t errlen)
{
	struct transport_msg m;
	int r = consumer_poll(t->c, &m, TOPIC_POLL_MS, err, errlen);

	if (r == 1) {
		apply(t, &m);
		consumer_release(t->c, &m);
	}
	return r == -2 ? 1 : r < 0 ? -1 : 0;
}

static void *follow(void *arg)
{
	struct service_topic *t = arg;
	char err[512];

	while (!atomic_load(&t->stop)) {
		if (poll_once(t, err, sizeof(err)) < 0)
			service_error("rulesets topic", json_pack("{s:s}", "error", err));
	}
	return NULL;
}

static int sync_topic(struct service_topic *t, int timeout_ms, char *err, size_t errlen)
{
	struct timespec now, end;
	int r;

	clock_gettime(CLOCK_MONOTONIC, &end);
	end.tv_sec += timeout_ms / 1000;
	do {
		r = poll_once(t, err, errlen);
		clock_gettime(CLOCK_MONOTONIC, &now);
	} while (r == 0 && now.tv_sec < end.tv_sec);
	if (r == 0)
		snprintf(err, errlen, "rulesets topic: not read to its end within %d ms", timeout_ms);
	return r == 1 ? 0 : -1;
}

struct service_topic *service_topic_start(const struct transport_config *kafka, const char *topic,
					  const char *dir, int sync_timeout_ms, char *err, size_t errlen)
{
	struct service_topic *t = calloc(1, sizeof(*t));
	struct transport_config cfg = *kafka;
	const char *topics[] = {topic};

	if (!t)
		return snprintf(err, errlen, "out of memory"), NULL;
	snprintf(t->dir, sizeof(t->dir), "%s", dir);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(t);
		return NULL;
	}
	cfg.read_all = 1;
	cfg.on_revoke = NULL;
	t->c = consumer_open(&cfg, topics, 1, err, errlen);
	if (!t->c || sync_topic(t, sync_timeout_ms, err, errlen)) {
		service_topic_stop(t);
		return NULL;
	}
	if (pthread_create(&t->thread, NULL, follow, t)) {
		snprintf(err, errlen, "rulesets topic: cannot start its reader thread");
		service_topic_stop(t);
		return NULL;
	}
	t->started = 1;
	return t;
}

void service_topic_stop(struct service_topic *t)
{
	if (!t)
		return;
	atomic_store(&t->stop, 1);
	if (t->started)
		pthread_join(t->thread, NULL);
	consumer_close(t->c);
	free(t);
}
