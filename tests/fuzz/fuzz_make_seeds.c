/* Writes the seed corpus for fuzz_event_decode into the directory argv[1]:
 * framed current-schema events (single-object and Confluent), framed v0
 * events written by avro-c, raw Event, Verdict and ActionResult bodies. */
#include "../unit/test_codec_fixtures.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "event_codec.h"
#include "event_message.h"
#include "framing.h"
#include "schema_canonical.h"

static void put(const char *dir, const char *kind, unsigned i, const uint8_t *p, size_t n)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s-%02u", dir, kind, i);
	fp = fopen(path, "wb");
	if (!fp || fwrite(p, 1, n, fp) != n || fclose(fp)) {
		perror(path);
		exit(1);
	}
}

static char *slurp(const char *path, size_t *len)
{
	static char json[65536];
	FILE *fp = fopen(path, "rb");

	if (!fp) {
		perror(path);
		exit(1);
	}
	*len = fread(json, 1, sizeof(json) - 1, fp);
	fclose(fp);
	json[*len] = '\0';
	return json;
}

static void v0_seeds(const char *dir, const char *v0_path)
{
	size_t len, n;
	char *json = slurp(v0_path, &len);
	uint8_t body[8192];
	struct codec_error err;
	struct rp_buf b = {0};
	struct rp_event ev;
	struct fx_avro a;
	uint64_t fp;

	if (schema_fingerprint_json(json, len, &fp, &err))
		exit(1);
	fx_avro_init(&a, json, len);
	for (unsigned v = 0; v < 5; v++) { /* args kinds v0 has: none..ns */
		fx_event(&ev, v);
		avro_value_reset(&a.value);
		fx_avro_event(&a.value, &ev);
		n = fx_avro_write(&a, body, sizeof(body));
		buf_reset(&b);
		if (v & 1 ? frame_write_confluent(&b, 41) : frame_write_single_object(&b, fp))
			exit(1);
		buf_append(&b, body, n);
		put(dir, "v0", v, b.data, b.len);
	}
	fx_avro_free(&a);
	buf_free(&b);
}

int main(int argc, char **argv)
{
	struct rp_buf b = {0};
	struct rp_event ev;
	struct rp_verdict vd;
	struct rp_action_result ar;

	if (argc != 3) {
		fprintf(stderr, "usage: %s OUTDIR EVENT_V0_AVSC\n", argv[0]);
		return 2;
	}
	if (mkdir(argv[1], 0755) && errno != EEXIST) {
		perror(argv[1]);
		return 1;
	}
	for (unsigned v = 0; v < 12; v++) {
		fx_event(&ev, v);
		buf_reset(&b);
		event_encode_message(&ev, &b);
		put(argv[1], "msg", v, b.data, b.len);
		buf_reset(&b);
		event_encode(&ev, &b);
		put(argv[1], "event", v, b.data, b.len);
	}
	for (unsigned v = 0; v < 3; v++) {
		fx_verdict(&vd, v + 1);
		buf_reset(&b);
		verdict_encode(&vd, &b);
		put(argv[1], "verdict", v, b.data, b.len);
		fx_action(&ar, v);
		buf_reset(&b);
		action_encode(&ar, &b);
		put(argv[1], "action", v, b.data, b.len);
	}
	v0_seeds(argv[1], argv[2]);
	buf_free(&b);
	return 0;
}
