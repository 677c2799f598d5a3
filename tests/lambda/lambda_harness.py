"""What the Lambda tests and the cold-start benchmark share, standard library only
(tests/lambda/lambda_e2e_test.py, tests/lambda/lambda_image_test.py, bench/lambda_cold_start.py):

- RuntimeApi: a Lambda Runtime API test server on loopback (Python's http.server). It hands out its
  events on /next with the documented headers and records every response, error and init error.
  Once its events are handed out, /next waits, as Lambda's does between events, until it is closed.
- run_function: runs one function process against a RuntimeApi of its own, and notes how long after
  its exec it first asked for an event, and its memory at that moment (VmRSS, VmHWM).
- S3rver: npm s3rver on loopback (tests/lambda/s3rver, installed by scripts/install-deps) holding
  one bucket, and the environment that makes a function read an object of it.
"""
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PREFIX = "/2018-06-01"
S3RVER_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "s3rver")


def check(condition, message):
    if not condition:
        print("FAIL:", message)
        sys.exit(1)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_of(pid):
    """VmRSS and VmHWM of a process, in bytes, from /proc/PID/status."""
    memory = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                memory[name] = int(value.split()[0]) * 1024
    return memory


class RuntimeApi:
    """Hands out events on /next with the documented headers; records responses, errors, init errors."""

    def __init__(self, events):
        self.events = list(events)
        self.posted = []
        self.idle = threading.Event()  # /next was asked for after the last event
        self.first_next_at = None  # time.monotonic() of the first /next
        self.memory_at_first_next = None
        self._pid = None
        self._watched = threading.Event()
        self._closed = threading.Event()
        api = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def reply(self, status, body, headers=()):
                data = body.encode()
                self.send_response(status)
                for name, value in headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self):
                now = time.monotonic()
                if self.path != PREFIX + "/runtime/invocation/next":
                    return self.reply(404, '{"errorMessage":"unknown path"}')
                if api.first_next_at is None:
                    api.first_next_at = now
                    if api._watched.wait(5) and api._pid is not None:
                        api.memory_at_first_next = memory_of(api._pid)
                if not api.events:
                    api.idle.set()
                    api._closed.wait()  # the function is stopped meanwhile: no answer
                    self.close_connection = True
                    return None
                n = len(api.posted)
                self.reply(200, json.dumps(api.events.pop(0)), [
                    ("Lambda-Runtime-Aws-Request-Id", f"req-{n}"),
                    ("Lambda-Runtime-Deadline-Ms", str(int(time.time() * 1000) + 30000)),
                    ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000"),
                    ("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-1:123456789012:function:f")])

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
                api.posted.append((self.path[len(PREFIX):], body, self.headers.get("Lambda-Runtime-Function-Error-Type")))
                self.reply(202, '{"status":"OK"}')

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def address(self):
        return f"127.0.0.1:{self.server.server_address[1]}"

    def watch(self, pid):
        """The process whose memory is read at its first /next."""
        self._pid = pid
        self._watched.set()

    def close(self):
        self._closed.set()
        self.server.shutdown()
        self.server.server_close()


@dataclasses.dataclass
class FunctionRun:
    returncode: int
    stdout: str
    stderr: str
    posted: list  # (path after /2018-06-01, body, Lambda-Runtime-Function-Error-Type)
    waiting: bool  # it asked for another event after the last one, and was stopped then
    first_next_s: float  # seconds from just before its exec to its first /next, or None
    memory_at_first_next: dict  # VmRSS, VmHWM in bytes, or None


def run_function(argv, env, events, timeout=120):
    """Runs `argv` (environment `env` plus AWS_LAMBDA_RUNTIME_API) against a RuntimeApi serving
    `events`, until it exits or, having answered them all, asks for another (then it is stopped)."""
    api = RuntimeApi(events)
    try:
        with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
            started = time.monotonic()
            process = subprocess.Popen(argv, env=dict(env, AWS_LAMBDA_RUNTIME_API=api.address()),
                                       stdout=out, stderr=err, text=True)
            api.watch(process.pid)
            try:
                while process.poll() is None and not api.idle.wait(0.01):
                    if time.monotonic() - started > timeout:
                        raise TimeoutError(f"{argv} still running after {timeout} s")
            finally:
                if process.poll() is None:
                    process.terminate()
                process.wait(timeout=30)
            out.seek(0)
            err.seek(0)
            first = None if api.first_next_at is None else api.first_next_at - started
            return FunctionRun(process.returncode, out.read(), err.read(), api.posted, api.idle.is_set(), first,
                               api.memory_at_first_next)
    finally:
        api.close()


class S3rver:
    """npm s3rver on loopback, storing under `store`, with one bucket."""

    def __init__(self, store, bucket="datasheets", folder=S3RVER_DIR):
        self.script = os.path.join(folder, "node_modules", "s3rver", "bin", "s3rver.js")
        self.store = store
        self.bucket = bucket
        self.port = None
        self.process = None

    def available(self):
        return os.path.exists(self.script)

    def __enter__(self):
        self.port = free_port()
        self.process = subprocess.Popen(["node", self.script, "-d", self.store, "-a", "127.0.0.1", "-p", str(self.port),
                                         "--silent", "--configure-bucket", self.bucket], stdout=subprocess.DEVNULL)
        for _ in range(200):
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError(f"s3rver did not listen on 127.0.0.1:{self.port}")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self.port}"

    def put(self, key, data):
        put = urllib.request.Request(f"{self.endpoint}/{self.bucket}/{key}", data=data, method="PUT",
                                     headers={"x-amz-content-sha256": "UNSIGNED-PAYLOAD"})
        urllib.request.urlopen(put, timeout=60).close()

    def function_env(self, key):
        """What Lambda would set for a function reading s3://BUCKET/KEY (s3rver checks no signature)."""
        return {"AWS_ACCESS_KEY_ID": "S3RVER", "AWS_SECRET_ACCESS_KEY": "S3RVER", "AWS_SESSION_TOKEN": "session",
                "AWS_REGION": "eu-west-1", "AWS_ENDPOINT_URL_S3": self.endpoint,
                "ASSET_BUCKET": self.bucket, "ASSET_NAME": key}
