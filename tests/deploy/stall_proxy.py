"""An HTTP proxy to an S3 server that stops answering uploads after a count.

Usage: stall_proxy.py PORT UPSTREAM AFTER COUNT_FILE

Forwards every request to UPSTREAM (http://127.0.0.1:N) as it came, Host
header included. After AFTER uploads (PUT) have been answered, every further
upload hangs, as a deploy killed or cut off midway would see; COUNT_FILE holds
the number of uploads answered so far, for the test to wait on.
"""
import http.client
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

PORT, UPSTREAM, AFTER, COUNT_FILE = int(sys.argv[1]), urlsplit(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
lock = threading.Lock()
answered = 0
# Uploads let through: counted when they start, so that of many concurrent
# uploads exactly AFTER get through.
started = 0


class Proxy(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def forward(self):
        global answered, started
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        if self.command == "PUT":
            with lock:
                stalled = started >= AFTER
                started += 0 if stalled else 1
            if stalled:
                time.sleep(3600)
        upstream = http.client.HTTPConnection(UPSTREAM.hostname, UPSTREAM.port, timeout=60)
        headers = {k: v for k, v in self.headers.items()}
        upstream.request(self.command, self.path, body=body, headers=headers)
        answer = upstream.getresponse()
        data = answer.read()
        self.send_response(answer.status)
        for k, v in answer.getheaders():
            if k.lower() not in ("content-length", "transfer-encoding", "connection"):
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)
        if self.command == "PUT":
            with lock:
                answered += 1
                with open(COUNT_FILE, "w") as f:
                    f.write(str(answered))

    do_GET = do_PUT = do_POST = do_HEAD = do_DELETE = forward


ThreadingHTTPServer(("127.0.0.1", PORT), Proxy).serve_forever()
