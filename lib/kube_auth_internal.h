/* kube_auth's state, shared by its constructors (kube_auth.c for
 * in-cluster, kube_kubeconfig.c) and the credential logic in kube_auth.c.
 * Strings are owned; tls points into them and into cred. */
#ifndef RAMPART_KUBE_AUTH_INTERNAL_H
#define RAMPART_KUBE_AUTH_INTERNAL_H

#include "kube_auth.h"

struct kube_auth {
	char *server;
	char *user;                     /* kubeconfig user name; NULL in-cluster */
	char *ca_file, *ca_pem;
	char *cert_file, *key_file, *cert_pem, *key_pem;
	size_t ca_len, cert_len, key_len;
	struct http_tls tls;
	char *token;                    /* current bearer token, NULL for none */
	char *token_file;               /* re-read source of token, or NULL */
	time_t token_read_at;           /* 0: read at the next prepare */
	struct kube_exec_config *exec;  /* or NULL */
	struct kube_exec_cred cred;
	bool have_cred;
	char *auth_header;              /* "Authorization: Bearer <token>" */
	char actor[320];
};

/* Takes a copy of token (trailing whitespace dropped), rebuilds the header
 * and the actor; -1 with err when it is empty or holds characters a header
 * cannot carry. */
int kube_auth_set_token(struct kube_auth *a, const char *token, size_t len, char *err, size_t errlen);
/* Reads a whole small file (credentials, CA) into a NUL-terminated buffer. */
char *kube_read_file(const char *path, size_t *len, char *err, size_t errlen);
/* The last checks and first credential fetch every constructor ends with;
 * on failure err is set and the caller frees a. */
int kube_auth_finish(struct kube_auth *a, char *err, size_t errlen);

#endif
