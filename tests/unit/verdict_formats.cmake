# Verdict formats and the Falco webhook (evaluator/verdict_format*.c,
# verdict_ocsf*.c, verdict_falco*.c, falco_webhook*.c): OCSF and Falco
# mappings, JSON field names, Avro single-object and Confluent framing
# against the stand-in registry.
rampart_unit_test(test_verdict_format SOURCES test_verdict_format.c LIBS rampart_evaluator)
target_compile_definitions(test_verdict_format PRIVATE
  REGISTRY_SERVER="${CMAKE_CURRENT_SOURCE_DIR}/registry_server.py")
