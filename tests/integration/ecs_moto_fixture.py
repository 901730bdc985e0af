#!/usr/bin/env python3
"""Set-up and inspection for the ECS driver's test against moto
(tests/integration/test_actuator_ecs.sh), through boto3 from moto's venv.
Talks to $RAMPART_TEST_ECS_ENDPOINT with the dummy credentials with-moto
exports.

  tasks CLUSTER N        cluster, an EC2 instance registered as its container
                         instance, task definition "web"; runs N tasks and
                         prints their ARNs, one a line
  describe CLUSTER ARN   {"lastStatus", "desiredStatus", "stoppedReason"}
  iam                    IAM identities, printed as shell assignments:
                         ACTUATOR_* (DescribeTasks + StopTask),
                         READONLY_* (DescribeTasks only), ROLE_* (temporary
                         keys + session token of an assumed role that may
                         DescribeTasks + StopTask)
  auth on|off            moto's IAM checks: with them on, every request must
                         carry a SigV4 signature that moto recomputes (with
                         botocore) and finds equal, from a known access key
                         whose policies allow the action"""
import json
import os
import shlex
import sys
import urllib.request

import boto3

ENDPOINT = os.environ["RAMPART_TEST_ECS_ENDPOINT"]
ECS_POLICY = {"Version": "2012-10-17",
              "Statement": [{"Effect": "Allow", "Action": ["ecs:DescribeTasks", "ecs:StopTask"], "Resource": "*"}]}
READ_POLICY = {"Version": "2012-10-17",
               "Statement": [{"Effect": "Allow", "Action": ["ecs:DescribeTasks"], "Resource": "*"}]}
TRUST = {"Version": "2012-10-17",
         "Statement": [{"Effect": "Allow", "Principal": {"Service": "ecs-tasks.amazonaws.com"},
                        "Action": "sts:AssumeRole"}]}


def client(service):
    return boto3.client(service, endpoint_url=ENDPOINT, region_name=os.environ["AWS_REGION"])


def ensure_capacity(ecs, ec2, cluster):
    """A cluster with one container instance, which moto needs to place tasks."""
    if ecs.describe_clusters(clusters=[cluster])["clusters"]:
        if ecs.list_container_instances(cluster=cluster)["containerInstanceArns"]:
            return
    else:
        ecs.create_cluster(clusterName=cluster)
    image = ec2.describe_images()["Images"][0]["ImageId"]
    inst = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large")["Instances"][0]
    identity = {"instanceId": inst["InstanceId"], "region": os.environ["AWS_REGION"],
                "availabilityZone": inst["Placement"]["AvailabilityZone"], "imageId": image,
                "instanceType": inst["InstanceType"], "accountId": "123456789012",
                "privateIp": inst.get("PrivateIpAddress", ""), "version": "2017-09-30"}
    ecs.register_container_instance(cluster=cluster, instanceIdentityDocument=json.dumps(identity))


def moto_api(path, body):
    req = urllib.request.Request(ENDPOINT + "/moto-api/" + path, data=body, method="POST",
                                 headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


def tasks(cluster, n):
    ecs, ec2 = client("ecs"), client("ec2")
    # moto otherwise walks a task one state towards STOPPED at every
    # DescribeTasks: a task must stay RUNNING until something stops it.
    moto_api("state-manager/set-transition", json.dumps(
        {"model_name": "ecs::task", "transition": {"progression": "manual", "times": 1000000}}).encode())
    ensure_capacity(ecs, ec2, cluster)
    ecs.register_task_definition(family="web", containerDefinitions=[
        {"name": "app", "image": "busybox", "memory": 64, "cpu": 16, "essential": True}])
    for _ in range(n):
        run = ecs.run_task(cluster=cluster, taskDefinition="web", count=1)
        if run.get("failures") or not run["tasks"]:
            sys.exit("run_task failed: %s" % run.get("failures"))
        print(run["tasks"][0]["taskArn"])


def describe(cluster, arn):
    found = client("ecs").describe_tasks(cluster=cluster, tasks=[arn])
    if not found["tasks"]:
        sys.exit("task %s not found: %s" % (arn, found.get("failures")))
    t = found["tasks"][0]
    print(json.dumps({k: t.get(k, "") for k in ("lastStatus", "desiredStatus", "stoppedReason")}))


def user(iam, name, policy):
    iam.create_user(UserName=name)
    iam.put_user_policy(UserName=name, PolicyName="ecs", PolicyDocument=json.dumps(policy))
    return iam.create_access_key(UserName=name)["AccessKey"]


def iam_identities():
    iam, sts = client("iam"), client("sts")
    out = {}
    for prefix, name, policy in (("ACTUATOR", "rampart-actuator", ECS_POLICY),
                                 ("READONLY", "rampart-readonly", READ_POLICY)):
        key = user(iam, name, policy)
        out[prefix + "_KEY"], out[prefix + "_SECRET"] = key["AccessKeyId"], key["SecretAccessKey"]
    role = iam.create_role(RoleName="rampart-task-role", AssumeRolePolicyDocument=json.dumps(TRUST))["Role"]
    iam.put_role_policy(RoleName="rampart-task-role", PolicyName="ecs", PolicyDocument=json.dumps(ECS_POLICY))
    creds = sts.assume_role(RoleArn=role["Arn"], RoleSessionName="rampart")["Credentials"]
    out.update(ROLE_KEY=creds["AccessKeyId"], ROLE_SECRET=creds["SecretAccessKey"], ROLE_TOKEN=creds["SessionToken"])
    for k, v in out.items():
        print("%s=%s" % (k, shlex.quote(v)))


def auth(on):
    moto_api("reset-auth", b"0" if on else b"inf")


def main(argv):
    cmd = argv[1] if len(argv) > 1 else ""
    if cmd == "tasks" and len(argv) == 4:
        return tasks(argv[2], int(argv[3]))
    if cmd == "describe" and len(argv) == 4:
        return describe(argv[2], argv[3])
    if cmd == "iam" and len(argv) == 2:
        return iam_identities()
    if cmd == "auth" and len(argv) == 3 and argv[2] in ("on", "off"):
        return auth(argv[2] == "on")
    sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv)
