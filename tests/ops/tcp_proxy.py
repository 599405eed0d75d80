"""A TCP proxy on loopback that a test can pause: the database "goes away" for a worker that connects
through it, while the test's own connection (direct) keeps working.

    with TcpProxy("127.0.0.1", 5432) as proxy:       # forwards 127.0.0.1:proxy.port to PostgreSQL
        proxy.refuse()                                # cut every connection, reset new ones
        proxy.forward()                               # forward again
        proxy.blip(3)                                 # refuse for 3 s, then forward again

A refused connection is accepted and reset at once (the client sees the server close it: psycopg's
OperationalError, as with a restarting database), so nothing waits on a timeout.
"""

import contextlib
import socket
import struct
import threading


class TcpProxy:
    def __init__(self, upstream_host, upstream_port):
        self.upstream = (upstream_host, upstream_port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.1)  # the accept loop looks at `closed` this often
        self.port = self.listener.getsockname()[1]
        self.refusing = threading.Event()
        self.closed = threading.Event()
        self.lock = threading.Lock()
        self.pairs = set()  # (client socket, upstream socket) being forwarded
        self.refused = 0  # connections reset while refusing
        self.timer = None
        self.thread = threading.Thread(target=self._accept_loop, name="tcp-proxy", daemon=True)
        self.thread.start()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # -- the test's controls ---------------------------------------------------------------------
    def refuse(self):
        """Cut the open connections and reset new ones until `forward()`."""
        self._cancel_timer()
        self.refusing.set()
        with self.lock:
            pairs, self.pairs = self.pairs, set()
        for pair in pairs:
            _close(*pair)

    def forward(self):
        self._cancel_timer()
        self.refusing.clear()

    def blip(self, seconds):
        """Refuse for `seconds`, then forward again (in the background: returns at once)."""
        self.refuse()
        self.timer = threading.Timer(seconds, self.refusing.clear)
        self.timer.daemon = True
        self.timer.start()

    def upstream_ports(self):
        """The local ports of the proxy's open connections to the upstream (PostgreSQL's
        pg_stat_activity.client_port of the proxied sessions)."""
        with self.lock:
            return sorted(upstream.getsockname()[1] for _, upstream in self.pairs)

    def close(self):
        self._cancel_timer()
        self.closed.set()
        self.thread.join(timeout=5)
        self.listener.close()
        self.refuse()

    # -- forwarding ------------------------------------------------------------------------------
    def _cancel_timer(self):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def _accept_loop(self):
        while not self.closed.is_set():
            try:
                client, _ = self.listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            if self.refusing.is_set():
                self.refused += 1
                _reset(client)
                continue
            try:
                upstream = socket.create_connection(self.upstream, timeout=3)
            except OSError:
                _reset(client)
                continue
            upstream.settimeout(None)
            with self.lock:
                self.pairs.add((client, upstream))
            for source, target in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, target, (client, upstream)), daemon=True).start()

    def _pump(self, source, target, pair):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with self.lock:
            self.pairs.discard(pair)
        _close(*pair)


def _reset(sock):
    """Close with an RST rather than a FIN: the peer sees "connection reset" at once."""
    with contextlib.suppress(OSError):
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def _close(*socks):
    for sock in socks:
        with contextlib.suppress(OSError):
            sock.shutdown(socket.SHUT_RDWR)
        sock.close()
