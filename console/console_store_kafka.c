/* The kafka store: the compacted rulesets topic, followed into a local
 * directory by the evaluator's own topic reader (service_topic.h). */
#include "console_store_internal.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kafka_admin.h"
#include "service_log.h"
#include "service_topic.h"
#include "transport.h"

#define CONFIRM_TIMEOUT_MS 10000
#define SYNC_TIMEOUT_MS 30000

static int state_dir(struct console_store *s, const struct console_config *c, char *err, size_t errlen)
{
	char dir[1024];

	if (c->state_dir && *c->state_dir)
		snprintf(dir, sizeof(dir), "%s", c->state_dir);
	else {
		snprintf(dir, sizeof(dir), "%s/rampart-console.XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
		if (!mkdtemp(dir))
			return snprintf(err, errlen, "%s: %s", dir, strerror(errno)), -1;
		s->remove_state_dir = 1;
	}
	for (int k = 0; k < CONSOLE_KINDS; k++)
		snprintf(s->dirs[k], sizeof(s->dirs[k]), "%s", dir);
	return 0;
}

/* Best effort: deployments usually create their topics; a test broker or a
 * first start may not have it yet. */
static void create_topic(const struct console_config *c)
{
	static const struct transport_prop compact[] = {{"cleanup.policy", "compact"}};
	char err[512];

	if (kafka_create_topic(c->kafka.brokers, c->topic, 1, 1, compact, 1, 10000, err, sizeof(err)) == 0)
		service_info("rulesets topic created", json_pack("{s:s}", "topic", c->topic));
	else if (!strstr(err, "already exists"))
		service_warn("rulesets topic not created", json_pack("{s:s, s:s}", "topic", c->topic, "error", err));
}

int console_store_kafka_open(struct console_store *s, const struct console_config *c, char *err, size_t errlen)
{
	s->topic = c->topic;
	if (state_dir(s, c, err, errlen))
		return -1;
	create_topic(c);
	if (!(s->producer = producer_open(&c->kafka, err, errlen)))
		return -1;
	s->follower = service_topic_start(&c->kafka, c->topic, s->dirs[0], SYNC_TIMEOUT_MS, err, errlen);
	return s->follower ? 0 : -1;
}

static void remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char path[2048];

	if (!d)
		return;
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    (size_t)snprintf(path, sizeof(path), "%s/%s", dir, e->d_name) < sizeof(path))
			unlink(path);
	closedir(d);
	rmdir(dir);
}

void console_store_kafka_close(struct console_store *s)
{
	service_topic_stop(s->follower);
	if (s->producer) {
		producer_flush(s->producer, 5000);
		producer_close(s->producer);
	}
	if (s->remove_state_dir)
		remove_dir(s->dirs[0]);
}

/* 1 when path holds exactly text (text NULL: when path is absent). */
static int materialised(const char *path, const char *text, size_t len)
{
	FILE *f = fopen(path, "rb");
	char buf[4096];
	size_t off = 0, n;
	int same = 1;

	if (!f)
		return text == NULL && errno == ENOENT;
	if (!text)
		return fclose(f), 0;
	while (same && (n = fread(buf, 1, sizeof(buf), f)) > 0) {
		same = off + n <= len && memcmp(buf, text + off, n) == 0;
		off += n;
	}
	fclose(f);
	return same && off == len;
}

int console_store_kafka_put(struct console_store *s, const char *key, const char *path, const char *text,
			    size_t len, char *err, size_t errlen)
{
	struct timespec pause = {0, 20 * 1000000};

	if (producer_send(s->producer, s->topic, key, strlen(key), text, len, err, errlen))
		return -1;
	if (producer_flush(s->producer, CONFIRM_TIMEOUT_MS))
		return snprintf(err, errlen, "the broker did not acknowledge the record on %s", s->topic), -1;
	for (int waited = 0; waited < CONFIRM_TIMEOUT_MS; waited += 20) {
		if (materialised(path, text, len))
			return 0;
		nanosleep(&pause, NULL);
	}
	return snprintf(err, errlen, "the record was written to %s but has not come back within %d ms", s->topic,
			CONFIRM_TIMEOUT_MS), -1;
}
