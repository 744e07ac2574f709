"""A TCP relay between the shop under test and a server (Redis, RabbitMQ), which a scenario can cut.

Scenarios prove what the shop does when Redis is unreachable, or frozen (connections open, no
answers). Stopping the Redis server would take it
away from everyone sharing it (other runs, other engineers); cutting the shop's own link takes it away
from the shop alone, which is what is being tested. While cut, the relay drops every connection it
carries and closes each new one at once, as a Redis that has gone away would.
"""
from __future__ import annotations

import contextlib
import selectors
import socket
import threading
from urllib.parse import urlsplit, urlunsplit

_CHUNK = 65536


class TcpRelay:
    def __init__(self, target_host: str, target_port: int):
        self._target = (target_host, target_port)
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port = self._listener.getsockname()[1]
        self._lock = threading.Lock()
        self._open: set[socket.socket] = set()
        self._cut = False
        self._frozen = False
        self.swallowed = 0  # chunks the shop sent while the relay was frozen
        # Chunks that came in from either end, ever: unchanged means nothing crossed meanwhile. The far end's answers
        # count too: a request counted before someone looked at the server may be done only after, and its
        # answer, counted once it is done, tells them to look again (see StorageInspector).
        self.carried = 0
        self._closed = False
        self._thread = threading.Thread(target=self._accept, name=f"relay-{self.port}", daemon=True)
        self._thread.start()

    @classmethod
    def for_redis(cls, redis_url: str) -> TcpRelay:
        return cls.for_url(redis_url, 6379)

    @classmethod
    def for_url(cls, url: str, default_port: int) -> TcpRelay:
        parts = urlsplit(url)
        return cls(parts.hostname or "127.0.0.1", parts.port or default_port)

    def url_instead_of(self, url: str) -> str:
        """`url` with its host and port replaced by the relay's: the same credentials, database and options."""
        parts = urlsplit(url)
        credentials = parts.netloc.rpartition("@")[0]
        netloc = f"{credentials}@127.0.0.1:{self.port}" if credentials else f"127.0.0.1:{self.port}"
        return urlunsplit(parts._replace(netloc=netloc))

    @property
    def is_cut(self) -> bool:
        return self._cut

    def cut(self) -> None:
        """From now on nothing gets through: live connections are dropped, new ones closed on arrival."""
        with self._lock:
            self._cut = True
            live, self._open = self._open, set()
        for sock in live:
            _close(sock)

    def restore(self) -> None:
        with self._lock:
            self._cut = False

    def freeze(self) -> None:
        """From now on connections stay open (new ones too) but nothing gets an answer: what the shop
        sends is swallowed (and counted), as a Redis that hangs would."""
        with self._lock:
            self._frozen, self.swallowed = True, 0

    def thaw(self) -> None:
        """Answers flow again. The connections that were frozen are out of step (requests swallowed, answers
        never sent), so they are dropped, as a restarted server would; new ones are carried normally."""
        with self._lock:
            self._frozen = False
            live, self._open = self._open, set()
        for sock in live:
            _close(sock)

    def close(self) -> None:
        self._closed = True
        self.cut()
        _close(self._listener)
        self._thread.join(timeout=2)

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return  # the listener was closed
            if self._cut:
                _close(client)
                continue
            threading.Thread(target=self._carry, args=(client,), daemon=True).start()

    def _carry(self, client: socket.socket) -> None:
        try:
            upstream = socket.create_connection(self._target, timeout=5)
        except OSError:
            _close(client)
            return
        with self._lock:
            if self._cut:
                pair_ok = False
            else:
                self._open |= {client, upstream}
                pair_ok = True
        if not pair_ok:
            _close(client)
            _close(upstream)
            return
        peer = {client: upstream, upstream: client}
        with selectors.DefaultSelector() as selector:
            for sock in peer:
                sock.setblocking(True)
                # Each chunk goes on at once, as the two ends (pika, redis-py, psycopg2 set it too) meant. With
                # Nagle's algorithm on, a chunk sent while the previous one was unacknowledged waited for the
                # far end's delayed ACK: 40 ms, on a message the relay publishes and waits a confirm for.
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                selector.register(sock, selectors.EVENT_READ)
            try:
                while True:
                    for key, _ in selector.select(timeout=1):
                        data = key.fileobj.recv(_CHUNK)
                        if not data:
                            raise ConnectionError("closed")
                        with self._lock:  # one relay, a thread per connection: no count is lost
                            self.carried += 1
                        if not self._frozen:
                            peer[key.fileobj].sendall(data)
                        elif key.fileobj is client:
                            with self._lock:
                                self.swallowed += 1
                    if self._cut or self._closed:
                        break
            except (OSError, ValueError):
                pass  # either side closed, or the relay was cut: the other side is closed below
        with self._lock:
            self._open -= {client, upstream}
        _close(client)
        _close(upstream)


def _close(sock: socket.socket) -> None:
    with contextlib.suppress(OSError):
        sock.shutdown(socket.SHUT_RDWR)
    with contextlib.suppress(OSError):
        sock.close()
