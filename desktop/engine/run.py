"""Starting instances of an image: create and start ``spec.count`` containers, labelled as Dockblocks'.

Each instance is created, then started; one that cannot start is removed again (the docker CLI leaves it
behind, which confuses beginners: the name stays taken). What started before a failure keeps running and
is named in the error, so the caller can show it.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import docker
import docker.errors

from desktop.engine.labels import dockblocks_labels
from desktop.engine.run_spec import RestartPolicy, RunSpec, say
from desktop.engine.threads import run_blocking

ApiFactory = Callable[[], Any]
"""Makes a fresh ``docker.APIClient``: the window's ``engine.new_api_client``, or one from the environment."""

_PORT_TAKEN = re.compile(r"port is already allocated|address already in use", re.IGNORECASE)


@dataclass(frozen=True)
class StartedInstance:
    """An instance that runs.

    Attributes:
        id: the container id.
        name: its name (chosen by the engine when the spec gave none).
        ports: the published ports as (host port, container port, protocol), with the host ports the
            engine picked where the spec left them open.
    """

    id: str
    name: str
    ports: tuple[tuple[int, int, str], ...] = ()

    def describe(self) -> str:
        """``web-1`` or ``web-1: http://localhost:8080 -> 80`` for the terminal and the window."""
        if not self.ports:
            return say("run.started", name=self.name)
        shown = ", ".join(
            f"localhost:{host} -> {inner}" + ("" if proto == "tcp" else f"/{proto}")
            for host, inner, proto in self.ports
        )
        return say("run.started_ports", name=self.name, ports=shown)


class RunError(Exception):
    """Starting failed; the message is one plain sentence. ``started`` lists instances that do run."""

    def __init__(self, message: str, started: tuple[StartedInstance, ...] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.started = started


async def run(
    spec: RunSpec, api_factory: ApiFactory, extra_labels: dict[str, str] | None = None
) -> list[StartedInstance]:
    """Creates and starts the instances a spec describes.

    Args:
        spec: the settings (check them first with :func:`desktop.engine.run_spec.check_spec`).
        api_factory: makes the client to use (closed when done).
        extra_labels: more labels (a project name, a test's labels) beside the Dockblocks label.

    Raises:
        RunError: with a plain sentence, and the instances that started before the failure.
    """
    api = api_factory()
    started: list[StartedInstance] = []
    try:
        labels = dockblocks_labels(extra_labels)
        await run_blocking(_ensure_volumes, api, spec, labels)
        for name in spec.instance_names():
            try:
                started.append(await run_blocking(_start_one, api, spec, name, labels))
            except docker.errors.APIError as error:
                raise RunError(_plain(error, spec, name), tuple(started)) from error
    finally:
        api.close()
    return started


def _ensure_volumes(api: Any, spec: RunSpec, labels: dict[str, str]) -> None:
    """Named volumes that do not exist yet are made with our labels (the engine would make them bare)."""
    for volume in spec.volumes:
        if volume.is_bind:
            continue
        try:
            api.inspect_volume(volume.source)
        except docker.errors.NotFound:
            api.create_volume(volume.source, labels=labels)


def _start_one(api: Any, spec: RunSpec, name: str, labels: dict[str, str]) -> StartedInstance:
    port_bindings: dict[str, Any] = {}
    for port in spec.ports:
        key = f"{port.container_port}/{port.protocol}"
        binding: Any = None if port.host_port is None else port.host_port
        if port.host_ip:
            binding = (port.host_ip,) if port.host_port is None else (port.host_ip, port.host_port)
        port_bindings.setdefault(key, []).append(binding)
    binds = {
        (str(v.host_path(spec.base_dir)) if v.is_bind else v.source): {
            "bind": v.target,
            "mode": "ro" if v.read_only else "rw",
        }
        for v in spec.volumes
    }
    restart = None if spec.restart is RestartPolicy.NO else {"Name": spec.restart.value}
    host_config = api.create_host_config(
        port_bindings=port_bindings or None,
        binds=binds or None,
        restart_policy=restart,
        nano_cpus=int(spec.cpus * 1e9) if spec.cpus is not None else None,
        mem_limit=spec.memory,
    )
    container = api.create_container(
        spec.image,
        command=spec.command_words() or None,
        name=name or None,
        environment=[f"{k}={v}" for k, v in spec.env] or None,
        ports=[(p.container_port, p.protocol) for p in spec.ports] or None,
        labels=labels,
        host_config=host_config,
        detach=True,
    )
    container_id = str(container["Id"])
    try:
        api.start(container_id)
    except docker.errors.APIError:
        with contextlib.suppress(docker.errors.APIError):  # the start error is the one to report
            api.remove_container(container_id, force=True)
        raise
    details = api.inspect_container(container_id)
    return StartedInstance(container_id, details["Name"].lstrip("/"), _published(details))


def _published(details: dict[str, Any]) -> tuple[tuple[int, int, str], ...]:
    ports: list[tuple[int, int, str]] = []
    for key, bindings in (details.get("NetworkSettings", {}).get("Ports") or {}).items():
        inner, _, proto = key.partition("/")
        for binding in bindings or []:
            host = int(binding.get("HostPort") or 0)
            if host and (host, int(inner), proto) not in ports:  # IPv4 and IPv6 bind the same port
                ports.append((host, int(inner), proto))
    return tuple(ports)


def _plain(error: docker.errors.APIError, spec: RunSpec, name: str) -> str:
    """The engine's error as one sentence a beginner can act on."""
    reason = str(error.explanation or error)
    if isinstance(error, docker.errors.ImageNotFound) or (
        error.status_code == 404 and "image" in reason.lower()
    ):
        return say("run.no_such_image", image=spec.image)
    if error.status_code == 409 and "name" in reason.lower():
        return say("run.name_conflict", name=name)
    if _PORT_TAKEN.search(reason):
        port = next((str(p.host_port) for p in spec.ports if p.host_port and str(p.host_port) in reason), "")
        return say("port.allocated", port=port) if port else say("run.port_in_use")
    return say("run.failed", reason=reason.rstrip(".") + ".")
