# --- ECS driver against a real moto server (tests/integration/with-moto)
add_executable(test_ecs_driver test_ecs_driver.c)
target_link_libraries(test_ecs_driver PRIVATE rampart_actuator)
add_test(NAME actuator_ecs
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/with-moto ${CMAKE_CURRENT_SOURCE_DIR}/test_actuator_ecs.sh
          $<TARGET_FILE:test_ecs_driver>)
set_tests_properties(actuator_ecs PROPERTIES LABELS integration TIMEOUT 300)
