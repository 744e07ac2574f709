"""The worker's health endpoint (shop/messaging/health.py) and the suite's prober (worker_health): the drain
check asks it two or three times a scenario, over one kept connection."""
import http.client
import socket
import threading
import types

import pytest
import requests

from shop.messaging.health import serve_health
from support.door import WorkerState
from support.servers.shop_processes import worker_health


@pytest.fixture
def worker():
    worker = types.SimpleNamespace(consuming=threading.Event(), busy=False)
    server = serve_health(worker, "127.0.0.1", 0)
    worker.connections = []  # the address of each connection the endpoint accepted
    accept = server.process_request
    server.process_request = lambda request, address: (worker.connections.append(address), accept(request, address))
    worker.url = f"http://127.0.0.1:{server.server_address[1]}/health"
    worker.port = server.server_address[1]
    yield worker
    server.shutdown()
    server.server_close()


def test_answers_whether_the_worker_consumes_and_is_busy(worker):
    assert worker_health(worker.url) == WorkerState(consuming=False, busy=False)
    worker.consuming.set()
    worker.busy = True
    assert worker_health(worker.url) == WorkerState(consuming=True, busy=True)


def test_keeps_the_connection_open_between_questions(worker):
    worker.consuming.set()
    connection = http.client.HTTPConnection("127.0.0.1", worker.port, timeout=5)
    try:
        answers = []
        for _ in range(3):
            connection.request("GET", "/health")
            answer = connection.getresponse()
            answers.append((answer.status, answer.read(), answer.will_close))
            socket_used = connection.sock
            assert socket_used is not None, "the endpoint closed the connection after answering"
        assert answers == [(200, b'{"consuming": true, "busy": false}', False)] * 3
    finally:
        connection.close()


def test_a_session_asks_over_one_connection(worker):
    worker.consuming.set()
    with requests.Session() as session:
        for _ in range(3):
            assert worker_health(worker.url, session).consuming
    assert len(worker.connections) == 1, worker.connections


def test_a_silent_endpoint_means_not_consuming():
    with requests.Session() as session:
        assert worker_health("http://127.0.0.1:9/health", session) == WorkerState(consuming=False, busy=False)


def test_each_answer_leaves_whole_in_one_write(worker):
    """Headers written apart from the body made the body wait for the prober's delayed ACK on a kept
    connection (Nagle's algorithm, 40 ms an answer): the whole answer is there at the first read."""
    worker.consuming.set()
    with socket.create_connection(("127.0.0.1", worker.port), timeout=5) as connection:
        for _ in range(3):
            connection.sendall(b"GET /health HTTP/1.1\r\nHost: worker\r\n\r\n")
            first_read = connection.recv(65536)
            assert first_read.startswith(b"HTTP/1.1 200"), first_read
            assert first_read.endswith(b'{"consuming": true, "busy": false}'), first_read
