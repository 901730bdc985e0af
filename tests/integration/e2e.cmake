# The distributed pipeline end to end through a real broker: collector, two
# evaluators, the actuator (local driver), a runc attack, replay
# (tests/integration/test_e2e_kafka.sh).
add_test(NAME e2e_kafka
  COMMAND ${RAMPART_KAFKA_FIXTURE} ${CMAKE_CURRENT_SOURCE_DIR}/test_e2e_kafka.sh
          $<TARGET_FILE:rampart-collector> $<TARGET_FILE:rampart-evaluator> $<TARGET_FILE:rampart-actuator>
          $<TARGET_FILE:rampart> $<TARGET_FILE:events_dump> $<TARGET_FILE:evaluator_check>
          $<TARGET_FILE:evaluator_feed> $<TARGET_FILE:actuator_feed>)
set_tests_properties(e2e_kafka PROPERTIES LABELS integration TIMEOUT 600 SKIP_RETURN_CODE 77 PROCESSORS 2)
