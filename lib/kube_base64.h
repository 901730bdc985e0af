/* Base64 decoding for the Kubernetes driver: kubeconfig's *-data fields
 * (standard alphabet, padded) and JWT segments (URL alphabet, unpadded).
 *
 * kube_base64_decode accepts either alphabet, with or without '=' padding,
 * and skips ASCII whitespace (kubeconfigs wrap long values). It returns a
 * NUL-terminated malloc'd buffer and its length in *len, or NULL when the
 * input is not base64 or memory runs out. */
#ifndef RAMPART_KUBE_BASE64_H
#define RAMPART_KUBE_BASE64_H

#include <stddef.h>

char *kube_base64_decode(const char *in, size_t inlen, size_t *len);

#endif
