"""A local stand-in for WeCom / DingTalk robots: records posts, fails on demand."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer


class RobotStub:
    def __init__(self, failures_before_success: int = 0, always_fail: bool = False):
        self.received: list[dict] = []
        self.failures_left = failures_before_success
        self.always_fail = always_fail
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                if stub.always_fail or stub.failures_left > 0:
                    stub.failures_left -= 1
                    self.send_response(500)
                    self.end_headers()
                    return
                stub.received.append(body)
                answer = json.dumps({"errcode": 0, "errmsg": "ok"}).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}/cgi-bin/webhook/send?key=test"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
