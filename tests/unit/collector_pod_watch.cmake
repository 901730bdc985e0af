# collector pod watcher: watch-stream line splitting and event parsing, Pod
# objects to metadata, the uid-keyed store (collector/pod_watch_stream.c,
# pod_watch_json.c, pod_cache.c). Against a real API server:
# tests/integration/collector_pod_watch.cmake.
rampart_unit_test(test_pod_watch_stream SOURCES test_pod_watch_stream.c LIBS rampart_pod_watch)
