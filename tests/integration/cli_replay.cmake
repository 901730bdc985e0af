# --- `rampart replay` / `rampart events inspect` (cli/cli_replay*.c, cli/cli_inspect.c):
# a real `rampart run` recording of runc containers replayed, filtered,
# inspected and never acted on, plus a 200k-event throughput run (replay_file);
# the events topic replayed by time, and the verdicts-topic guard (replay_kafka)
add_executable(replay_amplify replay_amplify.c)
target_link_libraries(replay_amplify PRIVATE rampart_schemas rampart_lib)
add_test(NAME replay_file
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_replay.sh file $<TARGET_FILE:rampart> $<TARGET_FILE:replay_amplify>)
set_tests_properties(replay_file PROPERTIES LABELS integration TIMEOUT 300 SKIP_RETURN_CODE 77 PROCESSORS 2
  ENVIRONMENT "RAMPART_CONTAINER=${CMAKE_CURRENT_SOURCE_DIR}/container/rampart-container")
add_test(NAME replay_kafka
  COMMAND ${RAMPART_KAFKA_FIXTURE} ${CMAKE_CURRENT_SOURCE_DIR}/test_replay.sh kafka $<TARGET_FILE:rampart>
          $<TARGET_FILE:evaluator_feed> $<TARGET_FILE:evaluator_check>)
set_tests_properties(replay_kafka PROPERTIES LABELS integration TIMEOUT 600 PROCESSORS 2)
