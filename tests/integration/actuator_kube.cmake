# --- Kubernetes driver (actuator/kube_*.c) against a real kube-apiserver
# (tests/integration/with-kube): isolate, terminate, RBAC denial, TLS
# refusal, and every way of authenticating.
add_executable(test_kube_driver test_kube_driver.c)
target_link_libraries(test_kube_driver PRIVATE rampart_actuator PkgConfig::JANSSON PkgConfig::CMOCKA)
add_test(NAME actuator_kube
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/with-kube ${CMAKE_CURRENT_SOURCE_DIR}/test_actuator_kube.sh
          $<TARGET_FILE:test_kube_driver>)
set_tests_properties(actuator_kube PROPERTIES LABELS integration TIMEOUT 300 PROCESSORS 2)
