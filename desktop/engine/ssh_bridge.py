"""Reaching an engine over SSH without paramiko: a private local socket whose every connection runs
``ssh HOST -- docker system dial-stdio`` and pipes the bytes both ways, as the docker CLI itself does.

docker-py's own ``ssh://`` support imports paramiko even when told to use the ssh program, and paramiko is
not one of our dependencies. docker-py talks to the bridge's unix socket instead; the SSH connection,
keys and ``~/.ssh/config`` are the ssh program's, so what works in a terminal works here.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import socket
import subprocess
import tempfile
import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO
from urllib.parse import urlsplit

CHUNK = 65536
CONNECT_TIMEOUT = 10  # seconds ssh may take to reach the computer before it gives up
ERROR_LINES = 5  # the last lines of ssh's own error output kept for the log

_bridges: dict[str, SshBridge] = {}
_bridges_lock = threading.Lock()


def ssh_command(url: str) -> list[str]:
    """The ssh command line that opens the engine's API at an ``ssh://[user@]host[:port]`` address.

    ``BatchMode`` makes ssh fail at once instead of asking for a password nobody can type here.
    """
    parts = urlsplit(url)
    command = ["ssh", "-o", "BatchMode=yes", "-o", f"ConnectTimeout={CONNECT_TIMEOUT}"]
    if parts.username:
        command += ["-l", parts.username]
    if parts.port:
        command += ["-p", str(parts.port)]
    return [*command, "--", parts.hostname or "", "docker", "system", "dial-stdio"]


class SshBridge:
    """A local unix socket; each connection to it runs ``command`` and is joined to its stdin and stdout.

    Attributes:
        url: ``unix://…`` of the bridge's socket, for docker-py.
        last_error: the end of the command's error output the last time it failed ("" if it never did).
    """

    def __init__(self, command: Sequence[str], env: Mapping[str, str] | None = None) -> None:
        self.command = list(command)
        self.env = dict(env) if env is not None else None
        self.last_error = ""
        self._folder = Path(tempfile.mkdtemp(prefix="dockblocks-ssh-"))
        path = self._folder / "engine.sock"
        self.url = f"unix://{path}"
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(str(path))
        self._server.listen(16)
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._accept, name="ssh-bridge", daemon=True)
        self._thread.start()

    def close(self) -> None:
        """Stop accepting and remove the socket (connections already open end with their command)."""
        if self._closed.is_set():
            return
        self._closed.set()
        with contextlib.suppress(OSError):
            self._server.shutdown(socket.SHUT_RDWR)
        self._server.close()
        self._thread.join(5)
        shutil.rmtree(self._folder, ignore_errors=True)

    def _accept(self) -> None:
        while not self._closed.is_set():
            try:
                connection, _peer = self._server.accept()
            except OSError:
                return  # closed
            threading.Thread(
                target=self._serve, args=(connection,), name="ssh-bridge-conn", daemon=True
            ).start()

    def _serve(self, connection: socket.socket) -> None:
        with connection:
            try:
                process = subprocess.Popen(
                    self.command,
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    env=self.env,
                )
            except OSError as error:  # no ssh program: the caller reads this as an SSH problem
                self.last_error = f"{self.command[0]}: {error.strerror or error}"
                return
            assert process.stdout is not None and process.stderr is not None
            errors: list[bytes] = []
            reader = threading.Thread(target=_read_all, args=(process.stderr, errors), daemon=True)
            reader.start()
            upstream = threading.Thread(target=_pump_to_process, args=(connection, process), daemon=True)
            upstream.start()
            try:
                while chunk := os.read(process.stdout.fileno(), CHUNK):  # whatever arrived, at once
                    connection.sendall(chunk)
            except OSError:
                pass  # the client went away
            # What ssh said is kept before the client sees the connection end, so its reason is there.
            code = _finish(process)
            reader.join(5)
            text = b"".join(errors).decode(errors="replace").strip()
            if code not in (0, None) or text:
                self.last_error = "\n".join(text.splitlines()[-ERROR_LINES:]) or f"exit status {code}"
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
            upstream.join(5)
            process.stdout.close()
            process.stderr.close()


def _read_all(stream: IO[bytes], into: list[bytes]) -> None:
    into.append(stream.read())


def _pump_to_process(connection: socket.socket, process: subprocess.Popen[bytes]) -> None:
    stdin = process.stdin
    assert stdin is not None
    try:
        while chunk := connection.recv(CHUNK):
            stdin.write(chunk)
            stdin.flush()
    except OSError:
        pass
    finally:
        with contextlib.suppress(OSError):
            stdin.close()


def _finish(process: subprocess.Popen[bytes]) -> int | None:
    if process.poll() is None:
        with contextlib.suppress(OSError):
            process.stdin.close()  # type: ignore[union-attr]
        try:
            return process.wait(2)
        except subprocess.TimeoutExpired:
            process.terminate()
            try:
                return process.wait(5)
            except subprocess.TimeoutExpired:
                process.kill()
                return process.wait()
    return process.returncode


def bridge_for(
    url: str, command: Sequence[str] | None = None, env: Mapping[str, str] | None = None
) -> SshBridge:
    """The bridge for an ``ssh://`` address, made on first use and kept until the program ends."""
    with _bridges_lock:
        bridge = _bridges.get(url)
        if bridge is None:
            bridge = SshBridge(command if command is not None else ssh_command(url), env)
            _bridges[url] = bridge
        return bridge


def last_error(url: str) -> str:
    """What ssh said the last time it failed for this address ("" if nothing)."""
    bridge = _bridges.get(url)
    return bridge.last_error if bridge is not None else ""


@atexit.register
def close_all() -> None:
    """Close every bridge (at exit; tests call it too)."""
    with _bridges_lock:
        bridges = list(_bridges.values())
        _bridges.clear()
    for bridge in bridges:
        bridge.close()
