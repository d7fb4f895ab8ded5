"""tcp:// with TLS: certificates made with openssl, a real TLS handshake that checks both sides, and the
private engine behind it. The private engine listens on its unix socket only (the harness starts it so),
so a small TLS front end of this test relays to it: the TLS checked is real, the engine answering is real."""

from __future__ import annotations

import contextlib
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import engine_harness
import pytest

from desktop.engine.connection import (
    EngineUnavailable,
    TlsFiles,
    open_api_client,
    parse_address,
    probe_blocking,
)
from desktop.engine.problems import ProblemKind

pytestmark = [
    pytest.mark.engine,
    pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl makes the certificates"),
]


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)


def _make_pair(folder: Path, name: str, ca: str, server: bool) -> None:
    key = f"{name}-key.pem"
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-subj",
        f"/CN={name}",
        "-out",
        f"{name}.csr",
        cwd=folder,
    )
    extensions = folder / f"{name}.ext"
    usage = "serverAuth" if server else "clientAuth"
    extensions.write_text(f"extendedKeyUsage={usage}\n" + ("subjectAltName=IP:127.0.0.1\n" if server else ""))
    signing = ["-CA", f"{ca}.pem", "-CAkey", f"{ca}-key.pem", "-CAcreateserial", "-days", "2"]
    _openssl(
        "x509",
        "-req",
        "-in",
        f"{name}.csr",
        *signing,
        "-extfile",
        extensions.name,
        "-out",
        f"{name}.pem",
        cwd=folder,
    )


def _make_ca(folder: Path, name: str) -> None:
    key = f"{name}-key.pem"
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        key,
        "-days",
        "2",
        "-subj",
        f"/CN={name}",
        "-out",
        f"{name}.pem",
        cwd=folder,
    )


@dataclass
class TlsFront:
    url: str
    certs: Path


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A CA, the engine's certificate (for 127.0.0.1) and a client certificate, as for dockerd --tlsverify."""
    certs = tmp_path_factory.mktemp("certs")
    _make_ca(certs, "ca")
    _make_pair(certs, "server", "ca", server=True)
    _make_pair(certs, "client", "ca", server=False)
    return certs


@pytest.fixture
def tls_front(engine: engine_harness.PrivateEngine, certificates: Path) -> Iterator[TlsFront]:
    """Accepts TLS on 127.0.0.1 (client certificate required), relays each connection to the engine."""
    certs = certificates
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(certs / "server.pem", certs / "server-key.pem")
    context.load_verify_locations(certs / "ca.pem")
    context.verify_mode = ssl.CERT_REQUIRED  # as dockerd --tlsverify
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    engine_socket = engine.base_url.removeprefix("unix://")
    stop = threading.Event()
    workers: list[threading.Thread] = []

    def relay(source: socket.socket, target: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                target.sendall(data)
        with contextlib.suppress(OSError):
            target.shutdown(socket.SHUT_WR)

    def serve(raw: socket.socket) -> None:
        try:
            secure = context.wrap_socket(raw, server_side=True)
        except (ssl.SSLError, OSError):
            raw.close()  # a client without the right certificate: the handshake fails, as with dockerd
            return
        with secure, socket.socket(socket.AF_UNIX) as backend:
            backend.connect(engine_socket)
            back = threading.Thread(target=relay, args=(backend, secure), daemon=True)
            back.start()
            relay(secure, backend)
            back.join(10)

    def accept() -> None:
        while not stop.is_set():
            try:
                raw, _peer = listener.accept()
            except OSError:
                return
            worker = threading.Thread(target=serve, args=(raw,), daemon=True)
            workers.append(worker)
            worker.start()

    acceptor = threading.Thread(target=accept, daemon=True)
    acceptor.start()
    try:
        yield TlsFront(f"tcp://127.0.0.1:{port}", certs)
    finally:
        stop.set()
        with contextlib.suppress(OSError):
            listener.shutdown(socket.SHUT_RDWR)
        listener.close()
        acceptor.join(5)
        for worker in workers:
            worker.join(10)


def test_a_tls_engine_answers_with_the_right_certificates(
    engine: engine_harness.PrivateEngine, tls_front: TlsFront
) -> None:
    certs = tls_front.certs
    tls = TlsFiles(
        str(certs / "ca.pem"), str(certs / "client.pem"), str(certs / "client-key.pem"), verify=True
    )
    info = probe_blocking(parse_address(tls_front.url, tls))
    assert info.url == tls_front.url and info.version == engine.api.version()["Version"]
    client = open_api_client(info)
    try:
        assert client.base_url.startswith("https://")
        assert client.ping()
    finally:
        client.close()


def test_an_engine_signed_by_another_ca_is_a_tls_problem(tls_front: TlsFront, tmp_path: Path) -> None:
    other = tmp_path / "other"
    other.mkdir()
    _make_ca(other, "stranger")
    certs = tls_front.certs
    tls = TlsFiles(str(other / "stranger.pem"), str(certs / "client.pem"), str(certs / "client-key.pem"))
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(parse_address(tls_front.url, tls))
    assert raised.value.problem.kind is ProblemKind.TLS
    assert raised.value.problem.message == f"The secure (TLS) connection to {tls_front.url} failed."


def test_without_a_client_certificate_the_engine_refuses_the_connection(tls_front: TlsFront) -> None:
    tls = TlsFiles(str(tls_front.certs / "ca.pem"), None, None, verify=True)
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(parse_address(tls_front.url, tls))
    assert raised.value.problem.kind is ProblemKind.TLS
    assert "certificate" in raised.value.problem.hint
