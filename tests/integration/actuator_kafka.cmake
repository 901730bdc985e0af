# rampart-actuator through a real broker: local driver on a runc container,
# dedupe, DLQ, crash and restart (tests/integration/test_actuator_kafka.sh)
add_executable(actuator_feed actuator_feed.c)
target_link_libraries(actuator_feed PRIVATE rampart_schemas rampart_lib)
add_test(NAME actuator_kafka
  COMMAND ${RAMPART_KAFKA_FIXTURE} ${CMAKE_CURRENT_SOURCE_DIR}/test_actuator_kafka.sh
          $<TARGET_FILE:rampart-actuator> $<TARGET_FILE:actuator_feed> $<TARGET_FILE:evaluator_feed>)
set_tests_properties(actuator_kafka PROPERTIES LABELS integration TIMEOUT 400 SKIP_RETURN_CODE 77)
