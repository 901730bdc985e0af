/* Where an ECS task lives, read from what the collector reported for it:
 *   arn:<partition>:ecs:<region>:<account>:task/<cluster>/<id>  (long form)
 *   arn:<partition>:ecs:<region>:<account>:task/<id>            (old form)
 *   <id>   a bare task id (the collector's fallback when it could not ask
 *          the ECS agent): partition, region, account, cluster left ""
 * Every part is checked against the characters AWS allows in it, so what
 * is parsed can go into a URL host or a signing scope as it is. */
#ifndef RAMPART_ECS_ARN_H
#define RAMPART_ECS_ARN_H

#include <stdbool.h>
#include <stddef.h>

struct ecs_task_ref {
	char partition[16];
	char region[32];
	char account[16];
	char cluster[256];
	char id[64];
};

/* 0, or -1 when s (len bytes, not NUL-terminated) is neither form. */
int ecs_task_ref_parse(const char *s, size_t len, struct ecs_task_ref *out);

/* A region name: lower-case letters, digits and '-', 1 to 31 of them. */
bool ecs_region_valid(const char *region);

/* The cluster name of a cluster ARN (arn:...:cluster/<name>), or name itself. */
const char *ecs_cluster_name(const char *name_or_arn);

/* https://ecs.<region>.amazonaws.com/ (.amazonaws.com.cn in aws-cn). */
void ecs_default_endpoint(const char *partition, const char *region, char *out, size_t outlen);

#endif
