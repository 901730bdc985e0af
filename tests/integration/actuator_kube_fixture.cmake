# --- real kube-apiserver + etcd fixture (tests/integration/with-kube), built by
# scripts/bootstrap-kube. RAMPART_KUBE_FIXTURE is for the actuator's Kubernetes
# tests (actuator_kube.cmake): add_test(... COMMAND ${RAMPART_KUBE_FIXTURE} CMD ...).
set(RAMPART_KUBE_FIXTURE ${CMAKE_CURRENT_LIST_DIR}/with-kube)
add_test(NAME kube_fixture
  COMMAND ${RAMPART_KUBE_FIXTURE} ${CMAKE_CURRENT_LIST_DIR}/test_kube_fixture.sh)
# kube-apiserver start-up keeps both cores busy for a few seconds.
set_tests_properties(kube_fixture PROPERTIES LABELS integration TIMEOUT 180 PROCESSORS 2)
