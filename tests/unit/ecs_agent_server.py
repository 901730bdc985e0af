#!/usr/bin/env python3
"""A stand-in for the ECS container agent's introspection API, for the
client's tests (collector/ecs_agent.c).

Serves the documented shapes:
  GET /v1/metadata             {"Cluster", "ContainerInstanceArn", "Version"}
  GET /v1/tasks                {"Tasks": [task, ...]}
  GET /v1/tasks?dockerid=<id>  the task running that container, else 404
A Docker id starting with "5104" makes the server hang for 3 s before
answering (a stuck agent). GET /stats answers {"requests": n} and is not
counted. Listens on 127.0.0.1 on the port given as argv[1] (default 0 = a
free one) and prints the port on stdout."""
import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

CLUSTER = "prod-east"
TASKS = [
    {
        "Arn": "arn:aws:ecs:us-east-1:123456789012:task/prod-east/0123456789abcdef0123456789abcdef",
        "DesiredStatus": "RUNNING",
        "KnownStatus": "RUNNING",
        "Family": "web",
        "Version": "7",
        "Containers": [
            {"DockerId": "a1" * 32, "DockerName": "ecs-web-7-app-f0e1d2c3b4a5", "Name": "app"},
            {"DockerId": "b2" * 32, "DockerName": "ecs-web-7-envoy-a5b4c3d2e1f0", "Name": "envoy"},
        ],
    },
    {
        "Arn": "arn:aws:ecs:us-east-1:123456789012:task/090eff9b-1ce3-4db6-848a-a8d14064fd24",
        "DesiredStatus": "RUNNING",
        "KnownStatus": "RUNNING",
        "Family": "batch",
        "Version": "12",
        "Containers": [
            {"DockerId": "c3" * 32, "DockerName": "ecs-batch-12-worker-0a1b2c", "Name": "worker"},
        ],
    },
]
requests = [0]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def task_of(self, docker_id):
        for t in TASKS:
            if any(c["DockerId"] == docker_id for c in t["Containers"]):
                return t
        return None

    def do_GET(self):
        url = urlsplit(self.path)
        if url.path == "/stats":
            return self.reply(200, {"requests": requests[0]})
        requests[0] += 1
        if url.path == "/v1/metadata":
            return self.reply(200, {
                "Cluster": CLUSTER,
                "ContainerInstanceArn": "arn:aws:ecs:us-east-1:123456789012:container-instance/"
                                        + CLUSTER + "/4b6d45ea8c5b4b2b9d3a1e2f3c4d5e6f",
                "Version": "Amazon ECS Agent - v1.30.0 (02ff320c)"})
        if url.path != "/v1/tasks":
            return self.reply(404, {})
        ids = parse_qs(url.query).get("dockerid")
        if not ids:
            return self.reply(200, {"Tasks": TASKS})
        if ids[0].startswith("5104"):
            time.sleep(3)
        task = self.task_of(ids[0])
        if task is None:
            return self.reply(404, {})
        self.reply(200, task)


ThreadingHTTPServer.daemon_threads = True
server = ThreadingHTTPServer(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
print(server.server_address[1], flush=True)
sys.stdout.close()
server.serve_forever()
