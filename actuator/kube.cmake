# Kubernetes driver: the isolate / terminate actions (the API client and its
# credentials are in lib/kube_auth.h, shared with the collector).
list(APPEND RP_ACT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/kube_api.c
  ${CMAKE_CURRENT_LIST_DIR}/kube_driver.c
  ${CMAKE_CURRENT_LIST_DIR}/kube_isolate.c
  ${CMAKE_CURRENT_LIST_DIR}/kube_terminate.c)
