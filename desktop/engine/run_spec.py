"""How to run an image: what the run dialog and ``dockblocks run`` fill in, and what they check.

A :class:`RunSpec` holds the settings of ``docker run``: a name, published ports, environment variables,
volumes, a command override, a restart policy, CPU and memory limits and how many instances to start.
The text parsers (:func:`parse_port`, :func:`parse_env`, :func:`parse_volume`, :func:`parse_memory`) read
what a user types, in the docker CLI's syntax. :func:`check_spec` says what is wrong (errors) or risky
(warnings) in plain sentences, and :mod:`desktop.engine.run_command` writes the equivalent command line.
"""

from __future__ import annotations

import enum
import posixpath
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desktop.i18n import format_count, format_text, load_texts

if TYPE_CHECKING:  # sockets are imported when ports are first checked, not with the window
    from desktop.engine.ports_in_use import PortsInUse

MAX_COUNT = 20
"""The most instances one Run starts (a classroom machine has little memory to spare)."""

MIN_MEMORY = 6 * 1024 * 1024
"""The engine refuses a memory limit below 6 MB."""

_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_.-]*$")
_ENV_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_MEMORY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([bkmg]?)(?:i?b)?\s*$", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}
DOCKER_SOCKETS = ("/var/run/docker.sock", "/run/docker.sock")


def say(key: str, **values: object) -> str:
    """A text of ``resources/i18n/run.en.json`` (in the user's language), its placeholders filled."""
    template = load_texts("run").get(key, key)
    return format_text(str(template), **values)


def say_count(key: str, count: int, **values: object) -> str:
    """The text ``key`` about ``count`` things: its ``key_one`` form for exactly one, when there is one."""
    return format_count(load_texts("run"), key, count, **values)


class RestartPolicy(enum.StrEnum):
    """When the engine starts an instance again by itself (``--restart``)."""

    NO = "no"
    ON_FAILURE = "on-failure"
    UNLESS_STOPPED = "unless-stopped"
    ALWAYS = "always"


class Severity(enum.StrEnum):
    ERROR = "error"
    """Run cannot start like this."""
    WARNING = "warning"
    """Run can start, but the user should know the risk first."""


@dataclass(frozen=True)
class PortMapping:
    """One published port: ``host_port`` on the host reaches ``container_port`` inside (``-p``).

    ``host_port`` None lets the engine choose a free port.
    """

    container_port: int
    host_port: int | None = None
    protocol: str = "tcp"
    host_ip: str = ""

    def text(self) -> str:
        """In the CLI's syntax: ``8080:80``, ``127.0.0.1:8080:80/udp`` or ``80`` (any host port)."""
        inner = f"{self.container_port}" + ("" if self.protocol == "tcp" else f"/{self.protocol}")
        if self.host_port is None:
            return f"{self.host_ip}::{inner}" if self.host_ip else inner
        host = f"{self.host_ip}:{self.host_port}" if self.host_ip else f"{self.host_port}"
        return f"{host}:{inner}"


@dataclass(frozen=True)
class VolumeMount:
    """A host folder (bind) or a named volume, seen at ``target`` inside the instance (``-v``)."""

    source: str
    target: str
    read_only: bool = False

    @property
    def is_bind(self) -> bool:
        """A host folder (a path) rather than a volume the engine keeps (a plain name)."""
        return self.source.startswith(("/", ".", "~")) or "/" in self.source or "\\" in self.source

    def host_path(self, base: Path | None = None) -> Path:
        """The host folder of a bind mount, made absolute (relative paths start at ``base``)."""
        path = Path(self.source).expanduser()
        if not path.is_absolute():
            path = (base or Path.cwd()) / path
        return Path(_normalise(str(path)))

    def text(self, base: Path | None = None) -> str:
        """In the CLI's syntax: ``/abs/host:/target[:ro]`` or ``name:/target[:ro]``."""
        source = str(self.host_path(base)) if self.is_bind else self.source
        return f"{source}:{self.target}" + (":ro" if self.read_only else "")


@dataclass(frozen=True)
class RunSpec:
    """Everything ``docker run`` needs to start instances of an image.

    Attributes:
        image: the image to run (a tag such as ``dockblocks/app:latest`` or an id).
        name: the instance name; with ``count`` above 1 the instances are ``name-1``, ``name-2``...;
            empty lets the engine choose names.
        ports: published ports.
        env: environment variables as (name, value).
        volumes: host folders and named volumes.
        command: words replacing the image's CMD, in shell syntax; empty keeps the image's.
        restart: the restart policy.
        cpus: at most this many CPUs (``--cpus``); None means no limit.
        memory: at most this many bytes of memory (``--memory``); None means no limit.
        count: how many instances to start (with ``as_service``: how many replicas the swarm keeps).
        as_service: create a swarm service instead of instances (:mod:`desktop.engine.services`).
        base_dir: where relative bind-mount paths start (the project's folder).
    """

    image: str
    name: str = ""
    ports: tuple[PortMapping, ...] = ()
    env: tuple[tuple[str, str], ...] = ()
    volumes: tuple[VolumeMount, ...] = ()
    command: str = ""
    restart: RestartPolicy = RestartPolicy.NO
    cpus: float | None = None
    memory: int | None = None
    count: int = 1
    as_service: bool = False
    base_dir: Path | None = field(default=None, compare=False)

    def instance_names(self) -> list[str]:
        """The names the instances get (empty strings where the engine chooses)."""
        if not self.name:
            return [""] * self.count
        if self.count == 1:
            return [self.name]
        return [f"{self.name}-{n}" for n in range(1, self.count + 1)]

    def command_words(self) -> list[str]:
        """The command override as words (empty: the image's own command).

        Raises:
            ValueError: the command has an unclosed quote.
        """
        return shlex.split(self.command) if self.command.strip() else []


@dataclass(frozen=True)
class Issue:
    """One thing to tell the user about a spec: ``field`` names the setting it is about."""

    field: str
    severity: Severity
    message: str


class SpecTextError(ValueError):
    """What the user typed cannot be read; the message says how to write it."""


def is_project_image(image: str) -> bool:
    """Whether an image is one Dockblocks builds (``dockblocks/…``): only a build makes it, no registry."""
    return image.startswith("dockblocks/")


def parse_port(text: str) -> PortMapping:
    """Reads ``-p`` syntax: ``80``, ``8080:80``, ``8080:80/udp``, ``127.0.0.1:8080:80``, ``127.0.0.1::80``.

    Raises:
        SpecTextError: with a sentence showing the expected form.
    """
    raw = text.strip()
    body, _, protocol = raw.partition("/")
    protocol = protocol.lower() or "tcp"
    parts = body.split(":")
    if protocol not in ("tcp", "udp", "sctp") or not 1 <= len(parts) <= 3 or not raw:
        raise SpecTextError(say("port.unreadable", text=raw))
    host_ip = parts[0] if len(parts) == 3 else ""
    host = parts[-2] if len(parts) >= 2 else ""
    container = _port_number(parts[-1], raw)
    host_port = _port_number(host, raw) if host else None
    return PortMapping(container, host_port, protocol, host_ip)


def _port_number(text: str, whole: str) -> int:
    if not text.strip().isdigit():
        raise SpecTextError(say("port.unreadable", text=whole))
    number = int(text)
    if not 1 <= number <= 65535:
        raise SpecTextError(say("port.range", port=number))
    return number


def parse_env(text: str) -> tuple[str, str]:
    """Reads ``NAME=value`` (the value may be empty or hold ``=``).

    Raises:
        SpecTextError: there is no ``=`` or the name is not a valid variable name.
    """
    name, equals, value = text.partition("=")
    name = name.strip()
    if not equals:
        raise SpecTextError(say("env.no_equals", text=text.strip()))
    if not _ENV_NAME.match(name):
        raise SpecTextError(say("env.bad_name", name=name))
    return name, value


def parse_volume(text: str) -> VolumeMount:
    """Reads ``-v`` syntax: ``/host/folder:/inside``, ``name:/inside``, with ``:ro`` for read only.

    Raises:
        SpecTextError: the target is missing or not an absolute path inside the instance.
    """
    parts = text.strip().split(":")
    read_only = False
    if len(parts) == 3 and parts[2] in ("ro", "rw"):
        read_only = parts[2] == "ro"
        parts = parts[:2]
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise SpecTextError(say("volume.unreadable", text=text.strip()))
    return VolumeMount(parts[0], parts[1], read_only)


def parse_memory(text: str) -> int | None:
    """Reads a memory size: ``512m``, ``1g``, ``256MB``, ``1.5GiB`` or a number of bytes; empty is no limit.

    Raises:
        SpecTextError: the text is not a size.
    """
    if not text.strip():
        return None
    match = _MEMORY.match(text)
    if match is None:
        raise SpecTextError(say("memory.unreadable", text=text.strip()))
    return int(float(match.group(1)) * _UNITS[match.group(2).lower()])


def memory_text(size: int) -> str:
    """A size in the CLI's shortest exact form: ``536870912`` -> ``512m``."""
    for unit, factor in (("g", 1024**3), ("m", 1024**2), ("k", 1024)):
        if size % factor == 0:
            return f"{size // factor}{unit}"
    return str(size)


def check_spec(spec: RunSpec, in_use: PortsInUse | None = None, host_cpus: int | None = None) -> list[Issue]:
    """What is wrong (errors) or risky (warnings) in a spec, each in one plain sentence.

    Args:
        spec: the settings to check.
        in_use: what the engine already uses (ports, names, images); None checks the spec alone.
        host_cpus: the engine's CPU count, to check the CPU limit against.
    """
    issues: list[Issue] = []

    def add(where: str, key: str, severity: Severity = Severity.ERROR, **values: object) -> None:
        issues.append(Issue(where, severity, say(key, **values)))

    if not spec.image.strip():
        add("image", "image.empty")
    elif in_use is not None and in_use.images is not None and not in_use.has_image(spec.image):
        if is_project_image(spec.image):
            add("image", "image.missing", image=spec.image)
        else:  # as docker run does, Run pulls it first
            add("image", "image.will_pull", Severity.WARNING, image=spec.image)
    if spec.name and not _NAME.match(spec.name):
        add("name", "name.invalid", name=spec.name)
    elif in_use is not None and not spec.as_service:  # a service's name is checked among services
        for name in spec.instance_names():
            if name and name in in_use.names:
                add("name", "name.taken", name=name)
    if not 1 <= spec.count <= MAX_COUNT:
        add("count", "count.range", most=MAX_COUNT)
    _check_ports(spec, in_use, add)
    for name, _value in spec.env:
        if not _ENV_NAME.match(name):
            add("env", "env.bad_name", name=name)
    _check_volumes(spec, add)
    try:
        spec.command_words()
    except ValueError:
        add("command", "command.quote")
    if spec.cpus is not None and spec.cpus <= 0:
        add("cpus", "cpus.positive")
    elif spec.cpus is not None and host_cpus is not None and spec.cpus > host_cpus:
        add("cpus", "cpus.too_many", cpus=f"{spec.cpus:g}", host=host_cpus)
    if spec.memory is not None and spec.memory < MIN_MEMORY:
        add("memory", "memory.too_small")
    return issues


def _check_ports(spec: RunSpec, in_use: PortsInUse | None, add: _Add) -> None:
    from desktop.engine.ports_in_use import host_port_busy

    seen: set[tuple[int, str]] = set()
    for port in spec.ports:
        if port.host_port is None:
            continue
        key = (port.host_port, port.protocol)
        if key in seen:
            add("ports", "port.twice", port=port.host_port)
            continue
        seen.add(key)
        if spec.count > 1:
            add("ports", "port.count", port=port.host_port, count=spec.count)
            continue
        owner = in_use.port_owner(port.host_port, port.protocol) if in_use is not None else None
        if owner is not None:
            add("ports", "port.used_by_instance", port=port.host_port, owner=owner)
        elif (in_use is None or in_use.engine_is_local) and host_port_busy(
            port.host_port, port.protocol, port.host_ip
        ):
            add("ports", "port.used_on_host", port=port.host_port)


def _check_volumes(spec: RunSpec, add: _Add) -> None:
    home = Path.home()
    for volume in spec.volumes:
        if not volume.target.startswith("/"):
            add("volumes", "volume.target_relative", target=volume.target)
        if not volume.is_bind:
            if not _NAME.match(volume.source):
                add("volumes", "volume.bad_name", name=volume.source)
            continue
        path = volume.host_path(spec.base_dir)
        if str(path) == "/":
            add("volumes", "volume.root", Severity.WARNING)
        elif path == home or path.parent == Path("/home"):
            add("volumes", "volume.home", Severity.WARNING, path=path)
        elif str(path) in DOCKER_SOCKETS or path.name.endswith("docker.sock"):
            add("volumes", "volume.docker_socket", Severity.WARNING, path=path)
        elif not path.exists():
            add("volumes", "volume.missing_source", Severity.WARNING, path=path)


class _Add(Protocol):
    """The type of ``check_spec``'s little ``add`` function (for the helpers' signatures)."""

    def __call__(self, where: str, key: str, severity: Severity = ..., **values: object) -> None: ...


def _normalise(path: str) -> str:
    """``/a/./b/../c`` -> ``/a/c`` without touching the disk (a symlink stays what the user named)."""
    return posixpath.normpath(path) if path.startswith("/") else path
