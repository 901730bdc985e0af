# --- collector pod watcher (collector/pod_watch*.c) and identity on it, against
# a real kube-apiserver (tests/integration/with-kube): list/watch of one node's
# pods, relabel, add, delete, watch restarts, 401 token re-read, 403, and a
# stand-in server for 503 and 410 Gone. deploy/kubernetes/collector-rbac.yaml
# is applied and its grants checked.
add_executable(test_pod_watch test_pod_watch.c)
target_link_libraries(test_pod_watch PRIVATE rampart_identity PkgConfig::CMOCKA)
add_test(NAME collector_pod_watch
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/with-kube ${CMAKE_CURRENT_SOURCE_DIR}/test_pod_watch.sh
          $<TARGET_FILE:test_pod_watch>)
set_tests_properties(collector_pod_watch PROPERTIES LABELS integration TIMEOUT 300 PROCESSORS 2)
