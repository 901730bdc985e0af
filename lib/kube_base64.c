#include "kube_base64.h"

#include <stdint.h>
#include <stdlib.h>

/* 0..63, or -1 for a character outside both alphabets. */
static int sextet(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

static int is_space(unsigned char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t'; }

char *kube_base64_decode(const char *in, size_t inlen, size_t *len)
{
	char *out = malloc(inlen / 4 * 3 + 4);
	uint32_t acc = 0;
	size_t n = 0, bits = 0, pad = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < inlen; i++) {
		unsigned char c = (unsigned char)in[i];
		int v = sextet(c);

		if (is_space(c))
			continue;
		if (c == '=') {
			pad++;
			continue;
		}
		if (v < 0 || pad) /* data after padding */
			goto bad;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[n++] = (char)(acc >> bits);
			acc &= (1u << bits) - 1;
		}
	}
	/* A lone trailing sextet cannot encode a byte; leftover bits must be 0. */
	if (bits >= 6 || acc != 0 || pad > 2)
		goto bad;
	out[n] = 0;
	*len = n;
	return out;
bad:
	free(out);
	return NULL;
}
