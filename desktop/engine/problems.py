"""Why no Docker engine answers, said in one plain sentence with what to do about it.

docker-py reports a missing socket, a refused connection or a wrong certificate as a chain of requests,
urllib3 and OS errors. :func:`classify` walks that chain and names the reason a beginner can act on: Docker
not installed, not started, the socket not allowed, a wrong address, and so on. The sentences live in
``resources/i18n/engine.<language>.json``.
"""

from __future__ import annotations

import errno
import os
import shutil
import socket
import ssl
import sys
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from desktop.i18n import format_text, load_texts

TOPIC = "engine"
REASON_LIMIT = 160  # characters of a low-level error quoted in the "unknown" sentence

ENGINE_PROGRAMS = ("docker", "dockerd", "podman", "colima", "limactl", "orb", "orbctl", "rdctl", "nerdctl")
"""Programs whose presence means an engine is installed here (so a missing socket means "not started")."""

ENGINE_APPS = (
    "/Applications/Docker.app",
    "/Applications/OrbStack.app",
    "/Applications/Rancher Desktop.app",
    "/Applications/Podman Desktop.app",
    "C:/Program Files/Docker/Docker/Docker Desktop.exe",
    "C:/Program Files/RedHat/Podman/podman.exe",
    "/opt/docker-desktop",
)


class ProblemKind(StrEnum):
    """The reasons an engine can be unavailable, each with its own sentence and advice."""

    NOT_INSTALLED = "not_installed"
    NOT_STARTED = "not_started"
    STALE_SOCKET = "stale_socket"
    PERMISSION_DENIED = "permission_denied"
    WRONG_ADDRESS = "wrong_address"
    UNKNOWN_HOST = "unknown_host"
    NOT_DOCKER = "not_docker"
    REFUSED = "refused"
    NO_ANSWER = "no_answer"
    TLS = "tls"
    TLS_FILES = "tls_files"
    SSH = "ssh"
    TOO_OLD = "too_old"
    NO_ENGINE_YET = "no_engine_yet"
    UNKNOWN = "unknown"


_HINT_OF = {  # kinds that share the advice of another
    ProblemKind.STALE_SOCKET: ProblemKind.NOT_STARTED,
}


@dataclass(frozen=True)
class EngineProblem:
    """Why no engine can be used, for a beginner.

    Attributes:
        kind: the reason (tests and the window decide by it, never by the sentence).
        message: one plain sentence saying what is wrong.
        hint: one or two sentences saying what to do.
        address: the engine address that was tried ("" when none was).
        detail: the low-level error, for the log file only.
    """

    kind: ProblemKind
    message: str
    hint: str
    address: str = ""
    detail: str = ""

    def sentence(self) -> str:
        """The message and the hint together, as a status bar tooltip or a dialog shows them."""
        return f"{self.message} {self.hint}".strip()


class EngineUnavailable(Exception):
    """No engine can be used now; ``problem`` says why and what to do (its message is the exception's)."""

    def __init__(self, problem: EngineProblem) -> None:
        super().__init__(problem.message)
        self.problem = problem


def say(key: str, /, **values: Any) -> str:
    """One text of the engine topic in the user's language (the key itself if it is missing)."""
    template = load_texts(TOPIC).get(key)
    return format_text(template if isinstance(template, str) else key, **values)


def make_problem(kind: ProblemKind, address: str = "", detail: str = "", **values: Any) -> EngineProblem:
    """The problem of this kind, its sentences filled with the address and any other values."""
    hint_kind = _HINT_OF.get(kind, kind)
    fill = {"address": address or "?", **values}
    return EngineProblem(
        kind=kind,
        message=say(f"problem.{kind.value}.message", **fill),
        hint=say(f"problem.{hint_kind.value}.hint", **fill),
        address=address,
        detail=detail,
    )


def engine_installed(
    environ: Mapping[str, str] | None = None, exists: Callable[[str], bool] = os.path.exists
) -> bool:
    """Whether a Docker engine (or Podman, Colima, …) seems installed: one of its programs is on the PATH,
    or one of the desktop applications is in its usual place.

    Args:
        environ: the environment whose PATH is searched (``os.environ`` by default).
        exists: checks an application path (tests pass their own to leave the machine out).
    """
    env = os.environ if environ is None else environ
    path = env.get("PATH", "")
    if any(shutil.which(program, path=path) for program in ENGINE_PROGRAMS):
        return True
    return any(exists(app) for app in ENGINE_APPS)


def classify(
    error: BaseException,
    address: str,
    *,
    installed: Callable[[], bool] = engine_installed,
) -> EngineProblem:
    """The plain reason behind an error docker-py raised while reaching ``address``.

    Args:
        error: what connecting (or the first request) raised.
        address: the engine URL that was tried (``unix:///var/run/docker.sock``, ``tcp://…``, ``ssh://…``).
        installed: tells whether an engine seems installed, asked only when a local socket is missing.
    """
    if isinstance(error, EngineUnavailable):
        return error.problem
    detail = _describe(error)
    scheme = _scheme(address)
    local = scheme in _LOCAL_SCHEMES
    chain = list(_chain(error))

    if any(_is_ssh_failure(e) for e in chain) or (scheme == "ssh" and _has_os_error(chain)):
        return make_problem(ProblemKind.SSH, address, detail, target=_ssh_target(address))
    for cause in chain:
        if isinstance(cause, ssl.SSLError) or type(cause).__name__ in ("SSLError", "TlsExpected"):
            return make_problem(ProblemKind.TLS, address, detail)
    for cause in chain:
        if isinstance(cause, socket.gaierror):
            return make_problem(ProblemKind.UNKNOWN_HOST, address, detail)
        if isinstance(cause, PermissionError) or _errno(cause) in (errno.EACCES, errno.EPERM):
            return make_problem(ProblemKind.PERMISSION_DENIED, address, detail)
        if isinstance(cause, FileNotFoundError) or _errno(cause) == errno.ENOENT:
            kind = ProblemKind.NOT_STARTED if installed() else ProblemKind.NOT_INSTALLED
            return make_problem(kind, address, detail)
        if isinstance(cause, ConnectionRefusedError) or _errno(cause) == errno.ECONNREFUSED:
            kind = ProblemKind.STALE_SOCKET if local and _socket_file(address) else ProblemKind.REFUSED
            return make_problem(kind, address, detail)
    if any(_is_timeout(e) for e in chain):
        return make_problem(ProblemKind.NO_ANSWER, address, detail)
    if any(_is_bad_address(e) for e in chain):
        return make_problem(ProblemKind.WRONG_ADDRESS, address, detail)
    if any(_is_not_docker(e) for e in chain):
        return make_problem(ProblemKind.NOT_DOCKER, address, detail)
    reason = detail.splitlines()[0][:REASON_LIMIT] if detail else type(error).__name__
    return make_problem(ProblemKind.UNKNOWN, address, detail, reason=reason)


_LOCAL_SCHEMES = ("unix", "npipe", "http+unix", "")  # sockets and named pipes; "" when no address is known


def is_local_address(address: str) -> bool:
    """Whether ``address`` is an engine on this computer (a socket or named pipe; "" counts as local)."""
    return _scheme(address) in _LOCAL_SCHEMES


def _scheme(address: str) -> str:
    return urlsplit(address).scheme.lower() if "://" in address else ""


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, its causes and contexts, and exceptions carried in its arguments (urllib3 does that)."""
    seen: set[int] = set()
    pending: list[BaseException] = [error]
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for linked in (current.__cause__, current.__context__, getattr(current, "reason", None)):
            if isinstance(linked, BaseException):
                pending.append(linked)
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))


def _describe(error: BaseException) -> str:
    text = str(error).strip()
    return f"{type(error).__name__}: {text}" if text else type(error).__name__


def _errno(error: BaseException) -> int | None:
    number = getattr(error, "errno", None)
    return number if isinstance(number, int) else None


def _has_os_error(chain: list[BaseException]) -> bool:
    return any(isinstance(e, OSError) and not isinstance(e, TimeoutError) for e in chain)


def _is_ssh_failure(error: BaseException) -> bool:
    name = type(error).__name__
    return name in ("SSHException", "AuthenticationException", "NoValidConnectionsError") or (
        "ssh" in str(error).lower() and "exited" in str(error).lower()
    )


def _is_timeout(error: BaseException) -> bool:
    name = type(error).__name__
    return isinstance(error, TimeoutError | socket.timeout) or name in (
        "ReadTimeout",
        "ConnectTimeout",
        "ReadTimeoutError",
        "ConnectTimeoutError",
        "Timeout",
    )


def _is_bad_address(error: BaseException) -> bool:
    text = str(error)
    names = ("InvalidURL", "InvalidSchema", "URLSchemeUnknown", "LocationParseError")
    return type(error).__name__ in names or "Invalid bind address" in text or "invalid port" in text.lower()


def _is_not_docker(error: BaseException) -> bool:
    name = type(error).__name__
    names = ("NotDockerAnswer", "RemoteDisconnected", "BadStatusLine", "NotFound")
    return name in names or getattr(error, "status_code", None) == 404  # other HTTP errors say more


def _socket_file(address: str) -> bool:
    """Whether a unix socket address names a file that exists (a refusal then means a stale socket)."""
    if sys.platform == "win32" or "://" not in address:
        return False
    path = urlsplit(address).path
    return bool(path) and Path(path).exists()


def _ssh_target(address: str) -> str:
    parts = urlsplit(address)
    host = parts.hostname or "?"
    user = f"{parts.username}@" if parts.username else ""
    port = f" -p {parts.port}" if parts.port else ""
    return f"{user}{host}{port}"
