#!/usr/bin/env python3
"""A minimal Confluent-compatible schema registry for the client's tests.

Implements the two calls the client makes (register a schema under a subject,
fetch a schema by id) with the registry's id semantics: one global id per
distinct schema, re-registration returns the existing id. POST /fail/<n>
makes the next n requests answer 503, to exercise the client's retries.
Listens on 127.0.0.1 on a free port and prints the port on stdout."""
import json
import re
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ids = {}       # schema text -> id
schemas = {}   # id -> schema text
fail_next = [0]
requests = [0]


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, status, doc):
        body = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/vnd.schemaregistry.v1+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def failing(self):
        requests[0] += 1
        if fail_next[0] > 0:
            fail_next[0] -= 1
            self.reply(503, {"error_code": 50301, "message": "unavailable"})
            return True
        return False

    def do_GET(self):
        if self.path == "/stats":
            return self.reply(200, {"requests": requests[0]})
        if self.failing():
            return
        m = re.fullmatch(r"/schemas/ids/(\d+)", self.path)
        if m and int(m.group(1)) in schemas:
            return self.reply(200, {"schema": schemas[int(m.group(1))]})
        self.reply(404, {"error_code": 40403, "message": "Schema not found"})

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        m = re.fullmatch(r"/fail/(\d+)", self.path)
        if m:
            fail_next[0] = int(m.group(1))
            return self.reply(200, {})
        if self.failing():
            return
        m = re.fullmatch(r"/subjects/([A-Za-z0-9._-]+)/versions", self.path)
        try:
            schema = json.loads(body)["schema"]
            json.loads(schema)
        except (ValueError, KeyError, TypeError):
            return self.reply(422, {"error_code": 42201, "message": "Invalid schema"})
        if not m:
            return self.reply(404, {"error_code": 404, "message": "not found"})
        if schema not in ids:
            ids[schema] = len(ids) + 1
            schemas[ids[schema]] = schema
        self.reply(200, {"id": ids[schema]})


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
sys.stdout.close()
server.serve_forever()
