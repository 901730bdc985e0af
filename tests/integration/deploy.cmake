# --- deployment artefacts (deploy/): Kubernetes manifests and Helm chart
# against a real kube-apiserver, ECS task definitions and IAM policy against
# moto, systemd units, Dockerfiles and configuration files on this host.
# The chart is rendered with the helm built by scripts/bootstrap-helm.
add_test(NAME deploy_kube
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/with-kube ${CMAKE_CURRENT_SOURCE_DIR}/test_deploy_kube.sh
          $<TARGET_FILE:rampart>)
set_tests_properties(deploy_kube PROPERTIES LABELS integration TIMEOUT 300 PROCESSORS 2)
add_test(NAME deploy_ecs
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/with-moto ${CMAKE_CURRENT_SOURCE_DIR}/test_deploy_ecs.sh)
set_tests_properties(deploy_ecs PROPERTIES LABELS integration TIMEOUT 300)
add_test(NAME deploy_host
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_deploy_host.sh
          $<TARGET_FILE:rampart-collector> $<TARGET_FILE:rampart-evaluator>
          $<TARGET_FILE:rampart-actuator> $<TARGET_FILE:rampart>)
set_tests_properties(deploy_host PROPERTIES LABELS integration TIMEOUT 120)
