# local driver (plain container hosts, `rampart run`): cgroup kill and a
# network quarantine put in the container's namespace with libnftables.
pkg_check_modules(NFTABLES REQUIRED IMPORTED_TARGET libnftables)
list(APPEND RP_ACT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/local_driver.c
  ${CMAKE_CURRENT_LIST_DIR}/local_terminate.c
  ${CMAKE_CURRENT_LIST_DIR}/local_isolate.c
  ${CMAKE_CURRENT_LIST_DIR}/local_release.c
  ${CMAKE_CURRENT_LIST_DIR}/local_cgroup.c
  ${CMAKE_CURRENT_LIST_DIR}/local_netns.c
  ${CMAKE_CURRENT_LIST_DIR}/local_netns_run.c
  ${CMAKE_CURRENT_LIST_DIR}/local_nft.c
  ${CMAKE_CURRENT_LIST_DIR}/local_state.c)
list(APPEND RP_ACT_LIBS PkgConfig::NFTABLES)
