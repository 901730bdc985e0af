# `rampart replay` / `rampart events inspect` selection (cli/cli_replay_filter.c):
# RFC 3339 and relative times, garbage rejected with a clear message, the
# window and the event and verdict filters. The source is compiled in.
rampart_unit_test(test_replay_filter SOURCES test_replay_filter.c ${CMAKE_SOURCE_DIR}/cli/cli_replay_filter.c
  LIBS rampart_schemas)
target_include_directories(test_replay_filter PRIVATE ${CMAKE_SOURCE_DIR}/cli)
