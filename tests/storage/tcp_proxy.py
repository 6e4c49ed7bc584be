"""A TCP proxy for tests that can make a server look frozen, or lose its replies."""

from __future__ import annotations

import contextlib
import socket
import threading


class TcpProxy:
    """Forwards 127.0.0.1:``port`` to ``target``; :meth:`freeze` and :meth:`drop_replies` break it.

    Frozen, it swallows what clients send: a server that gets no requests
    sends no answers, which to the client is a stopped server or a dead
    network path (connections stay open, nothing comes back).
    """

    def __init__(self, target: tuple[str, int]) -> None:
        self.target = target
        self.frozen = threading.Event()
        self._let_through = 0
        self._replies_to_drop = 0
        self._lock = threading.Lock()
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self._sockets: list[socket.socket] = [self._listener]
        threading.Thread(target=self._accept, daemon=True).start()

    def freeze(self, let_through: int = 0) -> None:
        """Stop answering, after forwarding ``let_through`` more client writes (and their replies)."""
        with self._lock:
            self._let_through = let_through
            self.frozen.set()

    def thaw(self) -> None:
        """Forward everything again."""
        self.frozen.clear()

    def drop_replies(self, count: int) -> None:
        """Forward requests but lose the next ``count`` server writes: requests run, answers vanish."""
        with self._lock:
            self._replies_to_drop = count

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            upstream = socket.create_connection(self.target)
            self._sockets += [client, upstream]
            threading.Thread(target=self._pump, args=(client, upstream, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(upstream, client, False), daemon=True).start()

    def _forward(self, from_client: bool) -> bool:
        with self._lock:
            if not from_client:
                if self._replies_to_drop > 0:
                    self._replies_to_drop -= 1
                    return False
                return True
            if not self.frozen.is_set():
                return True
            if self._let_through > 0:
                self._let_through -= 1
                return True
            return False

    def _pump(self, src: socket.socket, dst: socket.socket, from_client: bool) -> None:
        while True:
            try:
                data = src.recv(65536)
                if not data:
                    return
                if self._forward(from_client):
                    dst.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        """Close the listener and every proxied connection."""
        for sock in self._sockets:
            with contextlib.suppress(OSError):
                sock.close()
