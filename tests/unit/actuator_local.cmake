# local driver (actuator/local_*.c): cgroup path safety, already-done on a
# missing or empty cgroup, isolation records, release bookkeeping; against
# a stand-in cgroup tree (real kills: tests/integration/actuator_local.cmake)
rampart_unit_test(test_local_driver SOURCES test_local_driver.c LIBS rampart_actuator)
