"""The relay the suite puts between the shop and Redis carries bytes both ways, and can be cut and restored."""
import socket
import threading

import pytest

from support.polling import eventually
from support.wires.relay import TcpRelay


def echo(conn: socket.socket) -> None:
    with conn:
        while data := conn.recv(1024):
            conn.sendall(data)


@pytest.fixture
def echo_server():
    server = socket.create_server(("127.0.0.1", 0))

    def serve():
        while True:
            try:
                conn, _ = server.accept()
            except OSError:
                return
            threading.Thread(target=echo, args=(conn,), daemon=True).start()

    threading.Thread(target=serve, daemon=True).start()
    yield server.getsockname()[1]
    server.close()


def exchange(port: int, text: bytes) -> bytes:
    with socket.create_connection(("127.0.0.1", port), timeout=2) as conn:
        conn.sendall(text)
        return conn.recv(1024)


def test_bytes_pass_both_ways_until_cut_and_again_once_restored(echo_server):
    relay = TcpRelay("127.0.0.1", echo_server)
    try:
        assert exchange(relay.port, b"PING") == b"PING"
        relay.cut()
        assert exchange(relay.port, b"PING") == b""  # closed on arrival, as a server that has gone away
        relay.restore()
        assert exchange(relay.port, b"PING") == b"PING"
    finally:
        relay.close()


def test_cutting_drops_connections_already_open(echo_server):
    relay = TcpRelay("127.0.0.1", echo_server)
    try:
        with socket.create_connection(("127.0.0.1", relay.port), timeout=2) as conn:
            conn.sendall(b"one")
            assert conn.recv(1024) == b"one"
            relay.cut()
            conn.settimeout(2)
            assert conn.recv(1024) == b""
    finally:
        relay.close()


def test_the_url_keeps_credentials_and_database():
    relay = TcpRelay("127.0.0.1", 6379)
    try:
        relayed = relay.url_instead_of("redis://:secret@redis.internal:6380/12")
        assert relayed == f"redis://:secret@127.0.0.1:{relay.port}/12"
        assert relay.url_instead_of("redis://10.0.0.5/3") == f"redis://127.0.0.1:{relay.port}/3"
    finally:
        relay.close()


def test_every_chunk_goes_on_at_once_nagle_off_on_both_legs(echo_server):
    """Nagle's algorithm on either leg held a chunk sent behind an unacknowledged one until the far end's
    delayed ACK (40 ms): the shop's publish through the broker link waited that long for its confirm."""
    relay = TcpRelay("127.0.0.1", echo_server)
    try:
        with socket.create_connection(("127.0.0.1", relay.port), timeout=2) as conn:
            conn.sendall(b"PING")
            assert conn.recv(1024) == b"PING"
            legs = list(relay._open)
            assert len(legs) == 2, legs
            assert [leg.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) for leg in legs] == [1, 1]
    finally:
        relay.close()


def test_the_far_ends_answer_counts_as_traffic_when_it_comes():
    """Someone who looked at the server after the shop's request was counted, but before the server had done
    it, learns from the count that something crossed since: the answer is counted when it comes back."""
    server = socket.create_server(("127.0.0.1", 0))
    answer_now = threading.Event()

    def answer_later():
        conn, _ = server.accept()
        with conn:
            conn.recv(1024)
            answer_now.wait(5)
            conn.sendall(b"STORED")

    threading.Thread(target=answer_later, daemon=True).start()
    relay = TcpRelay("127.0.0.1", server.getsockname()[1])
    try:
        with socket.create_connection(("127.0.0.1", relay.port), timeout=2) as conn:
            conn.sendall(b"PUT")
            eventually(lambda: _counted(relay, 1), timeout=2, description="the request counted")
            looked_at = relay.carried  # a look at the server now may miss what the request does
            answer_now.set()
            assert conn.recv(1024) == b"STORED"
            assert relay.carried > looked_at, "the answer came back without being counted"
    finally:
        relay.close()
        server.close()


def _counted(relay: TcpRelay, at_least: int) -> None:
    assert relay.carried >= at_least, f"{relay.carried} chunk(s) counted"
