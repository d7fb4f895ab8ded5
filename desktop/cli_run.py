"""``dockblocks run PROJECT``: start instances of a project's image and print their names.

The names go to the standard output, one a line (scripts read them); what each publishes, the equivalent
``docker run`` line and every problem go to the standard error as plain sentences. With ``--follow`` the
output of the instances is shown until they stop or Ctrl+C is pressed (the instances keep running).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from desktop.engine.labels import PROJECT_LABEL, parse_labels, project_image_tag
from desktop.engine.run_spec import (
    RestartPolicy,
    RunSpec,
    Severity,
    SpecTextError,
    check_spec,
    parse_env,
    parse_memory,
    parse_port,
    parse_volume,
    say,
)

EXIT_RUN_FAILED = 1


def add_run_parser(commands: Any) -> None:
    """Adds the ``run`` subcommand to the ``dockblocks`` parser's subcommands."""
    run = commands.add_parser(
        "run",
        help="start instances of a project's image and print their names",
        description="Start instances of the image built from a project (build it with dockblocks build).",
    )
    run.add_argument("project", type=Path, help="the project file (*.dockblocks)")
    run.add_argument("--count", type=int, default=1, help="how many instances to start (default 1)")
    run.add_argument(
        "-p", "--publish", action="append", default=[], metavar="HOST:CONTAINER", help="publish a port"
    )
    run.add_argument("-e", "--env", action="append", default=[], metavar="NAME=VALUE", help="set a variable")
    run.add_argument(
        "-v", "--volume", action="append", default=[], metavar="SOURCE:TARGET[:ro]", help="mount a folder"
    )
    run.add_argument("--name", default="", help="the instance name (several get -1, -2, … added)")
    run.add_argument("--image", help="the image to run (default: the project's, dockblocks/NAME:latest)")
    run.add_argument(
        "--restart", choices=[p.value for p in RestartPolicy], default="no", help="the restart policy"
    )
    run.add_argument("--cpus", type=float, help="at most this many CPUs, such as 0.5")
    run.add_argument("--memory", default="", help="at most this much memory, such as 512m")
    run.add_argument(
        "--label", action="append", default=[], metavar="KEY=VALUE", help="add a label to the instances"
    )
    run.add_argument(
        "--service",
        action="store_true",
        help="create a swarm service keeping --count replicas running (the engine must be a swarm manager)",
    )
    run.add_argument("--follow", action="store_true", help="show the output of the instances until they stop")
    run.add_argument("--dry-run", action="store_true", help="print the equivalent docker run line only")
    run.add_argument(
        "--command",
        dest="command_override",
        default="",
        help="a command replacing the image's, in shell syntax",
    )


def run_command(args: argparse.Namespace) -> int:
    """Runs ``dockblocks run`` with parsed arguments; returns the exit code."""
    from desktop.cli import CliError
    from desktop.cli_files import read_project

    project = read_project(args.project)
    name = project.name or args.project.stem
    try:
        spec = RunSpec(
            image=args.image or project_image_tag(name),
            name=args.name,
            ports=tuple(parse_port(p) for p in args.publish),
            env=tuple(parse_env(e) for e in args.env),
            volumes=tuple(parse_volume(v) for v in args.volume),
            command=args.command_override,
            restart=RestartPolicy(args.restart),
            cpus=args.cpus,
            memory=parse_memory(args.memory),
            count=args.count,
            base_dir=project.context_dir or args.project.resolve().parent,
            as_service=args.service,
        )
    except SpecTextError as error:
        raise CliError(str(error)) from None
    if args.service and args.follow:
        from desktop.engine.services import say as say_service

        raise CliError(say_service("cli.no_follow"))
    if args.dry_run:
        return _dry_run(spec)
    try:
        labels = parse_labels(args.label, {PROJECT_LABEL: name})
    except ValueError as error:
        raise CliError(say("label.unreadable", text=str(error))) from None
    import asyncio  # here, not at the top: the parser is made for every command (and asyncio takes time)

    if spec.as_service:
        from desktop.cli_service import start_service

        return asyncio.run(start_service(spec, labels))
    return asyncio.run(_start(spec, labels, args.follow))


def _dry_run(spec: RunSpec) -> int:
    """Prints the problems of the settings alone and the equivalent docker line; 2 when there are errors."""
    from desktop.engine.run_command import command_line

    check = check_spec(spec)
    if spec.as_service:
        from desktop.engine.services import check_service, service_command_line

        check += check_service(spec)
    print_issues(check)
    print(service_command_line(spec) if spec.as_service else command_line(spec))
    from desktop.cli import EXIT_OK

    return EXIT_OK if not errors_in(check) else 2


async def _start(spec: RunSpec, labels: dict[str, str], follow: bool) -> int:
    from desktop.cli import EXIT_OK, CliError
    from desktop.engine.connection import connect_first, open_api_client
    from desktop.engine.contexts import candidates
    from desktop.engine.ports_in_use import read_in_use
    from desktop.engine.problems import EngineUnavailable
    from desktop.engine.run import RunError, run
    from desktop.engine.run_command import command_line
    from desktop.engine.threads import run_blocking

    try:  # the engine the docker CLI would use: DOCKER_HOST, the current context, the usual sockets
        info = await connect_first(candidates())
        api = open_api_client(info)
    except EngineUnavailable as error:
        raise CliError(f"{error.problem.message} {error.problem.hint}".strip()) from None

    def client() -> Any:
        return open_api_client(info)

    try:
        in_use = await run_blocking(read_in_use, api)
    finally:
        api.close()
    issues = check_spec(spec, in_use, in_use.cpus or None)
    print_issues(issues)
    if errors_in(issues):
        return 2
    print(command_line(spec), file=sys.stderr)
    if not in_use.has_image(spec.image):  # as docker run does: pull it first (check_spec said so)
        await _pull(spec.image, client)
    try:
        started = await run(spec, client, labels)
    except RunError as error:
        for instance in error.started:
            print(instance.name)
        raise CliError(error.message, EXIT_RUN_FAILED) from None
    for instance in started:
        print(instance.name, flush=True)
        print(instance.describe(), file=sys.stderr)
    if follow:
        await _follow([(s.id, s.name) for s in started], client, prefix=len(started) > 1)
    return EXIT_OK


async def _pull(image: str, client: Callable[[], Any]) -> None:
    """Pull with a line on stderr each time a layer changes state (downloading, extracting, done…)."""
    from desktop.cli import CliError
    from desktop.engine.pull import PullError, pull

    shown: dict[str, str] = {}
    try:
        async for progress in pull(image, client):
            for layer in progress.layers.values():
                state = say(f"layer.{layer.state.value.replace(' ', '_')}")
                if shown.get(layer.layer_id) != state:
                    shown[layer.layer_id] = state
                    line = say("pull.progress", image=image, layer=layer.layer_id, state=state)
                    print(line, file=sys.stderr)
    except PullError as error:
        raise CliError(error.message, EXIT_RUN_FAILED) from None
    print(say("pull.done", image=image), file=sys.stderr)


async def _follow(instances: list[tuple[str, str]], client: Callable[[], Any], prefix: bool) -> None:
    import asyncio

    from desktop.engine.logs import STDERR, follow_logs, instance_state

    async def one(container_id: str, name: str) -> None:
        lead = f"{name} | " if prefix else ""
        async for batch in follow_logs(container_id, client):
            for line in batch:
                print(lead + line.text, file=sys.stderr if line.stream == STDERR else sys.stdout)
            sys.stdout.flush()
        state = await instance_state(container_id, client)
        if state.exit_code is not None:
            print(say("logs.exited", name=name, code=state.exit_code), file=sys.stderr)

    await asyncio.gather(*(one(cid, name) for cid, name in instances))


def print_issues(issues: list[Any]) -> None:
    for issue in issues:
        lead = "error" if issue.severity is Severity.ERROR else "warning"
        print(f"dockblocks: {lead}: {issue.message}", file=sys.stderr)


def errors_in(issues: list[Any]) -> bool:
    return any(issue.severity is Severity.ERROR for issue in issues)
