#!/usr/bin/env bash
# The ECS deployment artefacts (deploy/ecs/) against a real moto server (run
# under tests/integration/with-moto):
#   - every *-task-definition.json is registered as it is (boto3 checks every
#     key against the ECS API model; moto stores it) and reads back with what
#     the collector needs: pidMode host, privileged, host networking, the
#     read-only mounts (BTF, cgroups, containerd and docker state); the
#     evaluator and actuator run non-root with read-only roots;
#   - every *-service.json creates its service in a cluster (the collector's
#     as a DAEMON service);
#   - actuator-iam-policy.json: moto's IAM accepts the document
#     (CreatePolicy validates its syntax), it allows exactly ecs:StopTask and
#     ecs:DescribeTasks, on one cluster's tasks, and nothing else; the trust
#     policy creates the role the actuator's task definition names;
#   - with moto's IAM enforcement on, a principal holding exactly those
#     actions may StopTask and DescribeTasks and is refused RunTask,
#     ListTasks, DeleteService and DeregisterTaskDefinition. (moto matches
#     actions but not ECS resource ARNs or conditions, so this step grants
#     the policy's actions on "*"; the ARN scoping is checked statically.)
#
#   test_deploy_ecs.sh
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
: "${RAMPART_TEST_ECS_ENDPOINT:?run under tests/integration/with-moto}"
py=${RAMPART_MOTO_PYTHON:?run under tests/integration/with-moto}

exec "$py" - "$root/deploy/ecs" <<'PYEOF'
import glob, json, os, sys, urllib.request

import boto3
import botocore.exceptions

ecs_dir = sys.argv[1]
endpoint = os.environ["RAMPART_TEST_ECS_ENDPOINT"]
region = "us-east-1"
passed = failed = 0


def ok(what):
    global passed
    passed += 1
    print(f"ok {passed + failed} - {what}")


def not_ok(what):
    global failed
    failed += 1
    print(f"not ok {passed + failed} - {what}")


def check(cond, what, detail=""):
    (ok if cond else not_ok)(what if cond or not detail else f"{what}: {detail}")
    return cond


def client(service, **kw):
    return boto3.client(service, endpoint_url=endpoint, region_name=region, **kw)


def load(name):
    with open(os.path.join(ecs_dir, name)) as f:
        return json.load(f)


def reset_auth(count):
    """moto enforces IAM after `count` more requests ("inf": never)."""
    req = urllib.request.Request(endpoint + "/moto-api/reset-auth", data=count, method="POST",
                                 headers={"Content-Type": "text/plain"})
    with urllib.request.urlopen(req, timeout=10) as resp:
        resp.read()


ecs = client("ecs")
iam = client("iam")

# --- task definitions -----------------------------------------------------
taskdefs = {}
files = sorted(glob.glob(os.path.join(ecs_dir, "*-task-definition.json")))
check(len(files) == 3, "three task definitions (collector, evaluator, actuator)", [os.path.basename(f) for f in files])
for path in files:
    name = os.path.basename(path)
    doc = load(name)
    try:
        td = ecs.register_task_definition(**doc)["taskDefinition"]
        taskdefs[doc["family"]] = ecs.describe_task_definition(taskDefinition=doc["family"])["taskDefinition"]
        ok(f"{name}: registered as {td['taskDefinitionArn']}")
    except (botocore.exceptions.ParamValidationError, botocore.exceptions.ClientError) as e:
        not_ok(f"{name}: register_task_definition: {e}")

c = taskdefs.get("rampart-collector")
if check(c is not None, "collector task definition reads back"):
    cd = c["containerDefinitions"][0]
    check(c.get("pidMode") == "host", "collector: pidMode host", c.get("pidMode"))
    check(c.get("networkMode") == "host", "collector: networkMode host (the node's ECS agent on localhost)", c.get("networkMode"))
    check(c.get("requiresCompatibilities") == ["EC2"], "collector: EC2 only (Fargate has no host PID or host paths)")
    check(cd.get("privileged") is True, "collector: privileged (ECS cannot add CAP_BPF/CAP_PERFMON otherwise)")
    check(cd.get("user") == "0", "collector: runs as root (loading eBPF needs uid 0)")
    vols = {v["name"]: v.get("host", {}).get("sourcePath") for v in c.get("volumes", [])}
    mounts = {m["containerPath"]: m for m in cd.get("mountPoints", [])}
    for path in ("/sys/kernel/btf", "/sys/fs/cgroup", "/run/containerd", "/run/docker"):
        m = mounts.get(path)
        check(m is not None and m.get("readOnly") is True and vols.get(m["sourceVolume"]) == path,
              f"collector: host {path} mounted read-only at the same path", m)
    env = {e["name"]: e["value"] for e in cd.get("environment", [])}
    check(env.get("RAMPART_ORCHESTRATOR") == "ecs", "collector: orchestrator ecs")
    check(env.get("RAMPART_COLLECTOR_ECS_AGENT_URL", "").startswith("http://localhost:51678"),
          "collector: ECS agent introspection on localhost:51678")
    secrets = {s["name"] for s in cd.get("secrets", [])}
    check({"RAMPART_KAFKA_SASL_USERNAME", "RAMPART_KAFKA_SASL_PASSWORD"} <= secrets,
          "collector: SASL credentials from Secrets Manager, not in the environment")

for fam in ("rampart-evaluator", "rampart-actuator"):
    t = taskdefs.get(fam)
    if not check(t is not None, f"{fam} task definition reads back"):
        continue
    cd = t["containerDefinitions"][0]
    check(not cd.get("privileged"), f"{fam}: not privileged")
    check(cd.get("user", "").split(":")[0] not in ("", "0", "root"), f"{fam}: non-root user", cd.get("user"))
    check(cd.get("readonlyRootFilesystem") is True, f"{fam}: read-only root filesystem")
    check(t.get("pidMode") in (None, "task"), f"{fam}: no host PID namespace", t.get("pidMode"))
    check(all("host" not in v for v in t.get("volumes", [])), f"{fam}: no host paths", t.get("volumes"))
    check(t.get("networkMode") == "awsvpc", f"{fam}: awsvpc networking (Fargate or EC2)")
    secrets = {s["name"] for s in cd.get("secrets", [])}
    check({"RAMPART_KAFKA_SASL_USERNAME", "RAMPART_KAFKA_SASL_PASSWORD"} <= secrets, f"{fam}: SASL credentials from Secrets Manager")

ev = taskdefs.get("rampart-evaluator")
if ev:
    cmd = " ".join(ev["containerDefinitions"][0].get("command", []))
    check("RAMPART_EVALUATOR_INSTANCE_ID=" in cmd, "evaluator: a per-task instance id (transactional.id)", cmd)
act = taskdefs.get("rampart-actuator")
if act:
    check(act.get("taskRoleArn", "").endswith(":role/rampart-actuator"), "actuator: runs with the rampart-actuator task role",
          act.get("taskRoleArn"))
    env = {e["name"]: e["value"] for e in act["containerDefinitions"][0].get("environment", [])}
    check(env.get("RAMPART_ACTUATOR_ECS_ENABLED") == "true" and env.get("RAMPART_ACTUATOR_LOCAL_ENABLED") == "false"
          and env.get("RAMPART_ACTUATOR_KUBERNETES_ENABLED") == "false", "actuator: the ECS driver only")

# --- services ---------------------------------------------------------------
services = sorted(glob.glob(os.path.join(ecs_dir, "*-service.json")))
check(len(services) == 3, "three services")
clusters = {load(os.path.basename(p))["cluster"] for p in services}
for cl in clusters:
    ecs.create_cluster(clusterName=cl)
# The files' example subnet and security group ids become those of moto's
# default VPC (moto checks that they exist).
ec2 = client("ec2")
subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
vpc = ec2.describe_vpcs(Filters=[{"Name": "isDefault", "Values": ["true"]}])["Vpcs"][0]["VpcId"]
sg = ec2.create_security_group(GroupName="rampart", Description="rampart", VpcId=vpc)["GroupId"]
for path in services:
    name = os.path.basename(path)
    doc = load(name)
    aws = doc.get("networkConfiguration", {}).get("awsvpcConfiguration")
    if aws:
        check(all(x.startswith("subnet-") for x in aws["subnets"]) and all(x.startswith("sg-") for x in aws["securityGroups"])
              and aws.get("assignPublicIp") == "DISABLED", f"{name}: private subnets, security groups, no public IP")
        aws["subnets"], aws["securityGroups"] = subnets, [sg]
    try:
        svc = ecs.create_service(**doc)["service"]
        ok(f"{name}: service {svc['serviceName']} created in {doc['cluster']} ({svc.get('schedulingStrategy')})")
    except (botocore.exceptions.ParamValidationError, botocore.exceptions.ClientError) as e:
        not_ok(f"{name}: create_service: {e}")
        continue
    check(doc["taskDefinition"] in taskdefs, f"{name}: names a task definition of deploy/ecs", doc["taskDefinition"])
got = ecs.describe_services(cluster="production", services=["rampart-collector"])["services"]
check(bool(got) and got[0].get("schedulingStrategy") == "DAEMON", "collector service: DAEMON (one task per instance)")

# --- IAM --------------------------------------------------------------------
policy = load("actuator-iam-policy.json")
trust = load("actuator-trust-policy.json")
stmts = policy["Statement"] if isinstance(policy["Statement"], list) else [policy["Statement"]]
actions = set()
for s in stmts:
    a = s.get("Action", [])
    actions |= set([a] if isinstance(a, str) else a)
check(policy.get("Version") == "2012-10-17", "IAM policy: version 2012-10-17")
check(all(s.get("Effect") == "Allow" for s in stmts), "IAM policy: Allow statements only")
check(actions == {"ecs:StopTask", "ecs:DescribeTasks"}, "IAM policy: exactly ecs:StopTask and ecs:DescribeTasks",
      sorted(actions))
check(not any(k in s for s in stmts for k in ("NotAction", "NotResource", "Principal")),
      "IAM policy: no NotAction, NotResource or Principal")
res = [r for s in stmts for r in ([s["Resource"]] if isinstance(s["Resource"], str) else s["Resource"])]
check(bool(res) and all(r.startswith("arn:aws:ecs:") and ":task/" in r and r.split(":task/")[1].split("/")[0] not in ("", "*")
                        for r in res), "IAM policy: resources are the tasks of a named cluster", res)
check(all(s.get("Condition", {}).get("ArnEquals", {}).get("ecs:cluster") for s in stmts),
      "IAM policy: conditioned on ecs:cluster")
try:
    arn = iam.create_policy(PolicyName="rampart-actuator", PolicyDocument=json.dumps(policy))["Policy"]["Arn"]
    ok(f"IAM accepts actuator-iam-policy.json ({arn})")
    role = iam.create_role(RoleName="rampart-actuator", AssumeRolePolicyDocument=json.dumps(trust))["Role"]
    iam.attach_role_policy(RoleName="rampart-actuator", PolicyArn=arn)
    ok(f"IAM accepts actuator-trust-policy.json; role {role['Arn']} carries the policy")
    check(act is None or act.get("taskRoleArn", "").split(":role/")[1] == role["RoleName"],
          "the actuator's task role is that role")
except botocore.exceptions.ClientError as e:
    not_ok(f"IAM: {e}")
try:
    iam.create_policy(PolicyName="rampart-broken", PolicyDocument=json.dumps({"Version": "2012-10-17", "Statement": [{"Effect": "Allow"}]}))
    not_ok("moto's IAM rejects a malformed policy document (the validation above means something)")
except botocore.exceptions.ClientError:
    ok("moto's IAM rejects a malformed policy document (the validation above means something)")

# --- enforcement: the policy's actions, and only them --------------------------
cl = ecs.create_cluster(clusterName="enforce")["cluster"]["clusterArn"]
image = ec2.describe_images()["Images"][0]["ImageId"]
inst = ec2.run_instances(ImageId=image, MinCount=1, MaxCount=1, InstanceType="m5.large")["Instances"][0]
ecs.register_container_instance(cluster="enforce", instanceIdentityDocument=json.dumps({
    "region": region, "instanceId": inst["InstanceId"], "instanceType": inst["InstanceType"], "imageId": image,
    "availabilityZone": inst["Placement"]["AvailabilityZone"], "accountId": "123456789012",
    "privateIp": inst.get("PrivateIpAddress", ""), "version": "2017-09-30"}))
sleeper = ecs.register_task_definition(family="sleeper", containerDefinitions=[
    {"name": "s", "image": "busybox", "memory": 64, "essential": True}])["taskDefinition"]["taskDefinitionArn"]
task = ecs.run_task(cluster="enforce", taskDefinition=sleeper, count=1)["tasks"][0]["taskArn"]
enforced = {"Version": "2012-10-17", "Statement": [
    {"Effect": "Allow", "Action": s["Action"], "Resource": "*"} for s in stmts]}
iam.create_user(UserName="rampart-actuator-enforced")
iam.put_user_policy(UserName="rampart-actuator-enforced", PolicyName="actuator", PolicyDocument=json.dumps(enforced))
key = iam.create_access_key(UserName="rampart-actuator-enforced")["AccessKey"]
reset_auth(b"0")
try:
    limited = client("ecs", aws_access_key_id=key["AccessKeyId"], aws_secret_access_key=key["SecretAccessKey"])
    try:
        d = limited.describe_tasks(cluster="enforce", tasks=[task])
        check(len(d.get("tasks", [])) == 1, "enforced: DescribeTasks allowed")
    except botocore.exceptions.ClientError as e:
        not_ok(f"enforced: DescribeTasks allowed: {e}")
    try:
        limited.stop_task(cluster="enforce", task=task, reason="rampart deploy test")
        ok("enforced: StopTask allowed")
    except botocore.exceptions.ClientError as e:
        not_ok(f"enforced: StopTask allowed: {e}")
    for what, call in (("RunTask", lambda: limited.run_task(cluster="enforce", taskDefinition=sleeper)),
                       ("ListTasks", lambda: limited.list_tasks(cluster="enforce")),
                       ("DeleteService", lambda: limited.delete_service(cluster="production", service="rampart-actuator")),
                       ("DeregisterTaskDefinition", lambda: limited.deregister_task_definition(taskDefinition=sleeper))):
        try:
            call()
            not_ok(f"enforced: {what} refused (it was allowed)")
        except botocore.exceptions.ClientError as e:
            # moto answers 403 with an IAM-style XML body that botocore's
            # JSON parser reports as code "403".
            status = e.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            check(status == 403 and f"not authorized to perform: ecs:{what}" in str(e),
                  f"enforced: {what} refused (HTTP {status}, not authorized)", str(e))
finally:
    reset_auth(b"inf")

print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed else 0)
PYEOF
