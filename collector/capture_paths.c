#include "capture_paths.h"

#include <string.h>

static size_t put(char *out, size_t cap, size_t at, const char *s, size_t n)
{
	if (at + 1 >= cap)
		return at;
	if (n > cap - 1 - at)
		n = cap - 1 - at;
	memcpy(out + at, s, n);
	return at + n;
}

size_t capture_path_from_comps(const char *comps, size_t n, char *out, size_t cap)
{
	size_t end = n, at = 0;

	if (cap == 0)
		return 0;
	/* Walk the list backwards: the last component is the root-most. */
	while (end > 0) {
		size_t start = end - 1; /* end-1 is the component's NUL */
		while (start > 0 && comps[start - 1] != '\0')
			start--;
		at = put(out, cap, at, "/", 1);
		at = put(out, cap, at, comps + start, strnlen(comps + start, end - start));
		end = start;
	}
	if (at == 0)
		at = put(out, cap, at, "/", 1);
	out[at] = '\0';
	return at;
}

/* Appends component c (len n) to the normalized absolute path in out. */
static size_t push_comp(char *out, size_t cap, size_t at, const char *c, size_t n)
{
	if (n == 0 || (n == 1 && c[0] == '.'))
		return at;
	if (n == 2 && c[0] == '.' && c[1] == '.') {
		while (at > 0 && out[at - 1] != '/')
			at--;
		return at > 0 ? at - 1 : 0; /* ".." of "/" is "/" */
	}
	at = put(out, cap, at, "/", 1);
	return put(out, cap, at, c, n);
}

static size_t push_all(char *out, size_t cap, size_t at, const char *p)
{
	while (*p) {
		const char *slash = strchr(p, '/');
		size_t n = slash ? (size_t)(slash - p) : strlen(p);

		at = push_comp(out, cap, at, p, n);
		p += n;
		while (*p == '/')
			p++;
	}
	return at;
}

size_t capture_path_resolve(const char *base, const char *path, char *out, size_t cap)
{
	size_t at = 0;

	if (cap == 0)
		return 0;
	if (path[0] != '/' && base)
		at = push_all(out, cap, at, base);
	at = push_all(out, cap, at, path);
	if (at == 0)
		at = put(out, cap, at, "/", 1);
	out[at] = '\0';
	return at;
}

/* Length of name without a module-file suffix. */
static size_t module_stem(const char *name, size_t n)
{
	static const char *const suffixes[] = {".ko", ".ko.xz", ".ko.zst", ".ko.gz"};

	for (size_t i = 0; i < sizeof(suffixes) / sizeof(suffixes[0]); i++) {
		size_t k = strlen(suffixes[i]);

		if (n > k && memcmp(name + n - k, suffixes[i], k) == 0)
			return n - k;
	}
	return n;
}

size_t capture_module_name(const char *path, char *out, size_t cap)
{
	const char *slash = strrchr(path, '/'), *base = slash ? slash + 1 : path;
	size_t n = module_stem(base, strlen(base));

	if (cap == 0)
		return 0;
	if (n > cap - 1)
		n = cap - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = base[i] == '-' ? '_' : base[i];
	out[n] = '\0';
	return n;
}
