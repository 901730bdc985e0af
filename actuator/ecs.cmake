# ECS driver (StopTask over the JSON 1.1 protocol, SigV4 by libcurl) and the
# AWS credential chain it signs with.
list(APPEND RP_ACT_SOURCES
  ${CMAKE_CURRENT_LIST_DIR}/aws_creds.c
  ${CMAKE_CURRENT_LIST_DIR}/aws_cred_json.c
  ${CMAKE_CURRENT_LIST_DIR}/aws_imds.c
  ${CMAKE_CURRENT_LIST_DIR}/aws_json.c
  ${CMAKE_CURRENT_LIST_DIR}/aws_meta.c
  ${CMAKE_CURRENT_LIST_DIR}/aws_task_role.c
  ${CMAKE_CURRENT_LIST_DIR}/aws_url.c
  ${CMAKE_CURRENT_LIST_DIR}/ecs_api.c
  ${CMAKE_CURRENT_LIST_DIR}/ecs_arn.c
  ${CMAKE_CURRENT_LIST_DIR}/ecs_driver.c)
