"""Running an image as a swarm service: the swarm keeps N copies (replicas) of it running.

When the connected engine manages a Docker Swarm (:func:`is_swarm_manager`), Run can create a service
instead of plain instances (:func:`create_service`, from the same :class:`RunSpec` the run dialog fills in,
``count`` being the number of replicas). The service and its containers carry the Dockblocks label, so the
tasks' containers appear in the instances panel and the charts like any other instance.

Published ports use the ``host`` mode: each replica's port is opened on the machine it runs on. The
routing mesh (``ingress``, the CLI's default) needs the engine to manage iptables, which an engine started
with ``--iptables=false`` (such as the private test engine) does not do: there the port is never reached.
On a one-machine swarm both modes mean the same port on this machine.

The blocking functions here run in worker threads; :func:`service_command_line`, :func:`scale_cli_command`
and :func:`remove_cli_command` write the ``docker service …`` command that does the same, for learning.
"""

from __future__ import annotations

import enum
import re
import shlex
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.engine.labels import DOCKBLOCKS_LABEL, DOCKBLOCKS_LABEL_VALUE
from desktop.engine.run_spec import Issue, RunSpec, Severity, memory_text
from desktop.i18n import format_count, format_text, load_texts

SERVICE_ID_LABEL = "com.docker.swarm.service.id"
"""On a task's container: the id of its service."""
PUBLISH_MODE = "host"
"""How ports are published (see the module's text for why not ``ingress``)."""
MAX_REPLICAS = 50
"""The most replicas a scale asks for (a classroom machine has little memory to spare)."""

_TASK_NAME = re.compile(r"^(?P<short>.+\.\d+)\.[a-z0-9]{25}$")


def say(key: str, **values: object) -> str:
    """A text of ``resources/i18n/services.en.json`` (in the user's language), its placeholders filled."""
    return format_text(str(load_texts("services").get(key, key)), **values)


def say_count(key: str, count: int, **values: object) -> str:
    """The text ``key`` about ``count`` things: its ``key_one`` form for exactly one, when there is one."""
    return format_count(load_texts("services"), key, count, **values)


class SwarmRole(enum.Enum):
    """What an engine is in a swarm; only a manager can create, scale and remove services.

    A role is true only for a manager, so it reads as the answer to "is it a swarm manager?".
    """

    MANAGER = "manager"
    WORKER = "worker"
    """An active node of a swarm without its control: services are made on a manager."""
    NONE = "none"
    """Not part of a swarm (or not any more)."""
    UNKNOWN = "unknown"
    """The engine could not be asked (it stopped, or its swarm has no leader)."""

    def __bool__(self) -> bool:
        return self is SwarmRole.MANAGER

    def reason(self) -> str:
        """Why the run dialog cannot offer a service on this engine ("" for a manager)."""
        if self is SwarmRole.MANAGER:
            return ""
        keys = {SwarmRole.WORKER: "option.worker", SwarmRole.UNKNOWN: "option.unknown"}
        return say(keys.get(self, "option.not_manager"))


def swarm_role(info: Mapping[str, Any]) -> SwarmRole:
    """What an engine's ``/info`` says it is in a swarm: an active manager, an active worker, or neither."""
    swarm = info.get("Swarm") or {}
    if not isinstance(swarm, Mapping) or swarm.get("LocalNodeState") != "active":
        return SwarmRole.NONE
    return SwarmRole.MANAGER if swarm.get("ControlAvailable") else SwarmRole.WORKER


def is_swarm_manager(info: Mapping[str, Any]) -> bool:
    """Whether an engine's ``/info`` says it is an active swarm manager (it can create services)."""
    return swarm_role(info) is SwarmRole.MANAGER


def read_swarm_manager(client: Any) -> SwarmRole:
    """Asks the engine now what it is in a swarm (blocking; one ``/info`` call): true only for a manager,
    and the role says why not (:meth:`SwarmRole.reason`)."""
    return swarm_role(client.info())


def task_short_name(container_name: str) -> str:
    """A task container's name without its task id: ``web.2.x7k…`` (25 characters) -> ``web.2``.

    Other names come back unchanged.
    """
    match = _TASK_NAME.match(container_name.lstrip("/"))
    return match.group("short") if match else container_name.lstrip("/")


# --- creating -------------------------------------------------------------------------------------------


def check_service(spec: RunSpec, service_names: Iterable[str] = ()) -> list[Issue]:
    """What is wrong with a spec as a service, beyond :func:`desktop.engine.run_spec.check_spec`.

    Args:
        spec: the settings (``as_service`` set).
        service_names: the names of the services that exist already.
    """
    issues: list[Issue] = []
    if spec.name and spec.name in set(service_names):
        issues.append(Issue("name", Severity.ERROR, say("check.name_taken", name=spec.name)))
    for port in spec.ports:
        if port.host_ip:
            issues.append(Issue("ports", Severity.ERROR, say("check.host_ip", port=port.text())))
    return issues


def endpoint_spec(spec: RunSpec) -> dict[str, Any] | None:
    """The ``EndpointSpec`` publishing the spec's ports (None when it publishes none)."""
    ports = []
    for port in spec.ports:
        entry: dict[str, Any] = {
            "Protocol": port.protocol,
            "TargetPort": port.container_port,
            "PublishMode": PUBLISH_MODE,
        }
        if port.host_port is not None:
            entry["PublishedPort"] = port.host_port
        ports.append(entry)
    return {"Ports": ports} if ports else None


def create_service(client: Any, spec: RunSpec, labels: Mapping[str, str]) -> str:
    """Creates the service a spec describes, with ``spec.count`` replicas (blocking); returns its id.

    The image is not resolved against a registry (docker-py never does): a local image, such as the one
    Build made, is used as it is on the node.

    Raises:
        docker.errors.APIError: the engine refused; :func:`plain_error` says why in plain words.
    """
    from docker.types import ContainerSpec, Mount, Resources, ServiceMode, TaskTemplate

    mounts = [
        Mount(
            target=volume.target,
            source=str(volume.host_path(spec.base_dir)) if volume.is_bind else volume.source,
            type="bind" if volume.is_bind else "volume",
            read_only=volume.read_only,
        )
        for volume in spec.volumes
    ]
    container = ContainerSpec(
        spec.image,
        args=spec.command_words() or None,  # as `docker service create IMAGE ARGS`: replaces the CMD
        env=[f"{name}={value}" for name, value in spec.env] or None,
        labels=dict(labels),
        mounts=mounts or None,
    )
    resources = None
    if spec.cpus is not None or spec.memory is not None:
        resources = Resources(
            cpu_limit=int(spec.cpus * 1e9) if spec.cpus is not None else None,
            mem_limit=spec.memory,
        )
    created = client.create_service(
        TaskTemplate(container, resources=resources),
        name=spec.name or None,
        labels=dict(labels),
        mode=ServiceMode("replicated", spec.count),
        endpoint_spec=endpoint_spec(spec),
    )
    return str(created["ID"])


def service_command_line(spec: RunSpec, *, label: bool = True) -> str:
    """The ``docker service create …`` line that creates what :func:`create_service` creates.

    ``--detach`` and ``--no-resolve-image`` make the CLI do what the app does: return at once, and use the
    image as it is on the machine instead of looking it up on a registry first.
    """
    words = ["docker", "service", "create", "--detach", "--no-resolve-image"]
    if spec.name:
        words += ["--name", spec.name]
    words += ["--replicas", str(spec.count)]
    for port in spec.ports:
        published = "" if port.host_port is None else f"published={port.host_port},"
        protocol = "" if port.protocol == "tcp" else f",protocol={port.protocol}"
        words += ["--publish", f"{published}target={port.container_port},mode={PUBLISH_MODE}{protocol}"]
    for name, value in spec.env:
        words += ["--env", f"{name}={value}"]
    for volume in spec.volumes:
        kind = "bind" if volume.is_bind else "volume"
        source = str(volume.host_path(spec.base_dir)) if volume.is_bind else volume.source
        words += ["--mount", f"type={kind},source={source},target={volume.target}"
                  + (",readonly" if volume.read_only else "")]  # fmt: skip
    if spec.cpus is not None:
        words += ["--limit-cpu", f"{spec.cpus:g}"]
    if spec.memory is not None:
        words += ["--limit-memory", memory_text(spec.memory)]
    if label:
        pair = f"{DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}"
        words += ["--label", pair, "--container-label", pair]
    words.append(spec.image or "IMAGE")
    try:
        words += spec.command_words()
    except ValueError:
        words.append(spec.command)  # unclosed quote: shown as typed (the dialog says what is wrong)
    return shlex.join(words)


def plain_error(error: BaseException, spec: RunSpec) -> str:
    """The engine's refusal to create a service as one sentence a beginner can act on."""
    reason = str(getattr(error, "explanation", None) or error)
    lowered = reason.lower()
    if "worker nodes" in lowered:  # "This node is not a swarm manager. Worker nodes can't be used to …"
        return say("error.worker")
    if "not a swarm manager" in lowered or ("swarm" in lowered and "not part" in lowered):
        return say("error.not_manager")
    if "already exists" in lowered or "name conflicts" in lowered:
        return say("check.name_taken", name=spec.name)
    return say("error.failed", reason=reason.rstrip(".") + ".")


# --- listing --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Service:
    """One service as the instances panel shows it.

    Attributes:
        id: the service id.
        name: its name.
        image: the image its tasks run (without the digest the CLI pins).
        desired: how many replicas it should run (None for a global service: one per machine).
        running: how many of its tasks run now.
        ours: whether the app made it (it carries the Dockblocks label).
    """

    id: str
    name: str
    image: str
    desired: int | None
    running: int
    ours: bool

    def replicas_text(self) -> str:
        """``2/3`` as ``docker service ls`` shows it (``2/global`` for a global service)."""
        return f"{self.running}/{'global' if self.desired is None else self.desired}"

    @property
    def converging(self) -> bool:
        """Whether the swarm is still starting or stopping replicas to reach the desired number."""
        return self.desired is not None and self.running != self.desired


def service_from_inspect(data: Mapping[str, Any], running: int) -> Service:
    """A :class:`Service` from one item of the engine's service listing and its running task count."""
    spec = data.get("Spec") or {}
    container = (spec.get("TaskTemplate") or {}).get("ContainerSpec") or {}
    mode = spec.get("Mode") or {}
    replicated = mode.get("Replicated")
    labels = spec.get("Labels") or {}
    return Service(
        id=str(data.get("ID", "")),
        name=str(spec.get("Name", "")),
        image=str(container.get("Image", "")).split("@", 1)[0],
        desired=int(replicated.get("Replicas", 0)) if isinstance(replicated, Mapping) else None,
        running=running,
        ours=labels.get(DOCKBLOCKS_LABEL) == DOCKBLOCKS_LABEL_VALUE,
    )


def list_services(client: Any, every_service: bool, extra_labels: Sequence[str] = ()) -> list[Service] | None:
    """The services in scope with their running tasks, in two calls (blocking).

    Returns:
        None when the engine is not a swarm manager (it has no services to list).
    """
    import docker.errors

    labels = list(extra_labels)
    if not every_service:
        labels.append(f"{DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}")
    try:
        found = client.services(filters={"label": labels} if labels else None)
    except docker.errors.APIError as error:
        if error.status_code == 503:  # "This node is not a swarm manager."
            return None
        raise
    if not found:
        return []
    running: dict[str, int] = {}
    for task in client.tasks(filters={"desired-state": "running"}):
        if (task.get("Status") or {}).get("State") == "running":
            running[str(task.get("ServiceID"))] = running.get(str(task.get("ServiceID")), 0) + 1
    services = [service_from_inspect(item, running.get(str(item.get("ID")), 0)) for item in found]
    return sorted(services, key=lambda s: s.name)


# --- acting ---------------------------------------------------------------------------------------------


def scale_service(client: Any, service_id: str, replicas: int) -> None:
    """Asks the swarm to run ``replicas`` copies (blocking), as ``docker service scale`` does.

    The service's own spec goes back unchanged but for the number: docker-py's ``fetch_current_spec``
    would send it with the engine's defaults filled in, which the swarm takes for a new spec and so
    replaces every running replica.
    """
    from docker.types import ServiceMode

    current = client.inspect_service(service_id)
    spec = current["Spec"]
    client.update_service(
        service_id,
        current["Version"]["Index"],
        task_template=spec.get("TaskTemplate"),
        name=spec.get("Name"),
        labels=spec.get("Labels"),
        mode=ServiceMode("replicated", replicas),
        update_config=spec.get("UpdateConfig"),
        rollback_config=spec.get("RollbackConfig"),
        endpoint_spec=spec.get("EndpointSpec"),
    )


def remove_service(client: Any, service_id: str) -> None:
    """Removes a service (blocking); the swarm then stops and removes its tasks' containers."""
    client.remove_service(service_id)


def scale_cli_command(name: str, replicas: int) -> str:
    return shlex.join(["docker", "service", "scale", f"{name}={replicas}"])


def remove_cli_command(name: str) -> str:
    return shlex.join(["docker", "service", "rm", name])


def service_event_filters() -> dict[str, list[str]]:
    """The events stream's filters for service events (created, updated — a scale —, removed)."""
    return {"type": ["service"]}


async def follow_service_events(
    api_factory: Callable[[], Any], on_change: Callable[[], None], retry_interval: float = 2.0
) -> None:
    """Calls ``on_change`` after each batch of service events, until cancelled; resumes when the engine
    comes back. One stream with a client of its own (closed when cancelled), whatever the number of services.
    """
    import asyncio
    import logging

    log = logging.getLogger(__name__)
    while True:
        try:
            await _follow_service_events_once(api_factory(), on_change)
        except Exception as error:  # no engine now, or it went away: try again in a moment
            log.info("services: events stopped: %s", error)
        await asyncio.sleep(retry_interval)


async def _follow_service_events_once(client: Any, on_change: Callable[[], None]) -> None:
    from desktop.engine.threads import stream_blocking

    filters = service_event_filters()
    try:
        async for batch in stream_blocking(lambda: client.events(decode=True, filters=filters), client.close):
            if batch:
                on_change()
    finally:
        client.close()
