# Verdict formats against a real broker, each decoded by an independent
# consumer from PyPI (scripts/bootstrap-formats: fastavro, confluent-kafka,
# jsonschema, ocsf-json-schema), plus the Falco webhook sidecar.
add_test(NAME verdict_formats
  COMMAND ${RAMPART_KAFKA_FIXTURE} ${CMAKE_CURRENT_SOURCE_DIR}/test_verdict_formats.sh
          $<TARGET_FILE:rampart-evaluator> $<TARGET_FILE:evaluator_feed> ${PROJECT_SOURCE_DIR}/rules)
set_tests_properties(verdict_formats PROPERTIES LABELS integration TIMEOUT 600 PROCESSORS 2)
