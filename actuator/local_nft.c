#include "local_nft.h"

#include <nftables/libnftables.h>
#include <stdio.h>
#include <string.h>

#define TABLE "inet " LOCAL_NFT_TABLE
#define DROP_CHAIN(hook) \
	"\tchain " hook " { type filter hook " hook " priority filter; policy drop; }\n"

/* Declaring the table first makes the delete succeed whether or not it
 * existed; the whole script is one atomic transaction, so there is no
 * moment without the quarantine when it is replaced. */
static const char quarantine_script[] =
	"add table " TABLE "\n"
	"delete table " TABLE "\n"
	"table " TABLE " {\n"
	DROP_CHAIN("input")
	DROP_CHAIN("forward")
	DROP_CHAIN("output")
	"}\n";

static struct nft_ctx *nft_open(char *msg, size_t n)
{
	struct nft_ctx *c = nft_ctx_new(NFT_CTX_DEFAULT);

	if (!c) {
		snprintf(msg, n, "nftables: cannot create a context");
		return NULL;
	}
	/* Buffered, so nothing goes to the actuator's stdout/stderr and errors
	 * can be quoted. */
	if (nft_ctx_buffer_output(c) || nft_ctx_buffer_error(c)) {
		snprintf(msg, n, "nftables: cannot buffer output");
		nft_ctx_free(c);
		return NULL;
	}
	return c;
}

/* 0, or -1 with msg = the first line of nft's error. */
static int nft_exec(struct nft_ctx *c, const char *cmd, char *msg, size_t n)
{
	const char *err;

	if (nft_run_cmd_from_buffer(c, cmd) == 0)
		return 0;
	err = nft_ctx_get_error_buffer(c);
	snprintf(msg, n, "nftables: %.*s", err ? (int)strcspn(err, "\n") : 0, err ? err : "");
	return -1;
}

static int table_present(struct nft_ctx *c, char *msg, size_t n)
{
	const char *out;
	size_t len = strlen("table " TABLE);

	if (nft_exec(c, "list tables inet", msg, n))
		return -1;
	out = nft_ctx_get_output_buffer(c);
	for (const char *p = out ? strstr(out, "table " TABLE) : NULL; p; p = strstr(p + 1, "table " TABLE)) {
		if ((p == out || p[-1] == '\n') && (p[len] == '\n' || p[len] == '\0'))
			return 1;
	}
	return 0;
}

int local_nft_present(char *msg, size_t n)
{
	struct nft_ctx *c = nft_open(msg, n);
	int rc;

	if (!c)
		return -1;
	rc = table_present(c, msg, n);
	nft_ctx_free(c);
	return rc;
}

int local_nft_quarantine(char *msg, size_t n)
{
	struct nft_ctx *c = nft_open(msg, n);
	int present, rc = LOCAL_NFT_ERROR;

	if (!c)
		return LOCAL_NFT_ERROR;
	if ((present = table_present(c, msg, n)) >= 0 && nft_exec(c, quarantine_script, msg, n) == 0) {
		snprintf(msg, n, "table %s %s", TABLE, present ? "was already in place (re-asserted)" : "added");
		rc = present ? LOCAL_NFT_UNCHANGED : LOCAL_NFT_CHANGED;
	}
	nft_ctx_free(c);
	return rc;
}

int local_nft_release(char *msg, size_t n)
{
	struct nft_ctx *c = nft_open(msg, n);
	int present, rc = LOCAL_NFT_ERROR;

	if (!c)
		return LOCAL_NFT_ERROR;
	if ((present = table_present(c, msg, n)) == 0) {
		snprintf(msg, n, "table %s was not there", TABLE);
		rc = LOCAL_NFT_UNCHANGED;
	} else if (present > 0 && nft_exec(c, "delete table " TABLE "\n", msg, n) == 0) {
		snprintf(msg, n, "table %s removed", TABLE);
		rc = LOCAL_NFT_CHANGED;
	}
	nft_ctx_free(c);
	return rc;
}
