"""The instances of the engine as the instances panel shows them, and what can be done to them.

Everything here is plain Python: :class:`Instance` is one row (read from the engine's container listing,
one ``GET /containers/json`` for all of them, never one call per container), :func:`cli_command` writes the
``docker`` command that does the same as an action (the panel shows it, so a beginner learns the CLI),
and the blocking functions (:func:`list_instances`, :func:`perform`, :func:`launch_more_like`,
:func:`exec_in`) are run by the window in worker threads.
"""

from __future__ import annotations

import enum
import shlex
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from desktop.engine.labels import DOCKBLOCKS_LABEL, DOCKBLOCKS_LABEL_VALUE
from desktop.i18n import format_count, format_text, load_texts

SERVICE_NAME_LABEL = "com.docker.swarm.service.name"
"""On a swarm task's container: the name of the service it is a replica of."""
SWARM_LABEL_PREFIX = "com.docker.swarm."
"""The swarm's own labels on a task's container (its service, task and node); never copied to a clone."""

STOP_TIMEOUT = 10
"""Seconds an instance gets to stop before it is killed (as ``docker stop``)."""


def say(key: str, **values: object) -> str:
    """A text of ``resources/i18n/instances.en.json`` (in the user's language), its placeholders filled."""
    return format_text(str(load_texts("instances").get(key, key)), **values)


def say_count(key: str, count: int, **values: object) -> str:
    """The text ``key`` about ``count`` things: its ``key_one`` form for exactly one, when there is one."""
    return format_count(load_texts("instances"), key, count, **values)


class Action(enum.StrEnum):
    """What can be done to selected instances; the value is the ``docker`` subcommand."""

    START = "start"
    STOP = "stop"
    RESTART = "restart"
    PAUSE = "pause"
    UNPAUSE = "unpause"
    KILL = "kill"
    REMOVE = "rm"


STATES = ("created", "running", "paused", "restarting", "removing", "exited", "dead")

ACTION_FITS: dict[Action, frozenset[str]] = {
    Action.START: frozenset({"created", "exited"}),
    Action.STOP: frozenset({"running", "restarting", "paused"}),
    Action.RESTART: frozenset({"running", "exited", "created", "paused"}),
    Action.PAUSE: frozenset({"running"}),
    Action.UNPAUSE: frozenset({"paused"}),
    Action.KILL: frozenset({"running", "restarting", "paused"}),
    Action.REMOVE: frozenset({"created", "exited", "dead"}),
}
"""The states in which an action makes sense (a paused instance cannot be removed without force…)."""


@dataclass(frozen=True, slots=True)
class Port:
    """One published port: ``host_port`` on ``host_ip`` reaches ``container_port``/``protocol``."""

    container_port: int
    protocol: str
    host_ip: str
    host_port: int

    def url(self) -> str:
        """The address a browser opens (``localhost`` for a port published on every address)."""
        host = self.host_ip if self.host_ip not in ("", "0.0.0.0", "::") else "localhost"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.host_port}/"

    def text(self) -> str:
        return f"{self.host_port}→{self.container_port}/{self.protocol}"


@dataclass(frozen=True, slots=True)
class Instance:
    """One container as the panel shows it.

    Attributes:
        id: the full container id.
        name: its name (without the leading slash).
        image: the image it was made from, as the user wrote it.
        state: ``created``, ``running``, ``paused``, ``restarting``, ``removing``, ``exited`` or ``dead``.
        status: the engine's own words ("Up 3 minutes", "Exited (3) 2 seconds ago").
        created: when it was made (epoch seconds).
        ports: its published ports.
        ours: whether the app made it (it carries the Dockblocks label).
        service: the swarm service it is a task (replica) of, or "".
    """

    id: str
    name: str
    image: str
    state: str
    status: str
    created: float
    ports: tuple[Port, ...]
    ours: bool
    service: str = ""

    @property
    def exit_code(self) -> int | None:
        """The exit code of an exited instance (read from its status), else None."""
        if self.state not in ("exited", "dead") or "(" not in self.status:
            return None
        inside = self.status.split("(", 1)[1].split(")", 1)[0]
        try:
            return int(inside)
        except ValueError:
            return None


def instance_from_summary(summary: Mapping[str, Any]) -> Instance:
    """An :class:`Instance` from one item of the engine's container listing."""
    names = summary.get("Names") or [""]
    labels = summary.get("Labels") or {}
    ports = []
    for port in summary.get("Ports") or []:
        if port.get("PublicPort"):
            ports.append(
                Port(
                    int(port["PrivatePort"]),
                    str(port.get("Type", "tcp")),
                    str(port.get("IP", "")),
                    int(port["PublicPort"]),
                )
            )
    # The engine lists a port once per address family (0.0.0.0 and ::); one per host port is enough.
    unique = {
        (p.host_port, p.protocol): p for p in sorted(ports, key=lambda p: ":" in p.host_ip, reverse=True)
    }
    return Instance(
        id=str(summary.get("Id", "")),
        name=str(names[0]).lstrip("/"),
        image=str(summary.get("Image", "")),
        state=str(summary.get("State", "")),
        status=str(summary.get("Status", "")),
        created=float(summary.get("Created", 0)),
        ports=tuple(sorted(unique.values(), key=lambda p: (p.host_port, p.protocol))),
        ours=labels.get(DOCKBLOCKS_LABEL) == DOCKBLOCKS_LABEL_VALUE,
        service=str(labels.get(SERVICE_NAME_LABEL, "")),
    )


def uptime_text(instance: Instance) -> str:
    """How long a running instance has been up, from the engine's status ("Up 3 minutes" -> "3 minutes")."""
    if instance.state in ("running", "paused") and instance.status.startswith("Up "):
        return instance.status[3:].replace(" (Paused)", "")
    return ""


def duration_text(seconds: float) -> str:
    """A short duration such as ``42 s``, ``5 min``, ``3 h 10 min``, ``2 d``."""
    seconds = max(0, int(seconds))
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h {seconds % 3600 // 60} min"
    return f"{seconds // 86400} d"


def list_filters(every_container: bool, extra_labels: Sequence[str] = ()) -> dict[str, list[str]]:
    """The listing's filters: the app's own containers, or every one (plus ``key=value`` labels to match)."""
    labels = list(extra_labels)
    if not every_container:
        labels.append(f"{DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}")
    return {"label": labels} if labels else {}


def list_instances(client: Any, every_container: bool, extra_labels: Sequence[str] = ()) -> list[Instance]:
    """Every instance in scope, in one listing call (blocking)."""
    summaries = client.containers(all=True, filters=list_filters(every_container, extra_labels))
    return [instance_from_summary(summary) for summary in summaries]


def cli_command(action: Action, names: Iterable[str]) -> str:
    """The ``docker`` command doing ``action`` to the instances called ``names``."""
    return shlex.join(["docker", action.value, *names])


def launch_cli_command(image: str, count: int, name_of_model: str) -> str:
    """The CLI way of launching ``count`` more instances like ``name_of_model`` (one ``docker run`` each)."""
    one = shlex.join(["docker", "run", "-d", image])
    return say_count("cli.launch_more", count, command=one, model=name_of_model)


def remove_stopped_cli_command(every_container: bool) -> str:
    """The CLI way of removing every stopped instance in scope."""
    if every_container:
        return "docker container prune"
    return f"docker container prune --filter label={DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}"


def fits(action: Action, state: str) -> bool:
    """Whether ``action`` makes sense for an instance in ``state``."""
    return state in ACTION_FITS[action]


def perform(
    client: Any, action: Action, container_ids: Sequence[str], address: str = ""
) -> list[tuple[str, str]]:
    """Does ``action`` to each instance (blocking); returns ``(id, the engine's reason)`` per failure.
    ``address`` is the engine's, for the advice when it stops answering (see :func:`engine_explanation`)."""
    failures = []
    for container_id in container_ids:
        try:
            _perform_one(client, action, container_id)
        except Exception as error:  # one refused instance must not stop the others
            failures.append((container_id, engine_explanation(error, address)))
    return failures


def _perform_one(client: Any, action: Action, container_id: str) -> None:
    if action is Action.START:
        client.start(container_id)
    elif action is Action.STOP:
        client.stop(container_id, timeout=STOP_TIMEOUT)
    elif action is Action.RESTART:
        client.restart(container_id, timeout=STOP_TIMEOUT)
    elif action is Action.PAUSE:
        client.pause(container_id)
    elif action is Action.UNPAUSE:
        client.unpause(container_id)
    elif action is Action.KILL:
        client.kill(container_id)
    else:
        client.remove_container(container_id)


def engine_explanation(error: BaseException, address: str = "") -> str:
    """Why an action failed, for a beginner: the engine's own words for a refusal (its ``explanation``), and
    for an engine that stopped answering (:func:`engine_lost`) one plain sentence with what to do next.

    ``address`` is the engine's (``unix://…``, ``tcp://…``, ``ssh://…``; "" when unknown, taken as this
    computer's): an engine on another computer is not started with Docker Desktop here."""
    explanation = getattr(error, "explanation", None)
    if explanation:
        return str(explanation)
    if engine_lost(error):
        from desktop.engine.problems import ProblemKind, classify, is_local_address
        from desktop.engine.problems import say as say_problem

        # It answered a moment ago: it is installed.
        problem = classify(error, address, installed=lambda: True)
        if problem.kind is ProblemKind.NO_ANSWER:
            return say("engine.no_answer", hint=problem.hint)
        if problem.kind in _KINDS_WITH_OWN_HINT:
            hint = problem.hint
        else:
            start_it = ProblemKind.NOT_STARTED if is_local_address(address) else ProblemKind.REFUSED
            hint = say_problem(f"problem.{start_it.value}.hint")
        return say("engine.gone", hint=hint)
    return str(error)


_KINDS_WITH_OWN_HINT = frozenset({"permission_denied", "unknown_host", "tls", "ssh"})
"""Lost engines whose own advice fits; any other stopped answering (a socket gone or refused, a connection
cut in the middle of an answer): the advice is to start it again."""


def engine_lost(error: BaseException) -> bool:
    """Whether ``error`` says the engine could not be reached (it stopped, went away or did not answer in
    time), rather than that it refused: a connection or timeout of requests, an OS error, or a docker-py
    error that is not an answer of the engine."""
    import requests

    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        # The engine answered: a refusal (docker-py's APIError is an HTTPError; requests' errors are OSErrors)
        if isinstance(current, requests.HTTPError) or getattr(current, "response", None) is not None:
            return False
        if isinstance(current, requests.ConnectionError | requests.Timeout | OSError):
            return True
        pending += [e for e in (current.__cause__, current.__context__) if e is not None]
        pending += [a for a in current.args if isinstance(a, BaseException)]
    return False


def stopped(instances: Iterable[Instance]) -> list[Instance]:
    """The instances that are not running: created, exited or dead (what ``container prune`` removes)."""
    return [i for i in instances if i.state in ("created", "exited", "dead")]


def launch_more_like(client: Any, container_id: str, count: int) -> list[str]:
    """Starts ``count`` new instances with the same image, command, environment, labels and ports (blocking).

    Host ports are left for the engine to pick (a fixed host port can serve only one instance). The labels
    of a swarm task (``com.docker.swarm.…``) are not copied: the panel does not offer this for a service's
    replica (Scale does that), and a copy must never pass for one.

    Returns:
        The ids of the new instances.
    """
    details = client.inspect_container(container_id)
    config = details.get("Config") or {}
    host = details.get("HostConfig") or {}
    exposed = list((config.get("ExposedPorts") or {}).keys())
    bindings = {port: None for port in (host.get("PortBindings") or {})}
    # A clone is a plain instance, not one more replica of a swarm service: the swarm's labels stay behind.
    labels = {k: v for k, v in (config.get("Labels") or {}).items() if not k.startswith(SWARM_LABEL_PREFIX)}
    made = []
    for _ in range(count):
        host_config = client.create_host_config(
            port_bindings=bindings or None,
            mem_limit=host.get("Memory") or None,
            binds=host.get("Binds") or None,
            network_mode=host.get("NetworkMode") or None,
        )
        created = client.create_container(
            config.get("Image"),
            command=config.get("Cmd"),
            entrypoint=config.get("Entrypoint"),
            environment=config.get("Env"),
            working_dir=config.get("WorkingDir") or None,
            user=config.get("User") or None,
            labels=labels,
            ports=exposed or None,
            tty=bool(config.get("Tty")),
            stdin_open=bool(config.get("OpenStdin")),
            host_config=host_config,
        )
        made.append(str(created["Id"]))
        client.start(created["Id"])
    return made


@dataclass(frozen=True, slots=True)
class ExecResult:
    """What a command run inside an instance printed, and its exit code (None when unknown)."""

    output: str
    exit_code: int | None


def exec_cli_command(name: str, command: str) -> str:
    """The ``docker exec`` command running ``command`` (shell words) in the instance ``name``."""
    return shlex.join(["docker", "exec", name, "sh", "-c", command])


def exec_in(client: Any, container_id: str, command: str, timeout: float = 60.0) -> ExecResult:
    """Runs ``command`` with ``sh -c`` inside a running instance and collects its output (blocking)."""
    created = client.exec_create(container_id, ["sh", "-c", command], stdout=True, stderr=True)
    raw = client.exec_start(created["Id"], stream=False, demux=False)
    output = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw or "")
    exit_code = None
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # the exit code is known a moment after the output ends
        inspected = client.exec_inspect(created["Id"])
        if not inspected.get("Running"):
            exit_code = inspected.get("ExitCode")
            break
        time.sleep(0.02)
    return ExecResult(output, exit_code)
