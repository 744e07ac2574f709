"""Proves a RabbitMQ server accepts the suite: an AMQP 0-9-1 connection handshake, login and vhost open.

Written against the wire rather than with pika because probing happens dozens of times while a broker
boots: this is silent (pika logs every refused attempt), bounded by one socket timeout, and it still
checks what matters — that the credentials and the virtual host in RABBITMQ_URL are accepted.
"""
from __future__ import annotations

import socket
import ssl
import struct
from urllib.parse import unquote, urlsplit

PROTOCOL_HEADER = b"AMQP\x00\x00\x09\x01"
FRAME_METHOD = 1
FRAME_END = b"\xce"
CONNECTION_START, CONNECTION_START_OK = (10, 10), (10, 11)
CONNECTION_TUNE, CONNECTION_TUNE_OK = (10, 30), (10, 31)
CONNECTION_OPEN, CONNECTION_OPEN_OK = (10, 40), (10, 41)
CONNECTION_CLOSE, CONNECTION_CLOSE_OK = (10, 50), (10, 51)


class HandshakeRefused(AssertionError):
    """The broker answered but did not let us in (or did not speak AMQP 0-9-1)."""


def open_and_close(url: str, timeout: float) -> None:
    """Connect, log in with the URL's credentials, open its vhost, close politely. Raises on any failure."""
    parts = urlsplit(url)
    user = unquote(parts.username or "guest")
    password = unquote(parts.password or "guest")
    # pika's convention: an empty path is the default vhost "/"; "/%2F" spells it explicitly.
    vhost = unquote(parts.path[1:]) if len(parts.path) > 1 else "/"
    port = parts.port or (5671 if parts.scheme == "amqps" else 5672)
    with socket.create_connection((parts.hostname or "127.0.0.1", port), timeout=timeout) as raw:
        raw.settimeout(timeout)
        sock = raw
        if parts.scheme == "amqps":
            sock = ssl.create_default_context().wrap_socket(raw, server_hostname=parts.hostname)
        sock.sendall(PROTOCOL_HEADER)
        _expect(sock, CONNECTION_START)
        response = b"\x00" + user.encode() + b"\x00" + password.encode()
        start_ok = _client_properties() + _shortstr("PLAIN") + _longstr(response) + _shortstr("en_US")
        _send(sock, CONNECTION_START_OK, start_ok)
        channel_max, frame_max, _heartbeat = struct.unpack(">HIH", _expect(sock, CONNECTION_TUNE)[:8])
        _send(sock, CONNECTION_TUNE_OK, struct.pack(">HIH", channel_max, frame_max, 0))
        _send(sock, CONNECTION_OPEN, _shortstr(vhost) + _shortstr("") + b"\x00")
        _expect(sock, CONNECTION_OPEN_OK)
        # Closing properly keeps "client unexpectedly closed TCP connection" out of the broker's log.
        _send(sock, CONNECTION_CLOSE, struct.pack(">H", 200) + _shortstr("probe done") + struct.pack(">HH", 0, 0))
        _expect(sock, CONNECTION_CLOSE_OK)


def _client_properties() -> bytes:
    # authentication_failure_close asks the broker to say why a login failed instead of just hanging up.
    capabilities = _shortstr("authentication_failure_close") + b"t\x01"
    table = _shortstr("product") + b"S" + _longstr(b"shop acceptance suite probe")
    table += _shortstr("capabilities") + b"F" + struct.pack(">I", len(capabilities)) + capabilities
    return struct.pack(">I", len(table)) + table


def _shortstr(text: str) -> bytes:
    data = text.encode()
    return struct.pack(">B", len(data)) + data


def _longstr(data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + data


def _send(sock: socket.socket, method: tuple[int, int], arguments: bytes) -> None:
    payload = struct.pack(">HH", *method) + arguments
    sock.sendall(struct.pack(">BHI", FRAME_METHOD, 0, len(payload)) + payload + FRAME_END)


def _expect(sock: socket.socket, method: tuple[int, int]) -> bytes:
    """Read one method frame; return its arguments if it is `method`, else raise saying what came instead."""
    header = _read_exactly(sock, 7)
    if header[:4] == b"AMQP":
        raise HandshakeRefused(f"the server does not speak AMQP 0-9-1 (it offered {header[4:]!r}...)")
    frame_type, _channel, size = struct.unpack(">BHI", header)
    body = _read_exactly(sock, size + 1)
    if frame_type != FRAME_METHOD or body[-1:] != FRAME_END:
        raise HandshakeRefused(f"unexpected AMQP frame of type {frame_type}")
    received = struct.unpack(">HH", body[:4])
    if received == method:
        return body[4:-1]
    if received == CONNECTION_CLOSE:
        code = struct.unpack(">H", body[4:6])[0]
        text = body[7 : 7 + body[6]].decode(errors="replace")
        raise HandshakeRefused(f"the broker closed the connection: {code} {text}")
    raise HandshakeRefused(f"expected AMQP method {method}, got {received}")


def _read_exactly(sock: socket.socket, count: int) -> bytes:
    data = b""
    while len(data) < count:
        chunk = sock.recv(count - len(data))
        if not chunk:
            raise HandshakeRefused("the broker closed the connection during the handshake")
        data += chunk
    return data
