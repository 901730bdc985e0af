/* Recordings: Events written through the file transport are a standard
 * Avro Object Container File of the Event schema (avro-c reads it), and the
 * file consumer splits it back into the same events without re-encoding. */
#include "test_codec_fixtures.h"

#include <stdlib.h>
#include <unistd.h>

#include "event_codec.h"
#include "schema_defs.h"
#include "transport.h"

#define NEVENTS 5000

static char path[] = "/tmp/rampart-recording-XXXXXX";

static void write_recording(void)
{
	struct transport_config cfg = {.kind = TRANSPORT_FILE, .path = path, .schema_json = schema_event_json};
	struct producer *p;
	struct producer_stats st;
	struct rp_buf b = {0};
	struct rp_event ev;
	char err[256];

	p = producer_open(&cfg, err, sizeof(err));
	if (!p)
		fail_msg("%s", err);
	for (unsigned i = 0; i < NEVENTS; i++) {
		fx_event(&ev, i);
		ev.sequence = i;
		buf_reset(&b);
		assert_int_equal(event_encode(&ev, &b), 0);
		if (producer_send(p, "rampart.events", NULL, 0, b.data, b.len, err, sizeof(err)))
			fail_msg("%s", err);
	}
	assert_int_equal(producer_flush(p, 1000), 0);
	producer_stats(p, &st);
	assert_int_equal(st.delivered, NEVENTS);
	producer_close(p);
	buf_free(&b);
}

static void test_avro_c_reads_recording(void **state)
{
	avro_file_reader_t reader;
	avro_schema_t schema;
	avro_value_iface_t *iface;
	avro_value_t rec, field;
	int64_t seq;
	unsigned n = 0;

	(void)state;
	write_recording();
	assert_int_equal(avro_file_reader(path, &reader), 0);
	schema = avro_file_reader_get_writer_schema(reader);
	assert_string_equal(avro_schema_name(schema), "Event");
	iface = avro_generic_class_from_schema(schema);
	assert_int_equal(avro_generic_value_new(iface, &rec), 0);
	while (avro_file_reader_read_value(reader, &rec) == 0) {
		assert_int_equal(avro_value_get_by_name(&rec, "sequence", &field, NULL), 0);
		assert_int_equal(avro_value_get_long(&field, &seq), 0);
		assert_int_equal(seq, n);
		n++;
	}
	assert_int_equal(n, NEVENTS);
	avro_value_decref(&rec);
	avro_value_iface_decref(iface);
	avro_schema_decref(schema);
	avro_file_reader_close(reader);
}

static void test_file_consumer_splits_events(void **state)
{
	static struct event_scratch split_scratch, scratch;
	struct transport_config cfg = {.kind = TRANSPORT_FILE, .path = path,
				       .record_size = event_record_size, .record_ctx = &split_scratch};
	struct transport_msg m;
	struct codec_error cerr;
	struct rp_event want, got;
	struct consumer *c;
	char err[256];
	unsigned n = 0;
	int r;

	(void)state;
	c = consumer_open(&cfg, NULL, 0, err, sizeof(err));
	if (!c)
		fail_msg("%s", err);
	while ((r = consumer_poll(c, &m, 0, err, sizeof(err))) == 1) {
		if (event_decode(m.value, m.value_len, &got, &scratch, &cerr))
			fail_msg("record %u: %s", n, cerr.msg);
		fx_event(&want, n);
		want.sequence = n;
		fx_event_eq(&got, &want);
		consumer_release(c, &m);
		n++;
	}
	assert_int_equal(r, -2);
	assert_int_equal(n, NEVENTS);
	consumer_close(c);
}

static int make_path(void **state)
{
	int fd = mkstemp(path);

	(void)state;
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int remove_path(void **state)
{
	(void)state;
	unlink(path);
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_avro_c_reads_recording),
		cmocka_unit_test(test_file_consumer_splits_events),
	};

	return cmocka_run_group_tests(tests, make_path, remove_path);
}
