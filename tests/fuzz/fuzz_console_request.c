/* libFuzzer target: the console's request bodies are outside input (any
 * HTTP client with a token sends them). The first byte picks the entry kind,
 * the rest is the body. Whatever is accepted must render to a document that
 * is valid JSON holding exactly the accepted entry (what the topic carries
 * and the loader reads), with every line mapped; nothing may crash or leak. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "console_render.h"
#include "console_request.h"

static void check_render(enum console_kind k, json_t *entry)
{
	struct console_render r;
	char field[CONSOLE_FIELD_MAX];
	json_error_t je;

	if (console_render(k, entry, &r))
		return; /* out of memory */
	json_t *doc = json_loads(r.text, 0, &je);
	json_t *back = json_array_get(json_object_get(doc, console_kind_plural[k]), 0);
	if (!doc || !json_equal(back, entry))
		abort();
	for (unsigned line = 0; line <= r.nlines + 1; line++)
		console_render_field(&r, line, line * 7 % 97, line % 2 ? "missing key 'x' in y" : "z", field,
				     sizeof(field));
	json_decref(doc);
	console_render_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct console_error e;
	json_t *entry;

	if (size < 1)
		return 0;
	enum console_kind k = (enum console_kind)(data[0] % CONSOLE_KINDS);
	entry = console_request_parse(k, (const char *)data + 1, size - 1, data[0] & 0x80, &e);
	if (!entry) {
		if (e.status != 400 && e.status != 413 && e.status != 500)
			abort();
		return 0;
	}
	check_render(k, entry);
	json_decref(entry);
	return 0;
}
