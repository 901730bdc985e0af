# The decision core: dedupe, blast-radius limit, action-table re-check
# (the evaluator's rule documents and action table), retries.
list(APPEND RP_ACT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/act_dedupe.c
  ${CMAKE_CURRENT_LIST_DIR}/act_limit.c
  ${CMAKE_CURRENT_LIST_DIR}/act_policy.c
  ${CMAKE_CURRENT_LIST_DIR}/act_target.c
  ${CMAKE_CURRENT_LIST_DIR}/actuator.c)
list(APPEND RP_ACT_LIBS rampart_evaluator)
