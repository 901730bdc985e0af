/* Kubernetes label syntax (k8s.io/apimachinery validation): a key is an
 * optional DNS-subdomain prefix and '/', then a name of at most 63
 * characters, alphanumeric at both ends with '-', '_', '.' inside; a value
 * is empty or a name. Checks fill why and return -1 when invalid. */
#ifndef RAMPART_EVAL_LABELS_H
#define RAMPART_EVAL_LABELS_H

#include <stddef.h>

int labels_key_check(const char *key, char *why, size_t n);
int labels_value_check(const char *value, char *why, size_t n);

#endif
