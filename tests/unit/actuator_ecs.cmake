# ECS driver: the AWS credential chain (environment, task-role endpoint,
# IMDSv2, expiry caching) and the driver's signed JSON 1.1 calls, against
# stand-in endpoints on a loopback port (actuator/aws_*.c, actuator/ecs_*.c)
rampart_unit_test(test_aws_creds SOURCES test_aws_creds.c LIBS rampart_actuator)
target_compile_definitions(test_aws_creds PRIVATE
  AWS_ENDPOINTS_SERVER="${CMAKE_CURRENT_SOURCE_DIR}/aws_endpoints_server.py")
