"""``dockblocks build PROJECT``: build a project's Dockerfile on the Docker engine, with live step progress.

Progress goes to the standard error: each step of the Dockerfile as it starts, its output indented, and how
it ended (done, cached, failed). The image id goes to the standard output, so scripts can read it. A failed
build exits with 1 and names the failing step, its block's line and, for common mistakes, a hint.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any, TextIO

from desktop.engine.build_events import (
    BuildEvent,
    BuildFailed,
    BuildFinished,
    StepLog,
    StepState,
    StepUpdate,
    UploadProgress,
)
from desktop.i18n import format_text, load_texts

EXIT_BUILD_FAILED = 1


def say(key: str, **values: Any) -> str:
    """One text of the build topic, filled in."""
    return format_text(load_texts("build")[key], **values)


def add_build_parser(commands: Any) -> None:
    """Adds the ``build`` subcommand to the ``dockblocks`` parser's subcommands."""
    build = commands.add_parser(
        "build",
        help="build a project's image on the Docker engine, showing each step",
        description="Build the Dockerfile of a project on the Docker engine (DOCKER_HOST or the current "
        "docker context), showing each step as it runs.",
    )
    build.add_argument("project", type=Path, help="the project file (*.dockblocks)")
    build.add_argument("--classic", action="store_true", help="use the classic builder instead of BuildKit")
    build.add_argument("--tag", "-t", help="the image name (default: dockblocks/PROJECT:latest)")
    build.add_argument("--context", type=Path, help="the build folder (default: the project's)")
    build.add_argument("--no-cache", action="store_true", help="build every step again, ignoring the cache")
    build.add_argument(
        "--label", action="append", default=[], metavar="KEY=VALUE", help="add a label to the image"
    )
    build.add_argument("--quiet", "-q", action="store_true", help="print only the image id (and failures)")


def build_command(args: argparse.Namespace) -> int:
    """Runs ``dockblocks build`` with parsed arguments; returns the exit code."""
    import asyncio

    from desktop.cli import CliError
    from desktop.cli_files import read_project
    from desktop.engine.labels import PROJECT_LABEL, parse_labels, project_image_tag

    project = read_project(args.project)
    name = project.name or args.project.stem
    context = args.context or project.context_dir
    if context is None:
        raise CliError(say("cli.no_context"))
    context = Path(context).resolve()
    if not context.is_dir():
        raise CliError(say("cli.context_missing", folder=str(context)))
    from desktop.engine.build import BuildOptions

    try:
        labels = parse_labels(args.label, {PROJECT_LABEL: name})
    except ValueError as error:
        raise CliError(say("cli.bad_label", text=str(error))) from None
    options = BuildOptions(
        document=project.document,
        context_dir=context,
        tag=args.tag or project_image_tag(name),
        classic=args.classic,
        labels=labels,
        no_cache=args.no_cache,
    )
    return asyncio.run(_build(options, name, args.quiet))


async def _build(options: Any, name: str, quiet: bool) -> int:
    import dataclasses

    from desktop.engine.build import build
    from desktop.engine.connection import connect_first, open_api_client
    from desktop.engine.contexts import candidates
    from desktop.engine.problems import EngineUnavailable

    try:  # the engine the docker CLI would use: DOCKER_HOST, the current context, the usual sockets
        info = await connect_first(candidates())
    except EngineUnavailable as error:
        print(say("cli.failed_no_step", message=error.problem.message), file=sys.stderr)
        print(say("cli.hint", hint=error.problem.hint), file=sys.stderr)
        return EXIT_BUILD_FAILED
    if not options.classic and not info.buildkit:
        print(say("cli.no_buildkit"), file=sys.stderr)
        options = dataclasses.replace(options, classic=True)
    if not quiet:
        builder = "the classic builder" if options.classic else "BuildKit"
        folder = str(options.context_dir)
        print(say("cli.building", project=name, builder=builder, folder=folder), file=sys.stderr)
    printer = ProgressPrinter(sys.stderr, quiet)
    started = time.monotonic()
    async for batch in build(options, lambda: open_api_client(info)):
        for event in batch:
            printer.show(event)
    return printer.finish(sys.stdout, time.monotonic() - started, options)


class ProgressPrinter:
    """Writes build events as terminal lines: one when a step starts, its output, one when it ends."""

    def __init__(self, out: TextIO, quiet: bool = False) -> None:
        self.out = out
        self.quiet = quiet
        self.names: dict[str, str] = {}
        self.states: dict[str, StepState] = {}
        self.outcome: BuildFinished | BuildFailed | None = None
        self._uploading = False

    def _print(self, text: str) -> None:
        if not self.quiet:
            print(text, file=self.out, flush=True)

    def show(self, event: BuildEvent) -> None:
        """Prints what one event means."""
        if isinstance(event, UploadProgress):
            if not self._uploading and event.total:
                self._uploading = True
                self._print(say("cli.uploading", size=human_size(event.total)))
        elif isinstance(event, StepUpdate):
            self._step(event)
        elif isinstance(event, StepLog):
            if event.block_id is not None or self.states.get(event.step_id) is StepState.FAILED:
                for line in event.lines:
                    self._print(f"    {line}")
        else:
            self.outcome = event

    def _step(self, event: StepUpdate) -> None:
        self.names[event.step_id] = event.name
        previous = self.states.get(event.step_id)
        self.states[event.step_id] = event.state
        if event.block_id is None and event.state is not StepState.FAILED:
            return  # the engine's own steps (loading the context, metadata) are noise on a terminal
        if event.state is StepState.RUNNING and previous is not StepState.RUNNING:
            self._print(f"=> {event.name}")
        elif event.state in (StepState.DONE, StepState.CACHED, StepState.FAILED):
            word = {
                StepState.DONE: say("cli.step_done"),
                StepState.CACHED: say("cli.step_cached"),
                StepState.FAILED: say("cli.step_failed"),
            }[event.state]
            took = ""
            if event.started is not None and event.completed is not None and event.state is StepState.DONE:
                took = f" {event.completed - event.started:.1f} s"
            if previous in (StepState.DONE, StepState.CACHED):
                return  # BuildKit may report a base image done, then taken from the cache: said once
            if previous is not StepState.RUNNING:
                self._print(f"=> {event.name}")
            self._print(f"   {word}{took}")

    def finish(self, out: TextIO, seconds: float, options: Any) -> int:
        """Prints the outcome; returns the exit code."""
        from desktop.cli import EXIT_OK

        outcome = self.outcome
        if isinstance(outcome, BuildFinished):
            tags = f" ({', '.join(outcome.tags)})" if outcome.tags else ""
            self._print(say("cli.finished", image=outcome.image_id, tags=tags, seconds=seconds))
            print(outcome.image_id, file=out, flush=True)
            return EXIT_OK
        failure = outcome if isinstance(outcome, BuildFailed) else BuildFailed(say("failed.no_image"))
        step = self._step_label(failure, options)
        if step:
            print(say("cli.failed", step=step, message=failure.message), file=self.out, flush=True)
        else:
            print(say("cli.failed_no_step", message=failure.message), file=self.out, flush=True)
        if failure.hint:
            print(say("cli.hint", hint=failure.hint), file=self.out, flush=True)
        return EXIT_BUILD_FAILED

    def _step_label(self, failure: BuildFailed, options: Any) -> str:
        """``"[3/5] RUN make" (line 7)``: the failing step and where its block is in the Dockerfile."""
        from desktop.dockerfile.render import render

        name = self.names.get(failure.step_id or "", "")
        where = ""
        if failure.block_id is not None:
            span = (options.rendered or render(options.document)).lines_of(failure.block_id)
            if span is not None:
                where = (
                    f" (line {span.first})"
                    if span.first == span.last
                    else f" (lines {span.first}-{span.last})"
                )
        if not name and not where:
            return ""
        return f'"{name}"{where}' if name else f"the block{where}"


def human_size(size: int) -> str:
    """``1536`` as ``1.5 KB``: sizes as a beginner reads them."""
    value = float(size)
    for unit in ("bytes", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{int(value)} {unit}" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1024
    return f"{value:.1f} TB"
