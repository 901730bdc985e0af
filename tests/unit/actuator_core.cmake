# actuator decision core: dedupe, limits, re-check, exclusions, dry-run,
# retries (actuator/act_*.c, actuator/actuator.c)
rampart_unit_test(test_actuator_core SOURCES test_actuator_core.c LIBS rampart_actuator)
target_compile_definitions(test_actuator_core PRIVATE RP_RULES_DIR="${CMAKE_SOURCE_DIR}/rules")
