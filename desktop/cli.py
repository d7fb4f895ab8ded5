"""The ``dockblocks`` command: import, render and lint without the window.

Errors reach the terminal as one sentence on stderr; details of an unexpected failure go to a log file,
never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import desktop
from desktop.blocks.model import Document
from desktop.dockerfile import DockerfileSyntaxError, import_bytes, render_text
from desktop.dockerfile.lexing import ENCODING, ERRORS
from desktop.i18n import format_text, load_texts
from desktop.paths import user_data_dir
from desktop.project import SUFFIX, Project, ProjectFileError, load_project, save_project

if TYPE_CHECKING:
    from desktop.lint import LintReport

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_UNREADABLE = 2
EXIT_INTERRUPTED = 130

EPILOG = f"""\
exit codes:
  {EXIT_OK}    success (lint: no errors or warnings; notes and style hints may be printed)
  {EXIT_FINDINGS}    lint found at least one error or warning
  {EXIT_UNREADABLE}    the input could not be read or the output not written (the message says why),
       or the command line was wrong, or the window could not open
  {EXIT_INTERRUPTED}  interrupted (Ctrl+C)

examples:
  dockblocks                     (opens the window)
  dockblocks import Dockerfile -o app{SUFFIX}
  dockblocks render app{SUFFIX} > Dockerfile
  dockblocks lint Dockerfile --json
"""


class CliError(Exception):
    """A problem to report as one sentence, with an exit code."""

    def __init__(self, message: str, code: int = EXIT_UNREADABLE) -> None:
        super().__init__(message)
        self.code = code


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dockblocks",
        description="Compose Dockerfiles from blocks. Without a command, the Dockblocks window opens.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"dockblocks {desktop.__version__}")
    parser.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the window, close it after a moment and say whether it worked (for release checks)",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    imp = commands.add_parser("import", help="turn a Dockerfile into a project of blocks")
    imp.add_argument("dockerfile", type=Path, help="the Dockerfile to read")
    imp.add_argument(
        "-o", "--output", type=Path, required=True, help=f"the project file to write (*{SUFFIX})"
    )
    imp.add_argument("--context", type=Path, help="the build folder (default: the Dockerfile's folder)")
    imp.add_argument("--force", action="store_true", help="replace the output file if it exists")

    ren = commands.add_parser("render", help="write the Dockerfile of a project")
    ren.add_argument("project", type=Path, help=f"the project file (*{SUFFIX})")
    ren.add_argument("-o", "--output", type=Path, help="write to this file instead of the terminal")

    lint = commands.add_parser("lint", help="check a Dockerfile or a project and explain what to improve")
    lint.add_argument("file", type=Path, help=f"a Dockerfile or a project file (*{SUFFIX})")
    lint.add_argument("--json", action="store_true", help="print the findings as JSON")
    lint.add_argument("--context", type=Path, help="the build folder, to check that copied files exist")

    from desktop.cli_run import add_run_parser  # docker-py itself is imported only when an instance starts

    add_run_parser(commands)
    from desktop.cli_build import add_build_parser

    add_build_parser(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (and exits with it when run as a script)."""
    arguments = sys.argv[1:] if argv is None else list(argv)
    try:
        if not arguments:  # the window: making the parser (and what its commands import) would delay it
            return _open_window()
        args = build_parser().parse_args(arguments)
        if args.command is None:
            return _open_window(smoke_test=args.smoke_test)
        return int(_COMMANDS[args.command](args))
    except CliError as error:
        print(f"dockblocks: {error}", file=sys.stderr)
        return error.code
    except BrokenPipeError:  # the reader went away (dockblocks render x | head): nothing left to say
        _silence_stdout()
        return EXIT_OK
    except KeyboardInterrupt:
        print("dockblocks: interrupted.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:  # the last line of defence: a sentence for the user, details in a log
        log = _log_unexpected(error)
        print(
            f"dockblocks: something went wrong that should not have ({error}); details are in {log}.",
            file=sys.stderr,
        )
        return EXIT_UNREADABLE


def _open_window(smoke_test: bool = False) -> int:
    """Open the window (PySide6 is imported only now, so the commands work without it)."""
    try:
        # By name, so the type checker of the core does not wander into the GUI and Qt.
        gui = importlib.import_module("ui.app")
    except ImportError as error:
        reason = str(error) or type(error).__name__
        raise CliError(format_text(load_texts("window")["launch.no_qt"], reason=reason)) from None
    problem = gui.launch_problem()
    if problem is not None:
        raise CliError(str(problem))
    return int(gui.main(sys.argv[:1], smoke_test=smoke_test))


def _import(args: argparse.Namespace) -> int:
    doc = _read_dockerfile(args.dockerfile)
    output: Path = args.output
    if output.exists() and not args.force:
        raise CliError(f"{output} already exists; choose another name, or add --force to replace it.")
    context = (args.context or args.dockerfile.parent).resolve()
    project = Project(document=doc, context_dir=context, name=output.stem)
    try:
        save_project(project, output)
    except ProjectFileError as error:
        raise CliError(str(error)) from None
    count = sum(1 for _ in doc.instructions())
    print(f"Imported {count} instructions into {output}.", file=sys.stderr)
    return EXIT_OK


def _render(args: argparse.Namespace) -> int:
    data = render_text(_read_project(args.project).document).encode(ENCODING, ERRORS)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        args.output.write_bytes(data)
    except OSError as error:
        raise CliError(f"Could not write {args.output}: {error.strerror or error}.") from None
    return EXIT_OK


def _lint(args: argparse.Namespace) -> int:
    # Imported here: the window, which this module opens too, starts without the checks (~20 ms).
    from desktop.lint import Severity, lint_document

    path: Path = args.file
    context = args.context
    if _is_project(path):
        project = _read_project(path)
        doc, context = project.document, context or project.context_dir
    else:
        doc, context = _read_dockerfile(path), context or path.parent
    report = lint_document(doc, context_dir=context)
    print(_report_json(path, doc, report) if args.json else _report_text(path, doc, report))
    serious = any(f.severity in (Severity.ERROR, Severity.WARNING) for f in report.findings)
    return EXIT_FINDINGS if serious else EXIT_OK


def _read_dockerfile(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"There is no file {path}; check the name and the folder.") from None
    except IsADirectoryError:
        raise CliError(
            f"{path} is a folder; give the Dockerfile inside it, e.g. {path / 'Dockerfile'}."
        ) from None
    except OSError as error:
        raise CliError(f"Could not read {path}: {error.strerror or error}.") from None
    try:
        return import_bytes(data)
    except DockerfileSyntaxError as error:
        raise CliError(f"{path}: {error}") from None


def _read_project(path: Path) -> Project:
    try:
        return load_project(path)
    except ProjectFileError as error:
        raise CliError(str(error)) from None


def _is_project(path: Path) -> bool:
    if path.suffix == SUFFIX:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def _kind_of(doc: Document, block_id: str | None) -> str | None:
    if block_id is None:
        return None
    try:
        return doc.blocks[doc.find(block_id)].kind.value
    except KeyError:
        return None


def _report_text(path: Path, doc: Document, report: LintReport) -> str:
    if not report.findings:
        return f"{path}: no problems found."
    lines = []
    for f in report.findings:
        where = f"{path}:{f.line}" if f.line else str(path)
        lines.append(f"{where}: {f.severity.value} {f.code}: {f.title}")
        lines.append(f"    {f.explanation}")
        if f.message and f.message != f.title:
            lines.append(f"    ({f.message})")
        if f.link:
            lines.append(f"    More: {f.link}")
    counts = report.counts()
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    lines.append(f"{len(report.findings)} findings: {summary}.")
    return "\n".join(lines)


def _report_json(path: Path, doc: Document, report: LintReport) -> str:
    status = report.hadolint_status
    payload = {
        "file": str(path),
        "hadolint": {"state": status.state.value, "message": status.message},
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "line": f.line,
                "block_id": f.block_id,
                "block_kind": _kind_of(doc, f.block_id),
                "title": f.title,
                "message": f.message,
                "explanation": f.explanation,
                "link": f.link,
            }
            for f in report.findings
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _log_unexpected(error: BaseException) -> Path:
    folder = user_data_dir()
    log = folder / "dockblocks.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
    except OSError:
        logging.getLogger(__name__).exception("could not write the log file")
    return log


def _run(args: argparse.Namespace) -> int:
    from desktop.cli_run import run_command

    return run_command(args)


def _build(args: argparse.Namespace) -> int:
    from desktop.cli_build import build_command

    return build_command(args)


_COMMANDS = {"import": _import, "render": _render, "lint": _lint, "run": _run, "build": _build}


if __name__ == "__main__":
    sys.exit(main())
