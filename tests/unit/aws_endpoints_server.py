#!/usr/bin/env python3
"""Stand-ins for the three AWS endpoints the ECS driver talks to, for its
unit tests (actuator/aws_*.c, actuator/ecs_*.c), on one loopback port:

  GET  /task-role/creds      the ECS task-role credentials endpoint; wants
                             "Authorization: <state.task_role_auth>" (401 else)
  PUT  /latest/api/token     IMDSv2 session token; wants the
                             X-aws-ec2-metadata-token-ttl-seconds header (400 else)
  GET  /latest/meta-data/iam/security-credentials/[<role>]
                             IMDSv2 role listing and document; want
                             X-aws-ec2-metadata-token (401 without or wrong)
  POST /                     an ECS JSON 1.1 endpoint: records every request
                             (headers, body) and answers DescribeTasks /
                             StopTask with a running task, or with the next
                             scripted reply

Credentials carry a fresh AccessKeyId per issue (ASIATASK0001, ASIANODE0002,
...) and Expiration = now + state.expires_in.

Control (not counted): POST /_state merges a JSON object into the state
(expires_in, task_role_auth, down: 503 everywhere but /_*, hang_s: sleep
before answering); POST /_script appends [status, body] replies for POST /
(body a JSON value, or a string sent as it is); GET /_stats answers
{"counts": {kind: n}, "ecs": [{"headers", "body"}]}; POST /_reset restores
everything. Prints the port on stdout; argv[1] is the port (default 0)."""
import copy
import datetime
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ROLE = "rampart-node-role"
IMDS_TOKEN = "imds-session-token-1"
CREDS_PATH = "/latest/meta-data/iam/security-credentials/"
DEFAULTS = {"expires_in": 3600, "task_role_auth": "Bearer task-secret", "down": False, "hang_s": 0}

lock = threading.Lock()
state = copy.deepcopy(DEFAULTS)
counts = {}
script = []
ecs_log = []
issued = [0]


def reset():
    state.clear()
    state.update(copy.deepcopy(DEFAULTS))
    counts.clear()
    script.clear()
    ecs_log.clear()


def credentials(kind, role_arn=None):
    issued[0] += 1
    exp = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=state["expires_in"])
    doc = {
        "AccessKeyId": "ASIA%s%04d" % (kind, issued[0]),
        "SecretAccessKey": "secret-%d" % issued[0],
        "Token": "session-token-%d" % issued[0],
        "Expiration": exp.strftime("%Y-%m-%dT%H:%M:%SZ"),
    }
    if role_arn:
        doc["RoleArn"] = role_arn
    else:
        doc.update({"Code": "Success", "Type": "AWS-HMAC", "LastUpdated": "2026-01-01T00:00:00Z"})
    return doc


def ecs_default(target, req):
    arn = (req.get("tasks") or [req.get("task", "")])[0]
    if target.endswith(".DescribeTasks"):
        return 200, {"tasks": [{"taskArn": arn, "lastStatus": "RUNNING", "desiredStatus": "RUNNING"}],
                     "failures": []}
    if target.endswith(".StopTask"):
        return 200, {"task": {"taskArn": arn, "lastStatus": "RUNNING", "desiredStatus": "STOPPED",
                              "stoppedReason": req.get("reason", "")}}
    return 400, {"__type": "UnknownOperationException", "message": target}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def reply(self, status, doc, ctype="application/json"):
        body = doc.encode() if isinstance(doc, str) else json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def body(self):
        n = int(self.headers.get("Content-Length") or 0)
        return self.rfile.read(n) if n else b""

    def count(self, kind):
        counts[kind] = counts.get(kind, 0) + 1

    def control(self):
        raw = self.body()  # always consumed: the connection is kept alive
        with lock:
            if self.path == "/_stats":
                return self.reply(200, {"counts": counts, "ecs": ecs_log})
            if self.path == "/_reset":
                reset()
            elif self.path == "/_state":
                state.update(json.loads(raw))
            elif self.path == "/_script":
                script.extend(json.loads(raw))
            else:
                return self.reply(404, {})
        return self.reply(200, {})

    def gate(self):
        """True when the request was answered already (down, or after a hang)."""
        hang, down = state["hang_s"], state["down"]
        if hang:
            time.sleep(hang)
        if down:
            self.body()
            self.reply(503, {"message": "unavailable"})
        return down

    def do_GET(self):
        if self.path.startswith("/_"):
            return self.control()
        if self.gate():
            return
        with lock:
            if self.path == "/task-role/creds":
                self.count("task_role")
                if self.headers.get("Authorization") != state["task_role_auth"]:
                    return self.reply(401, {"message": "bad authorization"})
                return self.reply(200, credentials("TASK", "arn:aws:iam::123456789012:role/ecs/rampart-task-role"))
            if self.path.startswith(CREDS_PATH):
                self.count("imds_get")
                if self.headers.get("X-aws-ec2-metadata-token") != IMDS_TOKEN:
                    return self.reply(401, "", "text/plain")
                role = self.path[len(CREDS_PATH):]
                if role == "":
                    return self.reply(200, ROLE + "\n", "text/plain")
                if role != ROLE:
                    return self.reply(404, "", "text/plain")
                return self.reply(200, credentials("NODE"))
        self.reply(404, {})

    def do_PUT(self):
        if self.gate():
            return
        self.body()
        with lock:
            if self.path != "/latest/api/token":
                return self.reply(404, {})
            self.count("imds_token")
            if not self.headers.get("X-aws-ec2-metadata-token-ttl-seconds"):
                return self.reply(400, "", "text/plain")
            self.reply(200, IMDS_TOKEN, "text/plain")

    def do_POST(self):
        if self.path.startswith("/_"):
            return self.control()
        if self.gate():
            return
        raw = self.body()
        with lock:
            self.count("ecs")
            try:
                req = json.loads(raw)
            except ValueError:
                req = {"unparsed": raw.decode(errors="replace")}
            ecs_log.append({"headers": {k.lower(): v for k, v in self.headers.items()}, "body": req})
            target = self.headers.get("X-Amz-Target", "")
            status, doc = script.pop(0) if script else ecs_default(target, req)
        self.reply(status, doc, "application/x-amz-json-1.1")


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A client that gave up on a hanging answer is what the hang is for.
        if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
            super().handle_error(request, client_address)


server = Server(("127.0.0.1", int(sys.argv[1]) if len(sys.argv) > 1 else 0), Handler)
print(server.server_address[1], flush=True)
sys.stdout.close()
server.serve_forever()
