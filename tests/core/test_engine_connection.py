"""Finding the engine and saying plainly why none answers: discovery (DOCKER_HOST, contexts, usual sockets),
typed addresses, and the reasons, each produced for real where this machine can produce it."""

from __future__ import annotations

import hashlib
import http.server
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from desktop.engine import contexts
from desktop.engine.connection import (
    EngineAddress,
    EngineUnavailable,
    Source,
    TlsFiles,
    parse_address,
    probe_blocking,
)
from desktop.engine.problems import ProblemKind, classify, engine_installed, make_problem

# --- finding the engine -------------------------------------------------------------------------------


def _write_context(config: Path, name: str, host: str, tls: bool = False, description: str = "") -> None:
    digest = hashlib.sha256(name.encode()).hexdigest()
    meta = config / "contexts" / "meta" / digest
    meta.mkdir(parents=True)
    endpoint = {"Host": host, "SkipTLSVerify": False}
    data = {"Name": name, "Metadata": {"Description": description}, "Endpoints": {"docker": endpoint}}
    (meta / "meta.json").write_text(json.dumps(data))
    if tls:
        folder = config / "contexts" / "tls" / digest / "docker"
        folder.mkdir(parents=True)
        for part in ("ca", "cert", "key"):
            (folder / f"{part}.pem").write_text("-----")


def test_docker_host_is_the_only_candidate_when_set(tmp_path: Path) -> None:
    env = {"DOCKER_HOST": "tcp://10.0.0.5:2376", "DOCKER_TLS_VERIFY": "1", "DOCKER_CERT_PATH": "/certs"}
    found = contexts.candidates(env, home=tmp_path, platform="linux", exists=lambda _p: True)
    assert found == [
        EngineAddress(
            "tcp://10.0.0.5:2376",
            Source.ENV,
            "DOCKER_HOST",
            TlsFiles("/certs/ca.pem", "/certs/cert.pem", "/certs/key.pem", verify=True),
        )
    ]


def test_docker_host_without_tls_variables_has_no_tls(tmp_path: Path) -> None:
    found = contexts.candidates({"DOCKER_HOST": "unix:///run/x.sock"}, home=tmp_path, platform="linux")
    assert [(a.url, a.tls) for a in found] == [("unix:///run/x.sock", None)]


def test_the_current_context_comes_first_then_the_sockets_that_exist(tmp_path: Path) -> None:
    config = tmp_path / ".docker"
    _write_context(config, "colima", "unix:///home/me/.colima/default/docker.sock")
    config.joinpath("config.json").write_text(json.dumps({"currentContext": "colima"}))
    orbstack = tmp_path / ".orbstack/run/docker.sock"
    orbstack.parent.mkdir(parents=True)
    orbstack.write_text("")
    found = contexts.candidates({}, home=tmp_path, platform="linux")
    assert [(a.source, a.name, a.url) for a in found] == [
        (Source.CONTEXT, "colima", "unix:///home/me/.colima/default/docker.sock"),
        (Source.SOCKET, "docker", "unix:///var/run/docker.sock"),  # always listed: a problem can name it
        (Source.SOCKET, "orbstack", f"unix://{orbstack}"),
    ]


def test_docker_context_variable_names_the_only_candidate(tmp_path: Path) -> None:
    config = tmp_path / "cfg"
    _write_context(config, "remote", "tcp://192.168.1.20:2376", tls=True)
    env = {"DOCKER_CONFIG": str(config), "DOCKER_CONTEXT": "remote"}
    found = contexts.candidates(env, home=tmp_path, platform="linux", exists=lambda _p: True)
    assert len(found) == 1 and found[0].url == "tcp://192.168.1.20:2376"
    assert found[0].tls is not None and found[0].tls.ca is not None and found[0].tls.ca.endswith("ca.pem")


def test_contexts_are_listed_default_first_with_the_current_one_marked(tmp_path: Path) -> None:
    config = tmp_path / ".docker"
    _write_context(config, "zeta", "ssh://me@build-server", description="the school's server")
    _write_context(config, "Alpha", "unix:///run/alpha.sock")
    config.joinpath("config.json").write_text(json.dumps({"currentContext": "zeta"}))
    listed = contexts.list_contexts({}, home=tmp_path, platform="linux")
    assert [(e.name, e.address.url, e.current) for e in listed] == [
        ("default", "unix:///var/run/docker.sock", False),
        ("Alpha", "unix:///run/alpha.sock", False),
        ("zeta", "ssh://me@build-server", True),
    ]
    assert listed[2].description == "the school's server"
    assert contexts.context_address("Alpha", {}, home=tmp_path) == listed[1].address


def test_a_broken_context_file_is_skipped(tmp_path: Path) -> None:
    meta = tmp_path / ".docker/contexts/meta/abc"
    meta.mkdir(parents=True)
    (meta / "meta.json").write_text("{not json")
    assert [e.name for e in contexts.list_contexts({}, home=tmp_path, platform="linux")] == ["default"]


def test_the_usual_sockets_of_each_product(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": "/run/user/1000"}
    places = dict(contexts.usual_sockets(env, home=tmp_path, platform="darwin"))
    assert set(places) == {"docker", "docker_desktop", "colima", "rancher_desktop", "orbstack", "podman"}
    urls = [url for _product, url in contexts.usual_sockets(env, home=tmp_path, platform="darwin")]
    assert f"unix://{tmp_path}/.docker/run/docker.sock" in urls
    assert f"unix://{tmp_path}/.rd/docker.sock" in urls
    assert "unix:///run/user/1000/podman/podman.sock" in urls
    assert contexts.candidates({}, home=tmp_path, platform="win32")[0].url == "npipe:////./pipe/docker_engine"


# --- typed addresses ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "url"),
    [
        ("/var/run/docker.sock", "unix:///var/run/docker.sock"),
        ("  unix:///run/user/1000/podman/podman.sock ", "unix:///run/user/1000/podman/podman.sock"),
        ("tcp://192.168.1.20:2376", "tcp://192.168.1.20:2376"),
        ("ssh://me@server", "ssh://me@server"),
        ("ssh://me@server:2222", "ssh://me@server:2222"),
        ("npipe:////./pipe/docker_engine", "npipe:////./pipe/docker_engine"),
    ],
)
def test_addresses_users_type(typed: str, url: str) -> None:
    assert parse_address(typed).url == url


@pytest.mark.parametrize(
    "typed",
    ["", "docker.sock", "localhost:2375", "tcp://host", "tcp://host:notaport", "ftp://host:21", "ssh://"],
)
def test_wrong_addresses_are_refused_with_a_plain_reason(typed: str) -> None:
    with pytest.raises(EngineUnavailable) as raised:
        parse_address(typed)
    problem = raised.value.problem
    assert problem.kind is ProblemKind.WRONG_ADDRESS
    assert "is not valid" in problem.message and "unix://" in problem.hint


def test_tls_is_kept_for_tcp_only() -> None:
    tls = TlsFiles(ca="/c/ca.pem")
    assert parse_address("tcp://h:2376", tls).tls == tls
    assert parse_address("unix:///x.sock", tls).tls is None


# --- why no engine answers, for real ---------------------------------------------------------------------


def test_a_missing_socket_means_not_started_when_docker_is_installed(tmp_path: Path) -> None:
    address = EngineAddress(f"unix://{tmp_path}/docker.sock")
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(address)
    problem = raised.value.problem
    # The docker CLI is installed on this machine (/usr/local/bin/docker); else it says "not installed".
    expected = ProblemKind.NOT_STARTED if engine_installed() else ProblemKind.NOT_INSTALLED
    assert problem.kind is expected
    assert problem.address == address.url
    if expected is ProblemKind.NOT_STARTED:
        assert problem.message == f"The Docker engine is not running (nothing answers at {address.url})."
    assert "FileNotFoundError" in problem.detail


def test_with_nothing_installed_a_missing_socket_means_not_installed(tmp_path: Path) -> None:
    empty_path = tmp_path / "bin"
    empty_path.mkdir()
    assert not engine_installed({"PATH": str(empty_path)}, exists=lambda _p: False)
    with socket.socket(socket.AF_UNIX) as unix, pytest.raises(FileNotFoundError) as missing:
        unix.connect(str(tmp_path / "docker.sock"))
    problem = classify(missing.value, f"unix://{tmp_path}/docker.sock", installed=lambda: False)
    assert problem.kind is ProblemKind.NOT_INSTALLED
    assert problem.message == "Docker is not installed on this computer, so Build and Run are unavailable."
    assert "Install Docker Desktop" in problem.hint


def test_engine_installed_finds_a_docker_program_on_the_path(tmp_path: Path) -> None:
    program = tmp_path / "docker"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    assert engine_installed({"PATH": str(tmp_path)}, exists=lambda _p: False)


def test_a_socket_that_refuses_is_a_stopped_engine(tmp_path: Path) -> None:
    path = tmp_path / "docker.sock"
    left_over = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    left_over.bind(str(path))  # the file of an engine that crashed: bound, nobody listening
    try:
        with pytest.raises(EngineUnavailable) as raised:
            probe_blocking(EngineAddress(f"unix://{path}"))
    finally:
        left_over.close()
    problem = raised.value.problem
    assert problem.kind is ProblemKind.STALE_SOCKET
    assert "not running" in problem.message and "start" in problem.hint.lower()


def _free_port() -> int:
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        return int(probe_socket.getsockname()[1])


def test_a_closed_tcp_port_is_refused() -> None:
    url = f"tcp://127.0.0.1:{_free_port()}"
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(EngineAddress(url))
    assert raised.value.problem.kind is ProblemKind.REFUSED
    assert raised.value.problem.message == f"No Docker engine answers at {url}."


@pytest.fixture
def web_server() -> Iterator[int]:
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield int(server.server_address[1])
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_web_server_at_the_address_is_not_a_docker_engine(web_server: int) -> None:
    url = f"tcp://127.0.0.1:{web_server}"
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(EngineAddress(url))
    problem = raised.value.problem
    assert problem.kind is ProblemKind.NOT_DOCKER
    assert problem.message == f"Something answers at {url}, but it is not a Docker engine."


def test_an_unknown_computer_name() -> None:
    url = "tcp://no-such-engine.invalid:2375"  # .invalid never resolves (RFC 2606)
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(EngineAddress(url))
    assert raised.value.problem.kind is ProblemKind.UNKNOWN_HOST


def test_missing_certificate_files(tmp_path: Path) -> None:
    address = EngineAddress("tcp://127.0.0.1:2376", tls=TlsFiles(ca=str(tmp_path / "ca.pem")))
    with pytest.raises(EngineUnavailable) as raised:
        probe_blocking(address)
    assert raised.value.problem.kind is ProblemKind.TLS_FILES
    assert "ca.pem" in raised.value.problem.hint


PERMISSION_PROBE = """
import os, sys
import docker, docker.tls  # everything is imported first: 'nobody' may not read root's Python
from desktop.engine.connection import EngineAddress, EngineUnavailable, probe_blocking
from desktop.engine.problems import make_problem, ProblemKind
make_problem(ProblemKind.PERMISSION_DENIED)  # the texts are read (and cached) while still root
os.setgroups([]); os.setgid(65534); os.setuid(65534)
try:
    probe_blocking(EngineAddress(sys.argv[1]))
except EngineUnavailable as error:
    print(error.problem.kind.value)
    print(error.problem.hint)
"""


@pytest.mark.skipif(not hasattr(os, "getuid") or os.getuid() != 0, reason="dropping to 'nobody' needs root")
def test_a_socket_the_user_may_not_use_for_real(tmp_path: Path) -> None:
    """Root is never refused a socket, so the probe runs as the user 'nobody' against a root-only one."""
    folder = tmp_path / "engine"
    folder.mkdir()
    folder.chmod(0o755)
    tmp_path.chmod(0o755)
    path = folder / "docker.sock"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(str(path))
    server.listen(1)
    path.chmod(stat.S_IRUSR | stat.S_IWUSR)  # srw------- root: what a user outside the docker group meets
    try:
        done = subprocess.run(
            [sys.executable, "-c", PERMISSION_PROBE, f"unix://{path}"],
            capture_output=True,
            text=True,
            timeout=60,
            cwd=Path(__file__).resolve().parents[2],
        )
    finally:
        server.close()
    kind, hint = ([*done.stdout.splitlines(), "", ""])[:2]
    assert kind == ProblemKind.PERMISSION_DENIED.value, done.stderr
    assert "usermod -aG docker" in hint


def test_permission_denied_classified_from_a_fake_error() -> None:
    """FAKE: the error a non-root user gets on /var/run/docker.sock, made by hand (root never gets it)."""
    fake = PermissionError(13, "Permission denied")
    problem = classify(fake, "unix:///var/run/docker.sock")
    assert problem.kind is ProblemKind.PERMISSION_DENIED
    assert (
        problem.message
        == "You are not allowed to use the Docker engine's socket unix:///var/run/docker.sock."
    )
    assert "log out and back in" in problem.hint


def test_every_reason_has_its_own_sentence_and_advice() -> None:
    for kind in ProblemKind:
        problem = make_problem(
            kind, "unix:///x.sock", reason="r", target="t", api_version="1.12", minimum="1.24"
        )
        assert problem.message and not problem.message.startswith("problem."), kind
        assert problem.hint and not problem.hint.startswith("problem."), kind
        assert problem.message.endswith(".") and "{" not in problem.sentence(), kind


def test_found_sockets_lists_only_those_that_exist(tmp_path: Path) -> None:
    colima = tmp_path / ".colima/default/docker.sock"
    colima.parent.mkdir(parents=True)
    colima.write_text("")
    found = contexts.found_sockets(
        {},
        home=tmp_path,
        platform="linux",
        exists=lambda p: p.startswith(str(tmp_path)) and os.path.exists(p),
    )
    assert [(a.name, a.url, a.source) for a in found] == [("colima", f"unix://{colima}", Source.SOCKET)]


# --- watching: the reason is reported once, and wake() looks again at once -----------------------------


def test_the_watcher_reports_a_reason_once_and_looks_again_when_woken(tmp_path: Path) -> None:
    import asyncio

    from desktop.engine.watcher import EngineWatcher

    changes: list[object] = []
    missing = EngineAddress(f"unix://{tmp_path}/docker.sock")
    watcher = EngineWatcher(lambda: [missing], lambda info, problem: changes.append(problem), 60.0, 60.0)

    async def scenario() -> int:
        task = asyncio.ensure_future(watcher.run())
        try:
            while watcher.attempts < 1:
                await asyncio.sleep(0.01)
            before = watcher.attempts
            watcher.wake()  # the retry interval is a minute: only the wake makes it look again now
            for _ in range(500):
                if watcher.attempts > before:
                    break
                await asyncio.sleep(0.01)
            return watcher.attempts - before
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    assert asyncio.run(scenario()) == 1
    assert len(changes) == 1 and watcher.problem is not None and watcher.info is None
    with pytest.raises(EngineUnavailable):
        asyncio.run(watcher.check())


def test_an_engine_that_wants_tls_asked_without_it() -> None:
    """A stand-in for dockerd --tlsverify: a real HTTP server answering a plain request as Go does."""

    class TlsOnly(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"Client sent an HTTP request to an HTTPS server.\n"
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), TlsOnly)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"tcp://127.0.0.1:{server.server_address[1]}"
    try:
        with pytest.raises(EngineUnavailable) as raised:
            probe_blocking(EngineAddress(url))
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert raised.value.problem.kind is ProblemKind.TLS
    assert "expects TLS" in raised.value.problem.hint
