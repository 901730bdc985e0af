# Configuration, driver set-up and the audit-trail records are shared by
# rampart-actuator and `rampart run`; the Kafka loop is the daemon's own.
target_sources(rampart_actuator PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/actuator_config.c
  ${CMAKE_CURRENT_LIST_DIR}/actuator_drivers.c
  ${CMAKE_CURRENT_LIST_DIR}/actuator_audit.c)
add_executable(rampart-actuator actuator_main.c actuator_service.c actuator_workers.c actuator_metrics.c)
target_link_libraries(rampart-actuator PRIVATE rampart_actuator)
