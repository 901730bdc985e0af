# Container identity: cgroup id -> container -> pod / ECS task (collector/).
# Included by collector/CMakeLists.txt; paths are relative to this file.

# Pod labels, owner and service account from the Kubernetes API server.
add_library(rampart_pod_watch STATIC
  ${CMAKE_CURRENT_LIST_DIR}/pod_cache.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch_json.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch_stream.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch_http.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch_request.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch_list.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch_follow.c
  ${CMAKE_CURRENT_LIST_DIR}/pod_watch.c
)
target_include_directories(rampart_pod_watch PUBLIC ${CMAKE_CURRENT_LIST_DIR})
target_link_libraries(rampart_pod_watch PUBLIC rampart_lib PkgConfig::JANSSON PRIVATE PkgConfig::CURL
  Threads::Threads)

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
target_link_libraries(rampart_identity PUBLIC rampart_schemas rampart_pod_watch
  PRIVATE PkgConfig::JANSSON PkgConfig::CURL)
