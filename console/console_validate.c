#include "console_validate.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "console_snapshot.h"
#include "evaluator.h"

static int write_candidate(const struct console_render *r, char *path, size_t n, char *err, size_t errlen)
{
	const char *tmpdir = getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp";
	int fd;

	snprintf(path, n, "%s/rampart-console-candidate-XXXXXX.yaml", tmpdir);
	if ((fd = mkstemps(path, 5)) < 0)
		return snprintf(err, errlen, "%s: %s", path, strerror(errno)), -1;
	if (write(fd, r->text, r->len) != (ssize_t)r->len) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno ? errno : EIO));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(path);
		return -1;
	}
	return 0;
}

/* "file:line:col: message": the candidate's errors lose the prefix and
 * gain a field; others keep it. */
static json_t *error_of(const char *msg, const char *cand, const struct console_render *r)
{
	size_t n = cand ? strlen(cand) : 0;
	char field[CONSOLE_FIELD_MAX] = "";
	unsigned line = 0, col = 0;
	int used = 0;

	if (cand && strncmp(msg, cand, n) == 0 && msg[n] == ':' &&
	    sscanf(msg + n, ":%u:%u: %n", &line, &col, &used) == 2 && used > 0) {
		msg += n + (size_t)used;
		console_render_field(r, line, col, msg, field, sizeof(field));
	}
	return json_pack("{s:s, s:o}", "error", msg, "field", field[0] ? json_string(field) : json_null());
}

static int load_and_compile(const struct console_strv *paths, struct diag *d)
{
	struct rules_doc *doc = doc_load_paths((const char *const *)paths->v, paths->n, d);

	if (!doc)
		return -1;
	if (diag_count(d) == 0)
		eval_config_unref(eval_config_compile(doc, d));
	doc_free(doc);
	return 0;
}

static int collect(const struct diag *d, const char *cand, const struct console_render *r, json_t **errors)
{
	json_t *list = json_array();

	if (!list)
		return -1;
	for (size_t i = 0; i < d->n; i++)
		json_array_append_new(list, error_of(d->msgs[i], cand, r));
	if (d->lost)
		json_array_append_new(list, json_pack("{s:s, s:n}", "error", "more errors (out of memory)", "field"));
	*errors = list;
	return 1;
}

int console_validate(const struct console_config *c, const struct console_store *store, const char *replaced,
		     const struct console_render *candidate, json_t **errors, char *err, size_t errlen)
{
	struct console_strv paths = {0};
	struct diag d = {0};
	char cand[1024] = "";
	int rc = -1;

	*errors = NULL;
	if (errlen)
		err[0] = 0;
	if (candidate && write_candidate(candidate, cand, sizeof(cand), err, errlen))
		return -1;
	if (console_snapshot_paths(c, store, replaced, candidate ? cand : NULL, &paths, err, errlen) == 0) {
		if (load_and_compile(&paths, &d))
			snprintf(err, errlen, "out of memory");
		else
			rc = diag_count(&d) == 0 ? 0 : collect(&d, candidate ? cand : NULL, candidate, errors);
		if (rc < 0 && !*err)
			snprintf(err, errlen, "out of memory");
	}
	if (candidate)
		unlink(cand);
	console_strv_free(&paths);
	diag_free(&d);
	return rc;
}
