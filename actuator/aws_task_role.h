/* Temporary credentials from the ECS (or EKS Pod Identity) container
 * credentials endpoint: GET <url> with an optional Authorization header,
 * answering the document of aws_cred_json.h (RoleArn names the role). */
#ifndef RAMPART_AWS_TASK_ROLE_H
#define RAMPART_AWS_TASK_ROLE_H

#include <stdbool.h>
#include <stddef.h>

#include "aws_cred_json.h"
#include "aws_meta.h"

/* The task-role endpoint the ECS agent serves for RELATIVE_URI. */
#define AWS_TASK_ROLE_HOST "http://169.254.170.2"

/* Whether credentials may be fetched from url: https anywhere; plain http
 * only to loopback or the ECS/EKS agent addresses (169.254.170.2,
 * 169.254.170.23, fd00:ec2::23), as the SDKs allow, so a mistyped or
 * injected FULL_URI cannot send the token in clear across the network. */
bool aws_task_role_url_allowed(const char *url);

/* auth: the Authorization header value, or NULL. */
enum aws_creds_status aws_task_role_fetch(struct aws_meta *m, const char *url, const char *auth,
					  struct aws_fetched *out, char *err, size_t errlen);

#endif
