# --- rampart-console (console/): the web UI in headless chromium
# (playwright-core, scripts/bootstrap-console; screenshots kept in
# Testing/console-browser), and rulesets created through the API reaching a
# running rampart-evaluator through the real broker (store kafka) and the
# rules directory (store dir).
add_test(NAME console_browser
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_console_browser.sh $<TARGET_FILE:rampart-console>
          ${PROJECT_SOURCE_DIR}/rules ${CMAKE_CURRENT_SOURCE_DIR}/console_browser.mjs
          ${CMAKE_BINARY_DIR}/Testing/console-browser)
set_tests_properties(console_browser PROPERTIES LABELS integration TIMEOUT 180 SKIP_RETURN_CODE 77)

add_executable(console_verdicts console_verdicts.c)
target_link_libraries(console_verdicts PRIVATE rampart_schemas rampart_lib)
foreach(store kafka dir)
  add_test(NAME console_propagation_${store}
    COMMAND ${RAMPART_KAFKA_FIXTURE} ${CMAKE_CURRENT_SOURCE_DIR}/test_console_propagation.sh ${store}
            $<TARGET_FILE:rampart-console> $<TARGET_FILE:rampart-evaluator> $<TARGET_FILE:evaluator_feed>
            $<TARGET_FILE:console_verdicts> ${PROJECT_SOURCE_DIR}/rules)
  set_tests_properties(console_propagation_${store} PROPERTIES LABELS integration TIMEOUT 600 PROCESSORS 2)
endforeach()

# ... and `rampart run` itself (root, eBPF, runc containers; skipped without)
add_test(NAME console_run
  COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/test_console_run.sh $<TARGET_FILE:rampart-console> $<TARGET_FILE:rampart>
          ${PROJECT_SOURCE_DIR}/rules)
set_tests_properties(console_run PROPERTIES LABELS integration TIMEOUT 300 SKIP_RETURN_CODE 77 PROCESSORS 2
  ENVIRONMENT "RAMPART_CONTAINER=${CMAKE_CURRENT_SOURCE_DIR}/container/rampart-container")
