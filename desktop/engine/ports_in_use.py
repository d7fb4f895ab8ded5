"""What is already taken before a run: host ports, ports the engine's containers publish, names, images.

A snapshot (:class:`PortsInUse`) is read from the engine once (:func:`read_in_use`) and then checked
against as the user types; the host's own ports are checked at each call by trying to bind them, which
takes microseconds. The host check only means something when the engine runs on this machine (a unix
socket or a local address): a remote engine publishes ports on its own host.
"""

from __future__ import annotations

import contextlib
import socket
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlparse

_LOCAL_HOSTS = {"localhost", "127.0.0.1", "::1", ""}


@dataclass(frozen=True)
class PortsInUse:
    """What the engine already uses.

    Attributes:
        published: (host port, protocol) -> the name of the container publishing it.
        names: container names taken (running or stopped).
        images: tags and ids of the images present, or None when unknown.
        engine_is_local: the engine runs on this machine, so its published ports are the host's.
        cpus: the engine's CPU count (0 when unknown).
    """

    published: dict[tuple[int, str], str] = field(default_factory=dict)
    names: frozenset[str] = frozenset()
    images: frozenset[str] | None = None
    engine_is_local: bool = True
    cpus: int = 0

    def port_owner(self, port: int, protocol: str = "tcp") -> str | None:
        """The container publishing ``port``, or None."""
        return self.published.get((port, protocol))

    def has_image(self, reference: str) -> bool:
        """Whether an image is present, by tag (``name`` means ``name:latest``) or by (short) id."""
        if self.images is None:
            return True
        if reference in self.images:
            return True
        last = reference.rsplit("/", 1)[-1]
        if ":" not in last and "@" not in reference and f"{reference}:latest" in self.images:
            return True
        bare = reference.removeprefix("sha256:")
        return len(bare) >= 12 and any(i.removeprefix("sha256:").startswith(bare) for i in self.images)


def engine_is_local(base_url: str) -> bool:
    """Whether an engine address is on this machine (unix socket, named pipe, or a loopback address)."""
    parsed = urlparse(base_url)
    if parsed.scheme in ("unix", "npipe", "http+unix"):
        return True
    # docker-py's clients show a socket as http+docker://localhost and an ssh engine as http+docker://ssh.
    return (parsed.hostname or "") in _LOCAL_HOSTS


def host_port_busy(port: int, protocol: str = "tcp", host_ip: str = "") -> bool:
    """Whether another program on this machine listens on ``port`` (tried by binding it, then let go).

    SO_REUSEADDR is set so a port a closed connection left in TIME_WAIT does not count as busy; a port
    someone listens on still refuses the bind.
    """
    kind = socket.SOCK_DGRAM if protocol == "udp" else socket.SOCK_STREAM
    family = socket.AF_INET6 if ":" in host_ip else socket.AF_INET
    try:
        probe = socket.socket(family, kind)
    except OSError:
        return False
    with probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host_ip or ("::" if family == socket.AF_INET6 else "0.0.0.0"), port))
        except PermissionError:
            return False  # a low port needs root to bind: that says nothing about it being in use
        except OSError:
            return True
    return False


def read_in_use(api: Any) -> PortsInUse:
    """Reads the snapshot from the engine (blocking: call it through ``run_blocking``).

    Args:
        api: a ``docker.APIClient``.
    """
    published: dict[tuple[int, str], str] = {}
    names: set[str] = set()
    for container in api.containers(all=True):
        name = next(iter(container.get("Names") or []), "").lstrip("/") or container["Id"][:12]
        names.update(n.lstrip("/") for n in container.get("Names") or [])
        if container.get("State") != "running":
            continue
        for port in container.get("Ports") or []:
            if port.get("PublicPort"):
                published[(int(port["PublicPort"]), str(port.get("Type", "tcp")))] = name
    images: set[str] = set()
    for image in api.images():
        images.add(image["Id"])
        images.update(tag for tag in image.get("RepoTags") or [] if tag != "<none>:<none>")
    cpus = 0
    with contextlib.suppress(Exception):  # only a limit check needs it
        cpus = int(api.info().get("NCPU", 0))
    return PortsInUse(published, frozenset(names), frozenset(images), engine_is_local(api.base_url), cpus)
