#include "console.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "console_api.h"
#include "console_http.h"
#include "console_store.h"
#include "console_tokens.h"

struct console {
	struct console_tokens tokens;
	char *cert, *key;
	struct console_store *store;
	struct console_api api;
	int api_ready;
	struct console_http *http;
};

static char *read_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long n;

	if (!f)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), NULL;
	if (fseek(f, 0, SEEK_END) == 0 && (n = ftell(f)) >= 0 && n < 1024 * 1024 && fseek(f, 0, SEEK_SET) == 0 &&
	    (text = calloc(1, (size_t)n + 1)) && fread(text, 1, (size_t)n, f) != (size_t)n) {
		free(text);
		text = NULL;
	}
	fclose(f);
	if (!text)
		snprintf(err, errlen, "%s: cannot read", path);
	return text;
}

struct console *console_start(const struct console_config *cfg, char *err, size_t errlen)
{
	struct console *c = calloc(1, sizeof(*c));

	if (!c)
		return snprintf(err, errlen, "out of memory"), NULL;
	if (console_tokens_load(&c->tokens, cfg->tokens_file, err, errlen) ||
	    (cfg->tls_cert && (!(c->cert = read_file(cfg->tls_cert, err, errlen)) ||
			       !(c->key = read_file(cfg->tls_key, err, errlen)))) ||
	    !(c->store = console_store_open(cfg, err, errlen)) ||
	    console_api_init(&c->api, cfg, c->store, err, errlen))
		goto fail;
	c->api_ready = 1;
	struct console_http_options o = {cfg->listen, c->cert, c->key, &c->tokens, &c->api};
	if (!(c->http = console_http_start(&o, err, errlen)))
		goto fail;
	return c;
fail:
	console_stop(c);
	return NULL;
}

uint16_t console_port(const struct console *c) { return console_http_port(c->http); }

void console_stop(struct console *c)
{
	if (!c)
		return;
	console_http_stop(c->http);
	if (c->api_ready)
		console_api_destroy(&c->api);
	console_store_close(c->store);
	console_tokens_free(&c->tokens);
	if (c->key)
		memset(c->key, 0, strlen(c->key));
	free(c->cert);
	free(c->key);
	free(c);
}
