/* libFuzzer target: a Kubernetes watch response body is outside input (the
 * API server, or anything between it and the collector). Any byte string,
 * cut anywhere, must parse or fail with a message, never crash, leak or
 * hand the store a pod it cannot key. The first byte picks the chunk size,
 * so line reassembly across calls is exercised too. */
#include "pod_watch_stream.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int check(void *ctx, const struct pod_watch_event *ev)
{
	(void)ctx;
	if (ev->type == POD_EV_ERROR)
		return 1;
	if (ev->type != POD_EV_BOOKMARK && ev->pod.uid[0] && strlen(ev->pod.uid) >= sizeof(ev->pod.uid))
		abort();
	for (uint32_t i = 0; i < ev->pod.nlabels; i++)
		if (ev->pod.label_key[i] >= POD_LABEL_TEXT || ev->pod.label_value[i] >= POD_LABEL_TEXT)
			abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pod_watch_stream s; /* a few KiB of scratch: not on the stack */
	size_t chunk;
	int rc = 0;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	data++, size--;
	pod_watch_stream_init(&s, check, NULL);
	for (size_t at = 0; at < size && !rc; at += chunk)
		rc = pod_watch_stream_feed(&s, (const char *)data + at, size - at < chunk ? size - at : chunk);
	pod_watch_stream_free(&s);
	return 0;
}
