#!/usr/bin/env python3
"""A stand-in OTLP/HTTP collector for `BENCH_TRACING=1 make bench`: accepts every POST to
/v1/traces with 200 and counts requests and bytes (written to the file given with --stats on exit),
so the service's tracing overhead is measured with the export on the wire and nothing else.
Usage: otlp_sink.py --port 14318 --stats target/bench/otlp.json"""
import argparse
import http.server
import json
import signal
import sys
import threading

counts = {"requests": 0, "bytes": 0}
lock = threading.Lock()


class Sink(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        with lock:
            counts["requests"] += 1
            counts["bytes"] += len(body)
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=14318)
    parser.add_argument("--stats", required=True)
    args = parser.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Sink)

    def stop(*_):
        with open(args.stats, "w") as out:
            json.dump(counts, out)
        sys.exit(0)

    signal.signal(signal.SIGTERM, stop)
    server.serve_forever()


if __name__ == "__main__":
    main()
