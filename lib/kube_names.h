/* Validation of the Kubernetes names the driver puts into URLs and bodies.
 * A verdict's namespace and pod come from the collector, i.e. from the node:
 * they are checked against the API's own rules (RFC 1123 DNS label for
 * namespaces, DNS subdomain for pods) so that no value can alter a request
 * path, and label keys against the qualified-name rule. Each returns true
 * when the name is valid. */
#ifndef RAMPART_KUBE_NAMES_H
#define RAMPART_KUBE_NAMES_H

#include <stdbool.h>
#include <stddef.h>

bool kube_dns_label(const char *s, size_t len);
bool kube_dns_subdomain(const char *s, size_t len);
/* [prefix/]name: prefix a DNS subdomain, name 1-63 of [A-Za-z0-9-_.] that
 * starts and ends alphanumeric. */
bool kube_label_key(const char *s);
/* Empty, or 1-63 characters of the same shape as a label key's name. */
bool kube_label_value(const char *s);

#endif
