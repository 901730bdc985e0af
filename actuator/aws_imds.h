/* The EC2 instance role's temporary credentials from IMDSv2:
 *   PUT  <endpoint>/latest/api/token   (X-aws-ec2-metadata-token-ttl-seconds)
 *   GET  <endpoint>/latest/meta-data/iam/security-credentials/        role name
 *   GET  <endpoint>/latest/meta-data/iam/security-credentials/<role>  document
 * the GETs carrying the session token in X-aws-ec2-metadata-token. IMDSv1
 * (no token) is never used: an instance that requires v2 refuses it, and one
 * that allows it should not be relied on. A 404 on the role listing means
 * the instance has no role: AWS_CREDS_FAILED. */
#ifndef RAMPART_AWS_IMDS_H
#define RAMPART_AWS_IMDS_H

#include <stddef.h>

#include "aws_cred_json.h"
#include "aws_meta.h"

#define AWS_IMDS_DEFAULT_ENDPOINT "http://169.254.169.254"

/* endpoint: scheme://host[:port], a trailing '/' tolerated. */
enum aws_creds_status aws_imds_fetch(struct aws_meta *m, const char *endpoint, struct aws_fetched *out,
				     char *err, size_t errlen);

#endif
