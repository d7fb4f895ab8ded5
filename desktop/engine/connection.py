"""Reaching a Docker engine: what it is (:class:`EngineInfo`), or why it cannot be used (the problem).

An engine is reached at an :class:`EngineAddress` (a URL, TLS files, and where the address was found:
DOCKER_HOST, a Docker CLI context, a usual socket, or typed by the user; see :mod:`desktop.engine.contexts`).
:func:`probe` asks it who it is, in a worker thread, and either answers an :class:`EngineInfo` or raises
:class:`EngineUnavailable` carrying the plain reason. :func:`open_api_client` makes a docker-py client for
one use (a cancellable stream must own its client: closing it is how the stream is stopped).
"""

from __future__ import annotations

import dataclasses
import importlib.util
import socket
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

from desktop.engine.problems import (
    EngineProblem,
    EngineUnavailable,
    ProblemKind,
    classify,
    make_problem,
)

__all__ = [
    "DEFAULT_TIMEOUT",
    "EngineAddress",
    "EngineInfo",
    "EngineProblem",
    "EngineUnavailable",
    "ProblemKind",
    "Source",
    "TlsFiles",
    "connect_first",
    "open_api_client",
    "parse_address",
    "probe",
    "probe_blocking",
    "reach_socket",
]

MINIMUM_API = "1.24"  # docker-py's own minimum; older engines cannot be spoken to
NEWEST_API = "1.45"  # docker-py 7.2's default; a newer engine is spoken to at this version
BUILDKIT_API = "1.39"  # the engine API that first accepted /build?version=2 (Engine 18.09)
PROBE_TIMEOUT = 5  # seconds; a local engine answers in milliseconds
SSH_PROBE_TIMEOUT = 20  # an SSH connection is opened first
DEFAULT_TIMEOUT = 120  # seconds for a client's single requests (streams read as long as they last)
SCHEMES = ("unix", "tcp", "ssh", "npipe", "http", "https")


class Source(StrEnum):
    """Where an engine address came from."""

    ENV = "env"  # DOCKER_HOST
    CONTEXT = "context"  # a Docker CLI context
    SOCKET = "socket"  # a usual socket of Docker, Docker Desktop, Colima, Rancher Desktop, OrbStack, Podman
    TYPED = "typed"  # typed by the user in the connection dialog


@dataclass(frozen=True)
class TlsFiles:
    """TLS material for a tcp:// engine: the CA that signed the engine's certificate, and our own pair."""

    ca: str | None = None
    cert: str | None = None
    key: str | None = None
    verify: bool = True


@dataclass(frozen=True)
class EngineAddress:
    """One way to reach an engine.

    Attributes:
        url: ``unix:///path``, ``tcp://host:port``, ``ssh://user@host`` or ``npipe:////./pipe/name``.
        source: where it was found.
        name: the context name, or the socket's product key (``colima``, ``podman``…), or "".
        tls: certificate files for tcp with TLS, or None for no TLS.
    """

    url: str
    source: Source = Source.TYPED
    name: str = ""
    tls: TlsFiles | None = None

    @property
    def key(self) -> str:
        """A stable text naming this choice (kept in the settings): ``context:NAME`` or the URL."""
        return f"context:{self.name}" if self.source is Source.CONTEXT else self.url


@dataclass(frozen=True)
class EngineInfo:
    """An engine that answered.

    Attributes:
        url: the address it answered at.
        version: the engine's version (``20.10.24``).
        api_version: the API version spoken to it (the engine's, capped at docker-py's newest).
        buildkit: whether builds can use BuildKit (``POST /build?version=2``).
        swarm_manager: whether this engine manages a swarm.
        os: the engine's operating system (``linux`` or ``windows``).
        product: what it is (``Docker Engine``, ``Docker Desktop``, ``Podman Engine``…).
        arch: its processor architecture (``amd64``, ``arm64``).
        engine_api_version: the newest API version the engine itself speaks.
        address: how it was reached (with its TLS files), for new clients.
    """

    url: str
    version: str
    api_version: str
    buildkit: bool
    swarm_manager: bool
    os: str
    product: str = "Docker Engine"
    arch: str = ""
    engine_api_version: str = ""
    address: EngineAddress = field(default_factory=lambda: EngineAddress(""))


def parse_address(text: str, tls: TlsFiles | None = None, source: Source = Source.TYPED) -> EngineAddress:
    """An address typed by a user, checked; ``/var/run/docker.sock`` alone means ``unix:///var/run/…``.

    Raises:
        EngineUnavailable: the text is not an engine address (kind WRONG_ADDRESS).
    """
    url = text.strip()
    if url.startswith("/"):
        url = "unix://" + url
    parts = urlsplit(url) if "://" in url else None
    wrong = make_problem(ProblemKind.WRONG_ADDRESS, text.strip(), f"not an engine address: {text!r}")
    if parts is None or parts.scheme.lower() not in SCHEMES:
        raise EngineUnavailable(wrong)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError as error:
        raise EngineUnavailable(wrong) from error
    if scheme in ("unix", "npipe") and not parts.path:
        raise EngineUnavailable(wrong)
    if scheme in ("tcp", "http", "https") and (not parts.hostname or (port is None and scheme == "tcp")):
        raise EngineUnavailable(wrong)
    if scheme == "ssh" and not parts.hostname:
        raise EngineUnavailable(wrong)
    return EngineAddress(url=url, source=source, tls=tls if scheme in ("tcp", "https") else None)


def open_api_client(
    target: EngineInfo | EngineAddress, version: str | None = None, timeout: int = DEFAULT_TIMEOUT
) -> Any:
    """A new ``docker.APIClient`` for one use; the caller closes it.

    Args:
        target: an engine that answered (its API version is used), or an address.
        version: the API version to speak; the engine's (capped) when ``target`` is an EngineInfo,
            else docker-py's minimum, which every engine answers.
        timeout: seconds a single request may take.

    Raises:
        EngineUnavailable: the client cannot be made (unreadable TLS files, a wrong address).
    """
    import docker
    import docker.tls

    address = target.address if isinstance(target, EngineInfo) else target
    if version is None:
        version = target.api_version if isinstance(target, EngineInfo) else MINIMUM_API
    tls: Any = False
    try:
        if address.tls is not None:
            pair = (address.tls.cert, address.tls.key) if address.tls.cert and address.tls.key else None
            tls = docker.tls.TLSConfig(client_cert=pair, ca_cert=address.tls.ca, verify=address.tls.verify)
        url = address.url
        if url.startswith("ssh://") and not _has_paramiko():
            from desktop.engine.ssh_bridge import bridge_for  # docker-py's own ssh:// needs paramiko

            url = bridge_for(url).url
        client = docker.APIClient(
            base_url=url,
            version=version,
            timeout=timeout,
            tls=tls,
            use_ssh_client=address.url.startswith("ssh://") and not _has_paramiko(),
        )
        if tls:
            # requests lets REQUESTS_CA_BUNDLE (set system-wide on many machines) replace the session's
            # own CA file on every request, so the engine's CA would be ignored: the environment is not
            # consulted for a TLS engine.
            client.trust_env = False
        return client
    except docker.errors.TLSParameterError as error:
        raise EngineUnavailable(make_problem(ProblemKind.TLS_FILES, address.url, str(error))) from error
    except Exception as error:  # docker-py checks the URL here: report it the plain way
        raise EngineUnavailable(classify(error, address.url)) from error


def probe_blocking(address: EngineAddress, timeout: int | None = None) -> EngineInfo:
    """Ask the engine at ``address`` who it is (blocking: call :func:`probe` from async code).

    Raises:
        EngineUnavailable: with the plain reason when it does not answer as a Docker engine.
    """
    if timeout is None:
        timeout = SSH_PROBE_TIMEOUT if address.url.startswith("ssh://") else PROBE_TIMEOUT
    try:
        reach_socket(address.url, timeout)
        client = open_api_client(address, MINIMUM_API, timeout)
        try:
            _check_ping(client)
            version = client.version(api_version=False)
        finally:
            client.close()
        api_version = str(version.get("ApiVersion", ""))
        if _version_tuple(api_version) < _version_tuple(MINIMUM_API):
            raise EngineUnavailable(
                make_problem(
                    ProblemKind.TOO_OLD, address.url, api_version=api_version or "?", minimum=MINIMUM_API
                )
            )
        spoken = min(api_version, NEWEST_API, key=_version_tuple)
        client = open_api_client(address, spoken, timeout)
        try:
            info = client.info()
        finally:
            client.close()
    except EngineUnavailable:
        raise
    except Exception as error:  # every docker-py and network error becomes a plain reason
        raise EngineUnavailable(_with_ssh_error(classify(error, address.url))) from error
    return _engine_info(address, version, info, spoken)


async def probe(address: EngineAddress, timeout: int | None = None) -> EngineInfo:
    """:func:`probe_blocking` in a worker thread."""
    from desktop.engine.threads import run_blocking  # asyncio: not needed by the window's first picture

    return await run_blocking(probe_blocking, address, timeout)


async def connect_first(candidates: Sequence[EngineAddress]) -> EngineInfo:
    """The first candidate that answers, tried in order (DOCKER_HOST, the context, the usual sockets).

    Raises:
        EngineUnavailable: none answers; the problem is the most telling one: that of the first candidate
            that exists but fails (a refused or forbidden socket), else that of the first candidate.
    """
    problems: list[EngineProblem] = []
    for address in candidates:
        try:
            return await probe(address)
        except EngineUnavailable as unavailable:
            problems.append(unavailable.problem)
    if not problems:
        raise EngineUnavailable(make_problem(ProblemKind.NOT_INSTALLED))
    absent = (ProblemKind.NOT_STARTED, ProblemKind.NOT_INSTALLED)
    telling = next((p for p in problems if p.kind not in absent), problems[0])
    raise EngineUnavailable(telling)


def reach_socket(url: str, timeout: float) -> None:
    """Connect to a unix socket address and close again; other addresses are left to docker-py.

    docker-py leaks the socket object when connecting to a unix socket fails (its UnixHTTPConnection
    keeps no reference to close), so a missing or refusing socket is found here first, with a socket
    that is always closed.

    Raises:
        OSError: the socket is missing, refuses, or may not be used.
    """
    if not url.startswith("unix://") or not hasattr(socket, "AF_UNIX"):
        return
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as probe_socket:
        probe_socket.settimeout(timeout)
        probe_socket.connect(url.removeprefix("unix://"))


class NotDockerAnswer(Exception):
    """The address answered, but not as a Docker engine does (``/_ping`` is not ``OK``)."""


class TlsExpected(Exception):
    """The engine at the address speaks TLS only (``tcp://…:2376`` without certificate files)."""


def _check_ping(client: Any) -> None:
    response = client.get(client.base_url + "/_ping", timeout=client.timeout)
    try:
        if "HTTPS server" in response.text:  # dockerd --tlsverify (Go) answering a request without TLS
            raise TlsExpected(f"/_ping answered {response.status_code}: {response.text[:80]!r}")
        if response.status_code != 200 or response.text.strip() != "OK":
            raise NotDockerAnswer(f"/_ping answered {response.status_code}: {response.text[:80]!r}")
    finally:
        response.close()


def _engine_info(
    address: EngineAddress, version: dict[str, Any], info: dict[str, Any], spoken: str
) -> EngineInfo:
    os_name = str(version.get("Os") or info.get("OSType") or "")
    components = [str(c.get("Name", "")) for c in version.get("Components") or [] if isinstance(c, dict)]
    platform = version.get("Platform") or {}
    product = str(platform.get("Name") or "") if isinstance(platform, dict) else ""
    podman = any("podman" in name.lower() for name in [*components, product])
    if podman:
        product = "Podman Engine"
    elif not product or "Community" in product or "Engine" in product:
        product = "Docker Engine"
    swarm = info.get("Swarm") or {}
    engine_api = str(version.get("ApiVersion", ""))
    return EngineInfo(
        url=address.url,
        version=str(version.get("Version", "")),
        api_version=spoken,
        # The builder behind /build?version=2 ships in every Linux engine since 18.09; Windows engines and
        # Podman's compatible API do not speak BuildKit's trace.
        buildkit=os_name == "linux" and not podman and _at_least(engine_api, BUILDKIT_API),
        # A node that left the swarm may still say ControlAvailable: only an active manager makes services.
        swarm_manager=isinstance(swarm, dict)
        and swarm.get("LocalNodeState") == "active"
        and bool(swarm.get("ControlAvailable")),
        os=os_name,
        product=product,
        arch=str(version.get("Arch", "")),
        engine_api_version=engine_api,
        address=address,
    )


def _at_least(version: str, minimum: str) -> bool:
    return _version_tuple(version) >= _version_tuple(minimum)


def _version_tuple(text: str) -> tuple[int, ...]:
    try:
        return tuple(int(part) for part in text.split("."))
    except ValueError:
        return (0,)


def _with_ssh_error(problem: EngineProblem) -> EngineProblem:
    """An SSH problem's detail gets what ssh itself said (for the log)."""
    if problem.kind is not ProblemKind.SSH:
        return problem
    from desktop.engine.ssh_bridge import last_error

    said = last_error(problem.address)
    return dataclasses.replace(problem, detail=f"{problem.detail}\nssh: {said}") if said else problem


def _has_paramiko() -> bool:
    return importlib.util.find_spec("paramiko") is not None
