/* Shared by the doc_*.c loaders; not part of the public API. */
#ifndef RAMPART_EVAL_DOC_INTERNAL_H
#define RAMPART_EVAL_DOC_INTERNAL_H

#include "doc.h"
#include "yaml_walk.h"

void doc_lists(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc);
void doc_macros(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc);
void doc_rules(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc);
void doc_rulesets(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc);
void doc_policies(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc);
void doc_clusters(struct ywalk *w, yaml_node_t *seq, struct rules_doc *doc);

void doc_list_free(struct doc_list *l);
void doc_macro_free(struct doc_macro *m);
void doc_rule_free(struct doc_rule *r);
void doc_text_free(struct doc_text *t);
void doc_ruleset_free(struct doc_ruleset *r);
void doc_policy_free(struct doc_policy *p);
void doc_cluster_free(struct doc_cluster *c);
void doc_strv_free(char **v, size_t n);

#endif
