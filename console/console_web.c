#include "console_web.h"

#include <string.h>

const struct console_web_file *console_web_find(const char *path)
{
	if (strcmp(path, "/") == 0)
		path = "/index.html";
	for (size_t i = 0; i < console_web_nfiles; i++)
		if (strcmp(console_web_files[i].path, path) == 0)
			return &console_web_files[i];
	return NULL;
}
