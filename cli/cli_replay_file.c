#include "cli_replay_file.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "avro_ocf.h"
#include "event_codec.h"
#include "schema_canonical.h"
#include "schema_defs.h"

/* Undecodable records are reported one by one up to this many; the summary
 * counts them all. */
#define MAX_WARNINGS 5

struct reader {
	const struct recording_read *r;
	struct ocf_reader ocf;
	struct rp_buf block;
	struct event_scratch split, scratch;
	uint64_t pos, warnings; /* pos: bytes read so far (per block: ftell is a system call) */
	int64_t blocks;
};

static void warn(struct reader *rd, const char *fmt, long long a, long long b, const char *why)
{
	if (rd->warnings++ >= MAX_WARNINGS)
		return;
	if (rd->r->progress)
		progress_hide(rd->r->progress);
	fprintf(stderr, "rampart: %s: ", rd->r->path);
	fprintf(stderr, fmt, a, b);
	fprintf(stderr, ": %s%s\n", why, rd->warnings == MAX_WARNINGS ? " (further ones are only counted)" : "");
}

static int check_schema(struct reader *rd, char *err, size_t errlen)
{
	struct codec_error cerr;
	uint64_t fp;

	if (schema_fingerprint_json(rd->ocf.schema, strlen(rd->ocf.schema), &fp, &cerr))
		return snprintf(err, errlen, "%s: the file's schema does not parse: %s", rd->r->path, cerr.msg), -1;
	if (fp != schema_event_fingerprint)
		return snprintf(err, errlen,
				"%s: not a recording of this version's Events (writer schema %016llx, expected "
				"%016llx): record it again with this version",
				rd->r->path, (unsigned long long)fp, (unsigned long long)schema_event_fingerprint),
		       -1;
	return 0;
}

static int one_record(struct reader *rd, const uint8_t *p, size_t n, int64_t index, char *err, size_t errlen)
{
	const struct recording_read *r = rd->r;
	struct codec_error cerr;
	struct rp_event ev;

	if (event_decode(p, n, &ev, &rd->scratch, &cerr)) {
		r->counts->undecodable++;
		warn(rd, "block %lld record %lld", (long long)rd->blocks, (long long)index, cerr.msg);
		return 0;
	}
	if (!replay_filter_time(r->filter, ev.time_ns) || !replay_filter_event(r->filter, &ev))
		return 0;
	r->counts->selected++;
	return r->fn(r->ctx, &ev, err, errlen);
}

static int each_record(struct reader *rd, int64_t count, char *err, size_t errlen)
{
	const struct recording_read *r = rd->r;
	size_t off = 0, len;

	for (int64_t i = 0; i < count; i++) {
		if (*r->stop)
			return 1;
		len = off < rd->block.len ? event_record_size(rd->block.data + off, rd->block.len - off, &rd->split) : 0;
		if (len == 0) {
			r->counts->read += (uint64_t)(count - i);
			r->counts->undecodable += (uint64_t)(count - i);
			warn(rd, "block %lld: records %lld on", (long long)rd->blocks, (long long)i,
			     "no Event decodes there: the rest of the block is skipped");
			return 0;
		}
		r->counts->read++;
		if (one_record(rd, rd->block.data + off, len, i, err, errlen))
			return -1;
		off += len;
		if (r->progress)
			progress_update(r->progress, rd->pos, r->counts->read);
	}
	return 0;
}

static int each_block(struct reader *rd, char *err, size_t errlen)
{
	char why[512];
	int64_t count;
	int rc;

	while ((rc = ocf_reader_next_block(&rd->ocf, &rd->block, &count, why, sizeof(why))) == 1) {
		long pos = ftell(rd->ocf.f);

		rd->blocks++;
		rd->pos = pos > 0 ? (uint64_t)pos : rd->pos;
		if ((rc = each_record(rd, count, err, errlen)))
			return rc;
	}
	if (rc < 0)
		snprintf(err, errlen, "%s: %s (the %lld complete blocks before it were read)", rd->r->path, why,
			 (long long)rd->blocks);
	return rc;
}

int recording_read(const struct recording_read *r, char *err, size_t errlen)
{
	struct reader *rd = calloc(1, sizeof(*rd));
	struct stat st;
	char why[512];
	int rc;

	if (!rd)
		return snprintf(err, errlen, "out of memory"), -1;
	rd->r = r;
	if (ocf_reader_open(&rd->ocf, r->path, why, sizeof(why))) {
		free(rd);
		/* some of the reader's messages name the file already */
		if (strncmp(why, r->path, strlen(r->path)) == 0)
			return snprintf(err, errlen, "%s", why), -1;
		return snprintf(err, errlen, "%s: %s", r->path, why), -1;
	}
	rc = check_schema(rd, err, errlen);
	if (!rc && r->progress)
		progress_start(r->progress, stderr, fstat(fileno(rd->ocf.f), &st) ? 0 : (uint64_t)st.st_size);
	if (!rc)
		rc = each_block(rd, err, errlen);
	if (r->progress)
		progress_end(r->progress);
	ocf_reader_close(&rd->ocf);
	buf_free(&rd->block);
	free(rd);
	return rc;
}
