/* The ExecCredential a credential plugin prints (kube_exec.h), its RFC 3339
 * expiry, and the structures' release. */
#include "kube_exec.h"

#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int take_pem(json_t *status, const char *key, char **out, size_t *len)
{
	const char *s = json_string_value(json_object_get(status, key));

	if (!s || !*s)
		return 0;
	*len = strlen(s);
	*out = strdup(s);
	return *out ? 0 : -1;
}

static int parse_status(json_t *status, struct kube_exec_cred *out, char *why, size_t whylen)
{
	const char *token = json_string_value(json_object_get(status, "token"));
	const char *exp = json_string_value(json_object_get(status, "expirationTimestamp"));

	if (token && *token && !(out->token = strdup(token)))
		return snprintf(why, whylen, "out of memory"), -1;
	if (take_pem(status, "clientCertificateData", &out->cert_pem, &out->cert_len) ||
	    take_pem(status, "clientKeyData", &out->key_pem, &out->key_len))
		return snprintf(why, whylen, "out of memory"), -1;
	if (!out->cert_pem != !out->key_pem)
		return snprintf(why, whylen, "clientCertificateData and clientKeyData must come together"), -1;
	if (!out->token && !out->cert_pem)
		return snprintf(why, whylen, "status has neither a token nor a client certificate"), -1;
	if (exp && (out->expires = kube_rfc3339(exp)) == (time_t)-1)
		return snprintf(why, whylen, "expirationTimestamp \"%.40s\" is not RFC 3339", exp), -1;
	return 0;
}

enum kube_cred_status kube_exec_parse(const struct kube_exec_config *c, const char *text, size_t len,
				      struct kube_exec_cred *out, char *err, size_t errlen)
{
	json_t *doc = json_loadb(text, len, 0, NULL);
	const char *kind = json_string_value(json_object_get(doc, "kind"));
	const char *api = json_string_value(json_object_get(doc, "apiVersion"));
	char why[200] = "";

	memset(out, 0, sizeof(*out));
	if (!doc)
		snprintf(why, sizeof(why), "output is not JSON");
	else if (!kind || strcmp(kind, "ExecCredential"))
		snprintf(why, sizeof(why), "output is not an ExecCredential");
	else if (!api || strcmp(api, c->api_version))
		snprintf(why, sizeof(why), "apiVersion %s, expected %s", api ? api : "(none)", c->api_version);
	else if (!json_is_object(json_object_get(doc, "status")))
		snprintf(why, sizeof(why), "ExecCredential has no status");
	else
		parse_status(json_object_get(doc, "status"), out, why, sizeof(why));
	json_decref(doc);
	if (!why[0])
		return KUBE_CRED_OK;
	kube_exec_cred_free(out);
	snprintf(err, errlen, "credential plugin %s: %s", c->command, why);
	return KUBE_CRED_FAILED;
}

static int digits(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

time_t kube_rfc3339(const char *s)
{
	struct tm tm = {0};
	const char *p = s + 19;
	long off = 0;

	if (strlen(s) < 20 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't') || s[13] != ':' ||
	    s[16] != ':')
		return -1;
	tm.tm_year = digits(s, 4) - 1900;
	tm.tm_mon = digits(s + 5, 2) - 1;
	tm.tm_mday = digits(s + 8, 2);
	tm.tm_hour = digits(s + 11, 2);
	tm.tm_min = digits(s + 14, 2);
	tm.tm_sec = digits(s + 17, 2);
	if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 ||
	    tm.tm_hour < 0 || tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
		return -1;
	if (*p == '.')
		for (p++; *p >= '0' && *p <= '9'; p++)
			;
	if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':' && digits(p + 1, 2) >= 0 &&
	    digits(p + 4, 2) >= 0)
		off = (*p == '-' ? -1 : 1) * (digits(p + 1, 2) * 3600L + digits(p + 4, 2) * 60L);
	else if (strcmp(p, "Z") && strcmp(p, "z"))
		return -1;
	return timegm(&tm) - off;
}

void kube_exec_cred_free(struct kube_exec_cred *c)
{
	free(c->token);
	free(c->cert_pem);
	free(c->key_pem);
	memset(c, 0, sizeof(*c));
}

static void free_list(char **l)
{
	for (char **p = l; p && *p; p++)
		free(*p);
	free(l);
}

void kube_exec_config_free(struct kube_exec_config *c)
{
	if (!c)
		return;
	free(c->api_version);
	free(c->command);
	free_list(c->args);
	free_list(c->env);
	free(c->cluster_json);
	free(c->install_hint);
	free(c);
}
