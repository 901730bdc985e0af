# rampart-console (console/): request shapes and the rendered documents;
# the REST API over real HTTP with a temporary rules directory (every rule
# of the managed-ruleset procedure, roles, audit log, TLS).
rampart_unit_test(test_console_render SOURCES test_console_render.c LIBS rampart_console)
rampart_unit_test(test_console_api SOURCES test_console_api.c LIBS rampart_console PkgConfig::CURL)
target_compile_definitions(test_console_api PRIVATE RP_RULES_DIR="${CMAKE_SOURCE_DIR}/rules")
