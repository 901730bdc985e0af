# --- local driver against real runc containers (actuator/local_*.c): network
# quarantine in the container's namespace and release, host-network refusal,
# cgroup kill, and the guard on the actuator's own cgroup
add_executable(test_local_driver_run test_local_driver_run.c)
target_link_libraries(test_local_driver_run PRIVATE rampart_actuator)
add_test(NAME actuator_local
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_actuator_local.sh $<TARGET_FILE:test_local_driver_run>)
set_tests_properties(actuator_local PROPERTIES LABELS integration TIMEOUT 180 SKIP_RETURN_CODE 77
  ENVIRONMENT "RAMPART_CONTAINER=${CMAKE_CURRENT_SOURCE_DIR}/container/rampart-container")
