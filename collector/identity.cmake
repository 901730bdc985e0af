# Container identity: cgroup id -> container -> pod / ECS task (collector/).
# Included by collector/CMakeLists.txt; paths are relative to this file.
add_library(rampart_identity STATIC
  ${CMAKE_CURRENT_LIST_DIR}/cgroup_path.c
  ${CMAKE_CURRENT_LIST_DIR}/cgroup_resolve.c
  ${CMAKE_CURRENT_LIST_DIR}/oci_bundle.c
  ${CMAKE_CURRENT_LIST_DIR}/identity_resolve.c
  ${CMAKE_CURRENT_LIST_DIR}/identity.c
  ${CMAKE_CURRENT_LIST_DIR}/identity_event.c
  ${CMAKE_CURRENT_LIST_DIR}/ecs_agent.c
)
target_include_directories(rampart_identity PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(rampart_identity PUBLIC rampart_schemas PRIVATE PkgConfig::JANSSON PkgConfig::CURL)
