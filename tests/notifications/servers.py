"""Real servers on 127.0.0.1 for the notification tests: an SMTP server (aiosmtpd) that
keeps what it receives and can refuse a recipient, a TCP server that accepts and never
answers (a mail server that hangs), and an HTTP server that plays a push service or a
chat webhook and keeps every request it receives.

Each runs in a thread of the test process on a port the system chose, and is stopped by
its fixture (``tests/notifications/conftest.py``)."""

from __future__ import annotations

import email
import email.policy
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


# --- SMTP -------------------------------------------------------------------------------


@dataclass
class Received:
    """One message as the SMTP server got it: the envelope and the parsed MIME."""

    sender: str
    recipients: list[str]
    raw: bytes
    #: the client's (address, port): one per SMTP connection
    peer: tuple[str, int] = ("", 0)

    @property
    def message(self) -> EmailMessage:
        parsed = email.message_from_bytes(self.raw, policy=email.policy.default)
        assert isinstance(parsed, EmailMessage)
        return parsed


class Recorder:
    """The aiosmtpd handler: keeps each message; ``refuse`` makes RCPT answer a code."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.refuse: str = ""
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        content = envelope.original_content or envelope.content
        with self.lock:
            self.received.append(
                Received(
                    envelope.mail_from,
                    list(envelope.rcpt_tos),
                    bytes(content),
                    tuple(session.peer[:2]),
                )
            )
        return "250 Message accepted for delivery"


class SMTPServer:
    def __init__(self) -> None:
        self.recorder = Recorder()
        self.host, self.port = "127.0.0.1", free_port()
        self.controller = Controller(self.recorder, hostname=self.host, port=self.port)

    @property
    def received(self) -> list[Received]:
        return self.recorder.received

    def refuse(self, reply: str) -> None:
        """Answer every RCPT with ``reply`` (e.g. "550 5.1.1 no such user")."""
        self.recorder.refuse = reply

    def __enter__(self) -> SMTPServer:
        self.controller.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.controller.stop()


class SilentServer:
    """Accepts TCP connections and never says a word (a mail server that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.host, self.port = self.sock.getsockname()
        self.connections: list[socket.socket] = []
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        self.sock.settimeout(0.1)
        while not self.stopping.is_set():
            try:
                conn, _ = self.sock.accept()
            except (TimeoutError, OSError):
                continue
            self.connections.append(conn)

    def __enter__(self) -> SilentServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        self.thread.join()
        for conn in self.connections:
            conn.close()
        self.sock.close()


# --- HTTP -------------------------------------------------------------------------------


@dataclass
class Request:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class Capture:
    """What the HTTP server received, and what it answers (``status`` by path, else 201)."""

    requests: list[Request] = field(default_factory=list)
    status: dict[str, int] = field(default_factory=dict)
    #: seconds to wait before answering a path (a timeout)
    delay: dict[str, float] = field(default_factory=dict)
    stop: threading.Event = field(default_factory=threading.Event)

    def of(self, path: str) -> list[Request]:
        return [r for r in self.requests if r.path == path]


def _handler(capture: Capture) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length)
            capture.requests.append(
                Request("POST", self.path, {k.lower(): v for k, v in self.headers.items()}, body)
            )
            if self.path in capture.delay:
                capture.stop.wait(capture.delay[self.path])
            status = capture.status.get(self.path, 201)
            answer = b"ok" if status < 400 else f"error {status}".encode()
            try:
                self.send_response(status)
                self.send_header("Content-Length", str(len(answer)))
                self.end_headers()
                self.wfile.write(answer)
            except OSError:  # the client gave up (a timeout test)
                pass

        def log_message(self, format: str, *args: Any) -> None:
            pass

    return Handler


class HTTPServer:
    def __init__(self) -> None:
        self.capture = Capture()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.capture))
        self.server.daemon_threads = True
        self.host, self.port = self.server.server_address[:2]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://{self.host}:{self.port}{path}"

    def __enter__(self) -> HTTPServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.capture.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def serve(server: Any) -> Iterator[Any]:
    with server as running:
        yield running
