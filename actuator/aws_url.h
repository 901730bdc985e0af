/* The two URL facts the AWS clients check before sending credentials:
 * the scheme and the host. */
#ifndef RAMPART_AWS_URL_H
#define RAMPART_AWS_URL_H

#include <stdbool.h>
#include <stddef.h>

/* "https" or "http" URL: its host (without brackets or port) into host;
 * -1 for any other scheme or a host that is empty or too long. *https
 * says which scheme it was. */
int aws_url_host(const char *url, bool *https, char *host, size_t hostlen);

/* 127.0.0.0/8, ::1 or localhost. */
bool aws_host_loopback(const char *host);

#endif
