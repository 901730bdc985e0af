/* The web UI's static files (console/web/), embedded in the binary at build
 * time by console/embed_web.cmake: no files to deploy next to it, and what
 * is served is what was built and tested. */
#ifndef RAMPART_CONSOLE_WEB_H
#define RAMPART_CONSOLE_WEB_H

#include <stddef.h>

struct console_web_file {
	const char *path; /* "/index.html" */
	const char *type; /* Content-Type */
	const unsigned char *data;
	size_t len;
};

extern const struct console_web_file console_web_files[];
extern const size_t console_web_nfiles;

/* The file served at path ("/" is /index.html), or NULL. */
const struct console_web_file *console_web_find(const char *path);

#endif
