/* libFuzzer target: recordings handed to `rampart replay` are outside
 * input. The container-file reader and the Event splitter must turn any
 * bytes into records or a clean error: no crash, no unbounded allocation. */
#include "avro_ocf.h"
#include "event_codec.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static void split_block(const struct rp_buf *block, int64_t count)
{
	static struct event_scratch scratch;
	size_t off = 0, len;

	for (int64_t i = 0; i < count && off < block->len; i++) {
		len = event_record_size(block->data + off, block->len - off, &scratch);
		if (len == 0)
			return;
		off += len;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ocf_reader r;
	struct rp_buf block = {0};
	char path[64], err[256];
	int64_t count;
	int fd = memfd_create("fuzz-recording", 0);

	if (fd < 0)
		return 0;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	if (write(fd, data, size) == (ssize_t)size && ocf_reader_open(&r, path, err, sizeof(err)) == 0) {
		while (ocf_reader_next_block(&r, &block, &count, err, sizeof(err)) == 1)
			split_block(&block, count);
		ocf_reader_close(&r);
	}
	buf_free(&block);
	close(fd);
	return 0;
}
