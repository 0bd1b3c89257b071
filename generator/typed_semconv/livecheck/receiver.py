"""An OTLP/HTTP receiver: `POST /v1/traces`, `/v1/metrics` and `/v1/logs`, protobuf or JSON.

Every peer may be hostile. A body must declare its length (no chunked bodies) and stay under
`max_body_bytes`, also once gunzipped; reading it must finish within `read_timeout` seconds, and
each socket read times out too, so a slow client is dropped rather than waited for; at most
`max_connections` are served at once (others are closed at once). A payload that is not OTLP
gets the status OTLP specifies (400 malformed, 404 unknown path, 405 method, 411 no length,
413 too large, 415 content type or encoding) with a `google.rpc.Status` body, and the receiver
goes on. `GET` or `POST /stop` asks it to stop.
"""

from __future__ import annotations

import json
import threading
import time
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socket import socket
from typing import Any

from typed_semconv.livecheck.otlp_json import SampleError, otlp_samples
from typed_semconv.livecheck.otlp_proto import MissingExtra, protobuf_samples
from typed_semconv.livecheck.samples import Sample

SIGNALS = {"/v1/traces": "traces", "/v1/metrics": "metrics", "/v1/logs": "logs"}
JSON_KEYS = {"traces": "resourceSpans", "metrics": "resourceMetrics", "logs": "resourceLogs"}
PROTOBUF = "application/x-protobuf"
JSON = "application/json"
_GRPC_INVALID_ARGUMENT = 3
_GRPC_INTERNAL = 13
# How often the serving thread looks whether it was asked to stop: `close` waits up to this long.
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Limits:
    max_body_bytes: int = 16 * 1024 * 1024
    read_timeout: float = 10.0
    max_connections: int = 64


class RequestRejected(Exception):
    def __init__(self, status: HTTPStatus, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def _varint(number: int) -> bytes:
    out = bytearray()
    while True:
        byte = number & 0x7F
        number >>= 7
        if number:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def status_message(code: int, message: str) -> bytes:
    """A `google.rpc.Status` protobuf message (code = field 1, message = field 2)."""
    text = message.encode("utf-8")
    return b"\x08" + _varint(code) + b"\x12" + _varint(len(text)) + text


Deliver = Callable[[list[Sample], str], None]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 64

    def __init__(self, address: tuple[str, int], receiver: Receiver) -> None:
        self.receiver = receiver
        self.slots = threading.BoundedSemaphore(receiver.limits.max_connections)
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        if not self.slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many connections: refuse this one at once
            return
        super().process_request(request, client_address)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self.slots.release()

    def handle_error(self, request: socket | tuple[bytes, socket], client_address: Any) -> None:
        """A broken connection is the peer's problem; it is not printed as a traceback."""


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    protocol_version = "HTTP/1.1"
    server_version = "typed-semconv-live-check"

    def setup(self) -> None:
        super().setup()
        self.connection.settimeout(self.server.receiver.limits.read_timeout)

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: findings are the output."""

    # --- responses -------------------------------------------------------------------------------

    def _reply(self, status: HTTPStatus, body: bytes, content_type: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        if status >= 400:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        self.wfile.write(body)

    def _reject(self, status: HTTPStatus, message: str, as_json: bool) -> None:
        code = _GRPC_INTERNAL if status >= 500 else _GRPC_INVALID_ARGUMENT
        if as_json:
            body = json.dumps({"code": code, "message": message}).encode()
            self._reply(status, body, JSON)
        else:
            self._reply(status, status_message(code, message), PROTOBUF)
        self.server.receiver.rejected(status, message)

    # --- methods ---------------------------------------------------------------------------------

    def do_GET(self) -> None:
        if self.path == "/stop":
            self._stop()
        else:
            self._reject(HTTPStatus.NOT_FOUND, f"no such endpoint: {self.path}", True)

    def do_POST(self) -> None:
        if self.path == "/stop":
            self._stop()
            return
        signal = SIGNALS.get(self.path.split("?", 1)[0])
        wants_json = self.headers.get("Content-Type", "").split(";")[0].strip().lower() == JSON
        if signal is None:
            self._reject(HTTPStatus.NOT_FOUND, f"no such endpoint: {self.path}", wants_json)
            return
        try:
            samples = self._samples(signal)
        except RequestRejected as rejected:
            self._reject(rejected.status, rejected.message, wants_json)
            return
        try:
            self.server.receiver.deliver(samples, f"{self.client_address[0]} {self.path}")
        except Exception as exc:  # the checker failed: say so, keep serving
            self._reject(HTTPStatus.INTERNAL_SERVER_ERROR, f"live check failed: {exc}", wants_json)
            return
        if wants_json:
            self._reply(HTTPStatus.OK, b"{}", JSON)
        else:
            self._reply(HTTPStatus.OK, b"", PROTOBUF)

    def _not_allowed(self) -> None:
        self._reject(HTTPStatus.METHOD_NOT_ALLOWED, f"{self.command} is not supported", True)

    do_PUT = do_DELETE = do_PATCH = _not_allowed

    def _stop(self) -> None:
        self._reply(HTTPStatus.OK, b"stopping\n", "text/plain")
        self.server.receiver.request_stop("stop request")

    # --- reading ---------------------------------------------------------------------------------

    def _body(self) -> bytes:
        limits = self.server.receiver.limits
        if "chunked" in self.headers.get("Transfer-Encoding", "").lower():
            raise RequestRejected(HTTPStatus.LENGTH_REQUIRED, "chunked bodies are not accepted")
        declared = self.headers.get("Content-Length")
        if declared is None:
            raise RequestRejected(HTTPStatus.LENGTH_REQUIRED, "Content-Length is required")
        if not declared.strip().isdigit():
            raise RequestRejected(HTTPStatus.BAD_REQUEST, "Content-Length is not a number")
        length = int(declared)
        if length > limits.max_body_bytes:
            raise RequestRejected(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"body of {length} bytes is over the limit of {limits.max_body_bytes}",
            )
        deadline = time.monotonic() + limits.read_timeout
        chunks = []
        remaining = length
        while remaining:
            if time.monotonic() > deadline:
                raise RequestRejected(HTTPStatus.REQUEST_TIMEOUT, "the body came too slowly")
            chunk = self.rfile.read1(min(remaining, 65536))
            if not chunk:
                raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body ended early")
            chunks.append(chunk)
            remaining -= len(chunk)
        body = b"".join(chunks)
        encoding = self.headers.get("Content-Encoding", "identity").strip().lower()
        if encoding == "gzip":
            return self._gunzip(body, limits.max_body_bytes)
        if encoding not in ("identity", ""):
            raise RequestRejected(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE, f"Content-Encoding {encoding} is not supported"
            )
        return body

    @staticmethod
    def _gunzip(body: bytes, limit: int) -> bytes:
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            data = inflater.decompress(body, limit + 1)
        except zlib.error:
            raise RequestRejected(HTTPStatus.BAD_REQUEST, "the body is not valid gzip") from None
        if len(data) > limit or inflater.unconsumed_tail:
            raise RequestRejected(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE, f"the body inflates past {limit} bytes"
            )
        return data

    def _samples(self, signal: str) -> list[Sample]:
        content_type = self.headers.get("Content-Type", "").split(";")[0].strip().lower()
        if content_type not in (PROTOBUF, JSON):
            raise RequestRejected(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                f"Content-Type must be {PROTOBUF} or {JSON}, not {content_type or 'missing'}",
            )
        body = self._body()
        try:
            if content_type == PROTOBUF:
                return protobuf_samples(signal, body)
            return self._json_samples(signal, body)
        except MissingExtra as exc:
            raise RequestRejected(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, str(exc)) from None
        except SampleError as exc:
            raise RequestRejected(HTTPStatus.BAD_REQUEST, str(exc)) from None

    @staticmethod
    def _json_samples(signal: str, body: bytes) -> list[Sample]:
        try:
            document = json.loads(body)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise SampleError(f"not JSON: {exc}") from None
        except RecursionError:
            raise SampleError("JSON nests too deeply") from None
        if not isinstance(document, dict):
            raise SampleError("an OTLP export request is a JSON object")
        key = JSON_KEYS[signal]
        others = [k for k in JSON_KEYS.values() if k != key and k in document]
        if others:
            raise SampleError(f"{others[0]} sent to the {signal} endpoint")
        return otlp_samples({key: document[key]} if key in document else {})


class Receiver:
    """Serves OTLP/HTTP on `host:port` (port 0: any free port) until asked to stop."""

    def __init__(
        self,
        deliver: Deliver,
        host: str = "127.0.0.1",
        port: int = 4318,
        limits: Limits | None = None,
        on_rejected: Callable[[HTTPStatus, str], None] | None = None,
    ) -> None:
        self.deliver_samples = deliver
        self.limits = limits or Limits()
        self.on_rejected = on_rejected
        self.stopped = threading.Event()
        self.stop_reason = ""
        self.last_activity = time.monotonic()
        self.server = _Server((host, port), self)
        self._thread = threading.Thread(
            target=self.server.serve_forever,
            args=(_POLL_SECONDS,),
            name="otlp-receiver",
            daemon=True,
        )

    @property
    def address(self) -> tuple[str, int]:
        host, port = self.server.server_address[:2]
        return str(host), int(port)

    def start(self) -> None:
        self._thread.start()

    def deliver(self, samples: list[Sample], origin: str) -> None:
        self.last_activity = time.monotonic()
        self.deliver_samples(samples, origin)

    def rejected(self, status: HTTPStatus, message: str) -> None:
        self.last_activity = time.monotonic()
        if self.on_rejected is not None:
            self.on_rejected(status, message)

    def request_stop(self, reason: str) -> None:
        if not self.stopped.is_set():
            self.stop_reason = reason
            self.stopped.set()

    def wait(self, inactivity_timeout: float | None = None) -> str:
        """Block until a stop is requested or nothing arrived for `inactivity_timeout` seconds;
        returns why it stopped."""
        while not self.stopped.wait(0.1):
            idle = time.monotonic() - self.last_activity
            if inactivity_timeout and idle >= inactivity_timeout:
                self.request_stop(f"no data for {inactivity_timeout:g} s")
        return self.stop_reason

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(timeout=5)
