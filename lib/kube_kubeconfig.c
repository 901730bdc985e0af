/* kube_auth_from_kubeconfig: one kubeconfig file (libyaml's document API,
 * so every error can point at its node's file:line:col). Relative paths
 * (certificate-authority, client-certificate, client-key, tokenFile, and an
 * exec command containing '/') are relative to the kubeconfig's directory,
 * as kubectl resolves them. -data values take precedence over files,
 * tokenFile over token. */
#include "kube_auth_internal.h"

#include <errno.h>
#include <jansson.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#include "kube_base64.h"

struct kc {
	const char *path;
	char *dir;
	yaml_document_t doc;
	struct kube_auth *a;
	char *err;
	size_t errlen;
};

static int kc_fail(struct kc *k, const yaml_node_t *at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static int kc_fail(struct kc *k, const yaml_node_t *at, const char *fmt, ...)
{
	size_t n = 0;
	va_list ap;

	if (at)
		n = (size_t)snprintf(k->err, k->errlen, "%s:%zu:%zu: ", k->path, at->start_mark.line + 1,
				     at->start_mark.column + 1);
	else
		n = (size_t)snprintf(k->err, k->errlen, "%s: ", k->path);
	if (n >= k->errlen)
		return -1;
	va_start(ap, fmt);
	vsnprintf(k->err + n, k->errlen - n, fmt, ap);
	va_end(ap);
	return -1;
}

static yaml_node_t *kc_get(struct kc *k, const yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&k->doc, p->key);

		if (kn && kn->type == YAML_SCALAR_NODE && !strcmp((const char *)kn->data.scalar.value, key))
			return yaml_document_get_node(&k->doc, p->value);
	}
	return NULL;
}

/* *out: the scalar under key, NULL when absent or null; -1 when it is not
 * a scalar. */
static int kc_str(struct kc *k, const yaml_node_t *map, const char *key, const char **out)
{
	yaml_node_t *n = kc_get(k, map, key);

	*out = NULL;
	if (!n)
		return 0;
	if (n->type != YAML_SCALAR_NODE)
		return kc_fail(k, n, "%s must be a string", key);
	if (n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
	    (!strcmp((const char *)n->data.scalar.value, "null") || !n->data.scalar.value[0]))
		return 0;
	*out = (const char *)n->data.scalar.value;
	return 0;
}

static bool kc_true(const yaml_node_t *n)
{
	static const char *const yes[] = {"true", "yes", "on", "y"};

	if (!n || n->type != YAML_SCALAR_NODE)
		return false;
	for (size_t i = 0; i < sizeof(yes) / sizeof(*yes); i++) {
		if (!strcasecmp((const char *)n->data.scalar.value, yes[i]))
			return true;
	}
	return false;
}

/* list[i].<inner> for the entry whose name is name. */
static yaml_node_t *kc_named(struct kc *k, const char *list, const char *name, const char *inner,
			     const yaml_node_t *ref)
{
	yaml_node_t *seq = kc_get(k, yaml_document_get_root_node(&k->doc), list);

	if (seq && seq->type != YAML_SEQUENCE_NODE)
		return kc_fail(k, seq, "%s must be a list", list), NULL;
	for (yaml_node_item_t *i = seq ? seq->data.sequence.items.start : NULL; seq && i < seq->data.sequence.items.top;
	     i++) {
		yaml_node_t *entry = yaml_document_get_node(&k->doc, *i);
		const char *n;
		yaml_node_t *body;

		if (kc_str(k, entry, "name", &n))
			return NULL;
		if (!n || strcmp(n, name))
			continue;
		body = kc_get(k, entry, inner);
		if (!body || body->type != YAML_MAPPING_NODE)
			return kc_fail(k, entry, "%s entry \"%s\" has no %s mapping", list, name, inner), NULL;
		return body;
	}
	return kc_fail(k, ref, "no %s entry named \"%s\"", list, name), NULL;
}

/* path, made absolute against the kubeconfig's directory. */
static char *kc_path(struct kc *k, const char *p)
{
	char *out;

	if (p[0] == '/')
		return strdup(p);
	return asprintf(&out, "%s/%s", k->dir, p) < 0 ? NULL : out;
}

/* Decodes the base64 <key>-data, else resolves <key>'s path. */
static int kc_material(struct kc *k, const yaml_node_t *map, const char *key, char **pem, size_t *len,
		       char **file)
{
	char data_key[64];
	const char *data, *path;

	snprintf(data_key, sizeof(data_key), "%s-data", key);
	if (kc_str(k, map, data_key, &data) || kc_str(k, map, key, &path))
		return -1;
	if (data) {
		*pem = kube_base64_decode(data, strlen(data), len);
		return *pem ? 0 : kc_fail(k, kc_get(k, map, data_key), "%s is not base64", data_key);
	}
	if (path && !(*file = kc_path(k, path)))
		return kc_fail(k, NULL, "out of memory");
	return 0;
}

static int kc_cluster(struct kc *k, const yaml_node_t *cluster)
{
	const char *server;
	size_t n;

	if (kc_true(kc_get(k, cluster, "insecure-skip-tls-verify")))
		return kc_fail(k, kc_get(k, cluster, "insecure-skip-tls-verify"),
			       "insecure-skip-tls-verify: true is refused: rampart always verifies the API "
			       "server's certificate (give certificate-authority or certificate-authority-data)");
	if (kc_get(k, cluster, "tls-server-name"))
		return kc_fail(k, kc_get(k, cluster, "tls-server-name"), "tls-server-name is not supported");
	if (kc_str(k, cluster, "server", &server))
		return -1;
	if (!server)
		return kc_fail(k, cluster, "the cluster has no server");
	if (strncmp(server, "https://", 8))
		return kc_fail(k, kc_get(k, cluster, "server"), "server must be an https:// URL, not \"%s\"",
			       server);
	if (!(k->a->server = strdup(server)))
		return kc_fail(k, NULL, "out of memory");
	n = strlen(k->a->server);
	while (n > 8 && k->a->server[n - 1] == '/')
		k->a->server[--n] = 0;
	return kc_material(k, cluster, "certificate-authority", &k->a->ca_pem, &k->a->ca_len, &k->a->ca_file);
}

static int kc_exec(struct kc *k, const yaml_node_t *exec, const yaml_node_t *cluster);

static int kc_user(struct kc *k, const yaml_node_t *user, const yaml_node_t *cluster)
{
	struct kube_auth *a = k->a;
	const char *token, *token_file;
	char why[160];

	if (kc_get(k, user, "auth-provider"))
		return kc_fail(k, kc_get(k, user, "auth-provider"),
			       "auth-provider plugins are not supported; use an exec credential plugin");
	if (kc_get(k, user, "username") || kc_get(k, user, "password"))
		return kc_fail(k, user, "basic authentication (username/password) is not supported");
	if (kc_material(k, user, "client-certificate", &a->cert_pem, &a->cert_len, &a->cert_file) ||
	    kc_material(k, user, "client-key", &a->key_pem, &a->key_len, &a->key_file) ||
	    kc_str(k, user, "token", &token) || kc_str(k, user, "tokenFile", &token_file))
		return -1;
	if (kc_get(k, user, "exec") && (token || token_file))
		return kc_fail(k, kc_get(k, user, "exec"), "a user has either a token (or tokenFile) or exec, not both");
	if (kc_get(k, user, "exec"))
		return kc_exec(k, kc_get(k, user, "exec"), cluster);
	if (token_file && !(a->token_file = kc_path(k, token_file)))
		return kc_fail(k, NULL, "out of memory");
	if (token && !token_file && kube_auth_set_token(a, token, strlen(token), why, sizeof(why)))
		return kc_fail(k, kc_get(k, user, "token"), "%s", why);
	return 0;
}

/* A list of scalars (exec.args) as a NULL-terminated array. */
static int kc_args(struct kc *k, const yaml_node_t *seq, char ***out)
{
	size_t n = 0;

	if (!seq)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return kc_fail(k, seq, "args must be a list of strings");
	*out = calloc((size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) + 1, sizeof(**out));
	if (!*out)
		return kc_fail(k, NULL, "out of memory");
	for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top; i++) {
		yaml_node_t *item = yaml_document_get_node(&k->doc, *i);

		if (!item || item->type != YAML_SCALAR_NODE)
			return kc_fail(k, item ? item : seq, "args must be a list of strings");
		if (!((*out)[n++] = strdup((const char *)item->data.scalar.value)))
			return kc_fail(k, NULL, "out of memory");
	}
	return 0;
}

/* exec.env: [{name, value}] as "name=value" strings. */
static int kc_env(struct kc *k, const yaml_node_t *seq, char ***out)
{
	size_t n = 0;

	if (!seq)
		return 0;
	if (seq->type != YAML_SEQUENCE_NODE)
		return kc_fail(k, seq, "env must be a list of {name, value}");
	*out = calloc((size_t)(seq->data.sequence.items.top - seq->data.sequence.items.start) + 1, sizeof(**out));
	if (!*out)
		return kc_fail(k, NULL, "out of memory");
	for (yaml_node_item_t *i = seq->data.sequence.items.start; i < seq->data.sequence.items.top; i++) {
		yaml_node_t *item = yaml_document_get_node(&k->doc, *i);
		const char *name, *value;

		if (kc_str(k, item, "name", &name) || kc_str(k, item, "value", &value))
			return -1;
		if (!name || strchr(name, '='))
			return kc_fail(k, item ? item : seq, "env entries need a name (without '=')");
		if (asprintf(&(*out)[n++], "%s=%s", name, value ? value : "") < 0)
			return (*out)[n - 1] = NULL, kc_fail(k, NULL, "out of memory");
	}
	return 0;
}

/* spec.cluster for provideClusterInfo: the server and, when the kubeconfig
 * has it inline, the CA (base64, as the ExecCredential carries bytes). */
static int kc_cluster_info(struct kc *k, const yaml_node_t *cluster, char **out)
{
	const char *ca;
	json_t *info;

	if (kc_str(k, cluster, "certificate-authority-data", &ca))
		return -1;
	info = json_pack("{s:s}", "server", k->a->server);
	if (info && ca && json_object_set_new(info, "certificate-authority-data", json_string(ca)))
		json_decref(info), info = NULL;
	*out = info ? json_dumps(info, JSON_COMPACT) : NULL;
	json_decref(info);
	return *out ? 0 : kc_fail(k, NULL, "out of memory");
}

static int kc_exec_strings(struct kc *k, const yaml_node_t *exec, struct kube_exec_config *x)
{
	const char *api, *command, *hint, *mode;

	if (kc_str(k, exec, "apiVersion", &api) || kc_str(k, exec, "command", &command) ||
	    kc_str(k, exec, "installHint", &hint) || kc_str(k, exec, "interactiveMode", &mode))
		return -1;
	if (!api || (strcmp(api, "client.authentication.k8s.io/v1") &&
		     strcmp(api, "client.authentication.k8s.io/v1beta1")))
		return kc_fail(k, exec, "exec apiVersion must be client.authentication.k8s.io/v1 or v1beta1");
	if (!command)
		return kc_fail(k, exec, "exec has no command");
	if (mode && !strcmp(mode, "Always"))
		return kc_fail(k, kc_get(k, exec, "interactiveMode"),
			       "interactiveMode Always needs a terminal, which the actuator never has");
	x->api_version = strdup(api);
	x->command = strchr(command, '/') ? kc_path(k, command) : strdup(command);
	x->install_hint = hint ? strdup(hint) : NULL;
	if (!x->api_version || !x->command || (hint && !x->install_hint))
		return kc_fail(k, NULL, "out of memory");
	return 0;
}

static int kc_exec(struct kc *k, const yaml_node_t *exec, const yaml_node_t *cluster)
{
	struct kube_exec_config *x = calloc(1, sizeof(*x));

	if (!x)
		return kc_fail(k, NULL, "out of memory");
	k->a->exec = x;
	if (exec->type != YAML_MAPPING_NODE)
		return kc_fail(k, exec, "exec must be a mapping");
	if (kc_exec_strings(k, exec, x) || kc_args(k, kc_get(k, exec, "args"), &x->args) ||
	    kc_env(k, kc_get(k, exec, "env"), &x->env))
		return -1;
	if (kc_true(kc_get(k, exec, "provideClusterInfo")))
		return kc_cluster_info(k, cluster, &x->cluster_json);
	return 0;
}

static int kc_load(struct kc *k, const char *context)
{
	yaml_node_t *root = yaml_document_get_root_node(&k->doc), *ctx, *cluster, *user;
	const char *current, *cluster_name, *user_name;

	if (!root)
		return kc_fail(k, NULL, "empty kubeconfig");
	if (root->type != YAML_MAPPING_NODE)
		return kc_fail(k, root, "a kubeconfig is a mapping");
	if (kc_str(k, root, "current-context", &current))
		return -1;
	if (!context && !(context = current))
		return kc_fail(k, NULL, "no current-context is set and no context was given");
	ctx = kc_named(k, "contexts", context, "context", current && !strcmp(current, context)
									? kc_get(k, root, "current-context")
									: NULL);
	if (!ctx || kc_str(k, ctx, "cluster", &cluster_name) || kc_str(k, ctx, "user", &user_name))
		return -1;
	if (!cluster_name || !user_name)
		return kc_fail(k, ctx, "context \"%s\" needs a cluster and a user", context);
	cluster = kc_named(k, "clusters", cluster_name, "cluster", kc_get(k, ctx, "cluster"));
	user = kc_named(k, "users", user_name, "user", kc_get(k, ctx, "user"));
	if (!cluster || !user || kc_cluster(k, cluster) || kc_user(k, user, cluster))
		return -1;
	if (!(k->a->user = strdup(user_name)))
		return kc_fail(k, NULL, "out of memory");
	return kube_auth_finish(k->a, k->err, k->errlen) ? -1 : 0;
}

static int kc_parse(struct kc *k)
{
	FILE *f = fopen(k->path, "rb");
	yaml_parser_t p;
	int rc = 0;

	if (!f)
		return snprintf(k->err, k->errlen, "%s: %s", k->path, strerror(errno)), -1;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, f);
	if (!yaml_parser_load(&p, &k->doc)) {
		snprintf(k->err, k->errlen, "%s:%zu:%zu: %s", k->path, p.problem_mark.line + 1,
			 p.problem_mark.column + 1, p.problem ? p.problem : "malformed YAML");
		rc = -1;
	}
	yaml_parser_delete(&p);
	fclose(f);
	return rc;
}

struct kube_auth *kube_auth_from_kubeconfig(const char *path, const char *context, char *err, size_t errlen)
{
	struct kc k = {.path = path, .err = err, .errlen = errlen};
	char *copy = strdup(path);
	int rc = -1;

	k.a = calloc(1, sizeof(*k.a));
	k.dir = copy ? strdup(dirname(copy)) : NULL;
	free(copy);
	if (!k.a || !k.dir)
		snprintf(err, errlen, "out of memory");
	else if (!kc_parse(&k)) {
		rc = kc_load(&k, context);
		yaml_document_delete(&k.doc);
	}
	free(k.dir);
	if (rc) {
		kube_auth_free(k.a);
		return NULL;
	}
	return k.a;
}
