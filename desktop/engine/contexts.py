"""Where to look for a Docker engine, in the order users expect.

1. ``DOCKER_HOST`` (with ``DOCKER_TLS_VERIFY`` and ``DOCKER_CERT_PATH``), as the docker CLI: when it is set,
   it is the only candidate (the user said which engine).
2. ``DOCKER_CONTEXT``, likewise the only candidate when set; else the CLI's current context
   (``currentContext`` in ``config.json``), tried first when it is not ``default``.
3. The usual sockets: the system's (``/var/run/docker.sock``), Docker Desktop, Colima, Rancher Desktop,
   OrbStack and Podman, those that exist (the system's is always listed, so a problem can name it).

Contexts are read from the CLI's own files (``$DOCKER_CONFIG`` or ``~/.docker``: ``contexts/meta/<sha256 of
the name>/meta.json`` and the TLS files under ``contexts/tls/``), so no docker CLI is needed.
"""

from __future__ import annotations

import hashlib
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from desktop.engine.connection import EngineAddress, Source, TlsFiles
from desktop.json_files import read_json_object

DEFAULT_CONTEXT = "default"
UNIX_DEFAULT = "unix:///var/run/docker.sock"
WINDOWS_DEFAULT = "npipe:////./pipe/docker_engine"


@dataclass(frozen=True)
class ContextEntry:
    """A Docker CLI context as the connection menu lists it."""

    name: str
    address: EngineAddress
    description: str = ""
    current: bool = False


def config_dir(environ: Mapping[str, str] | None = None, home: Path | None = None) -> Path:
    """The docker CLI's configuration folder: ``$DOCKER_CONFIG`` or ``~/.docker``."""
    env = os.environ if environ is None else environ
    configured = env.get("DOCKER_CONFIG")
    if configured:
        return Path(configured)
    return (home if home is not None else Path.home()) / ".docker"


def env_address(environ: Mapping[str, str] | None = None, home: Path | None = None) -> EngineAddress | None:
    """``DOCKER_HOST`` as an address, with TLS as docker-py's ``kwargs_from_env`` reads it; None if unset."""
    env = os.environ if environ is None else environ
    host = env.get("DOCKER_HOST", "").strip()
    if not host:
        return None
    verify = bool(env.get("DOCKER_TLS_VERIFY"))
    cert_path = env.get("DOCKER_CERT_PATH", "")
    tls = None
    if verify or cert_path:
        folder = Path(cert_path) if cert_path else config_dir(env, home)
        tls = TlsFiles(
            ca=str(folder / "ca.pem"),
            cert=str(folder / "cert.pem"),
            key=str(folder / "key.pem"),
            verify=verify,
        )
    return EngineAddress(url=host, source=Source.ENV, name="DOCKER_HOST", tls=tls)


def current_context_name(environ: Mapping[str, str] | None = None, home: Path | None = None) -> str:
    """The context the docker CLI would use: ``DOCKER_CONTEXT``, else ``currentContext``, else default."""
    env = os.environ if environ is None else environ
    named = env.get("DOCKER_CONTEXT", "").strip()
    if named:
        return named
    config = read_json_object(config_dir(env, home) / "config.json")
    current = config.get("currentContext") if config else None
    return current if isinstance(current, str) and current else DEFAULT_CONTEXT


def list_contexts(
    environ: Mapping[str, str] | None = None, home: Path | None = None, platform: str | None = None
) -> list[ContextEntry]:
    """Every Docker CLI context (``default`` first, then by name), the current one marked."""
    env = os.environ if environ is None else environ
    current = current_context_name(env, home)
    default_url = system_default_url(platform)
    entries = [
        ContextEntry(
            DEFAULT_CONTEXT,
            EngineAddress(default_url, Source.CONTEXT, DEFAULT_CONTEXT),
            "",
            current == DEFAULT_CONTEXT,
        )
    ]
    root = config_dir(env, home) / "contexts"
    found: list[ContextEntry] = []
    for meta in sorted((root / "meta").glob("*/meta.json")):
        entry = _context_from_meta(meta, root, current)
        if entry is not None and entry.name != DEFAULT_CONTEXT:
            found.append(entry)
    return entries + sorted(found, key=lambda e: e.name.lower())


def context_address(
    name: str, environ: Mapping[str, str] | None = None, home: Path | None = None
) -> EngineAddress | None:
    """The address of the context called ``name`` (None when there is no such context)."""
    for entry in list_contexts(environ, home):
        if entry.name == name:
            return entry.address
    return None


def system_default_url(platform: str | None = None) -> str:
    """The system engine's address: the Docker named pipe on Windows, ``/var/run/docker.sock`` elsewhere."""
    return WINDOWS_DEFAULT if (platform or sys.platform) == "win32" else UNIX_DEFAULT


def usual_sockets(
    environ: Mapping[str, str] | None = None, home: Path | None = None, platform: str | None = None
) -> list[tuple[str, str]]:
    """Where Docker, Docker Desktop, Colima, Rancher Desktop, OrbStack and Podman put their sockets.

    Returns:
        ``(product key, URL)`` pairs, the system engine first; whether they exist is not checked here.
    """
    env = os.environ if environ is None else environ
    home = home if home is not None else Path.home()
    if (platform or sys.platform) == "win32":
        return [("docker", WINDOWS_DEFAULT), ("podman", "npipe:////./pipe/podman-machine-default")]
    runtime = env.get("XDG_RUNTIME_DIR") or f"/run/user/{_uid()}"
    colima = Path(env.get("COLIMA_HOME") or home / ".colima")
    places = [
        ("docker", "/var/run/docker.sock"),
        ("docker_desktop", str(home / ".docker/run/docker.sock")),
        ("docker_desktop", str(home / ".docker/desktop/docker.sock")),
        ("colima", str(colima / "default/docker.sock")),
        ("colima", str(colima / "docker.sock")),
        ("rancher_desktop", str(home / ".rd/docker.sock")),
        ("orbstack", str(home / ".orbstack/run/docker.sock")),
        ("podman", f"{runtime}/podman/podman.sock"),
        ("podman", "/run/podman/podman.sock"),
        ("podman", str(home / ".local/share/containers/podman/machine/podman.sock")),
        ("podman", str(home / ".local/share/containers/podman/machine/podman-machine-default/podman.sock")),
    ]
    return [(product, "unix://" + path) for product, path in places]


def found_sockets(
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
    exists: Callable[[str], bool] | None = None,
) -> list[EngineAddress]:
    """The usual sockets that exist on this computer (the connection menu lists them)."""
    check = exists if exists is not None else os.path.exists
    out: list[EngineAddress] = []
    for product, url in usual_sockets(environ, home, platform):
        if check(_socket_path(url)) and all(a.url != url for a in out):
            out.append(EngineAddress(url, Source.SOCKET, product))
    return out


def candidates(
    environ: Mapping[str, str] | None = None,
    home: Path | None = None,
    platform: str | None = None,
    exists: Callable[[str], bool] | None = None,
) -> list[EngineAddress]:
    """The addresses to try, in order (see the module's description).

    Args:
        environ: the environment (``os.environ`` by default).
        home: the user's home folder.
        platform: ``sys.platform`` by default.
        exists: whether a socket path exists (``os.path.exists`` by default).
    """
    env = os.environ if environ is None else environ
    check = exists if exists is not None else os.path.exists
    from_env = env_address(env, home)
    if from_env is not None:
        return [from_env]
    named = env.get("DOCKER_CONTEXT", "").strip()
    current = current_context_name(env, home)
    out: list[EngineAddress] = []
    if current != DEFAULT_CONTEXT:
        chosen = context_address(current, env, home)
        if chosen is not None:
            out.append(chosen)
        if named:
            return out  # DOCKER_CONTEXT names the engine, as DOCKER_HOST does
    system = system_default_url(platform)
    for product, url in usual_sockets(env, home, platform):
        path = _socket_path(url)
        if url == system or check(path):
            address = EngineAddress(url, Source.SOCKET, product)
            if all(a.url != url for a in out):
                out.append(address)
    return out


def _context_from_meta(meta: Path, root: Path, current: str) -> ContextEntry | None:
    data = read_json_object(meta)
    if not data:
        return None
    name = data.get("Name")
    endpoint = (data.get("Endpoints") or {}).get("docker") or {}
    host = endpoint.get("Host") if isinstance(endpoint, dict) else None
    if not isinstance(name, str) or not isinstance(host, str) or not host:
        return None
    tls_folder = root / "tls" / hashlib.sha256(name.encode()).hexdigest() / "docker"
    tls = None
    if tls_folder.is_dir():
        files = {part: tls_folder / f"{part}.pem" for part in ("ca", "cert", "key")}
        tls = TlsFiles(
            **{part: str(path) if path.exists() else None for part, path in files.items()},
            verify=not endpoint.get("SkipTLSVerify", False),
        )
    metadata = data.get("Metadata") or {}
    description = metadata.get("Description", "") if isinstance(metadata, dict) else ""
    address = EngineAddress(host, Source.CONTEXT, name, tls if host.startswith("tcp://") else None)
    return ContextEntry(name, address, str(description or ""), name == current)


def _socket_path(url: str) -> str:
    if url.startswith("npipe://"):
        return "\\\\.\\pipe\\" + url.rsplit("/", 1)[-1]
    return url.removeprefix("unix://")


def _uid() -> int:
    getuid = getattr(os, "getuid", None)
    return int(getuid()) if getuid is not None else 0
