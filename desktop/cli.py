"""The ``dockblocks`` command: import, render and lint without the window.

Errors reach the terminal as one sentence on stderr; details of an unexpected failure go to a log file,
never as a traceback.
"""

from __future__ import annotations

import gc
import importlib
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import desktop
from desktop.paths import PROJECT_SUFFIX as SUFFIX

if TYPE_CHECKING:
    import argparse

# The commands' own modules (the block model, the Dockerfile reader, the project format, the engine) are
# imported when a command runs: ``dockblocks`` with no command opens the window, which needs none of them
# before its first picture (bench/ui_cold_start.py).

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
  dockblocks app{SUFFIX}      (opens the window with that project)
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
    import argparse

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
        if arguments[0].lower().endswith(SUFFIX) and set(arguments[1:]) <= {"--smoke-test"}:
            # A double-clicked project: the Windows installer's association and the .desktop file run this.
            return _open_window("--smoke-test" in arguments, project=Path(arguments[0]))
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


def _open_window(smoke_test: bool = False, project: Path | None = None) -> int:
    """Open the window (PySide6 is imported only now, so the commands work without it)."""
    # Python's automatic collector ran ~40 times during the window's imports and set-up (12 ms of a
    # start of ~430 ms, bench/ui_cold_start.py). The window collects on the GUI thread's timer once the
    # application exists (ui.gc_guard), so automatic collection is off from here; it comes back if the
    # window cannot open, or once it is closed.
    collecting = gc.isenabled()
    gc.disable()
    try:
        try:
            # By name, so the type checker of the core does not wander into the GUI and Qt.
            gui = importlib.import_module("ui.app")
        except ImportError as error:
            from desktop.i18n import format_text, load_texts

            reason = str(error) or type(error).__name__
            raise CliError(format_text(load_texts("window")["launch.no_qt"], reason=reason)) from None
        problem = gui.launch_problem()
        if problem is not None:
            raise CliError(str(problem))
        return int(gui.main(sys.argv[:1], smoke_test=smoke_test, project=project))
    finally:
        if collecting:
            gc.enable()


def _silence_stdout() -> None:
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def _log_unexpected(error: BaseException) -> Path:
    import traceback

    from desktop.paths import user_data_dir

    folder = user_data_dir()
    log = folder / "dockblocks.log"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with log.open("a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
    except OSError:
        logging.getLogger(__name__).exception("could not write the log file")
    return log


def _import(args: argparse.Namespace) -> int:
    from desktop.cli_files import import_command

    return import_command(args)


def _render(args: argparse.Namespace) -> int:
    from desktop.cli_files import render_command

    return render_command(args)


def _lint(args: argparse.Namespace) -> int:
    from desktop.cli_files import lint_command

    return lint_command(args)


def _run(args: argparse.Namespace) -> int:
    from desktop.cli_run import run_command

    return run_command(args)


def _build(args: argparse.Namespace) -> int:
    from desktop.cli_build import build_command

    return build_command(args)


_COMMANDS = {"import": _import, "render": _render, "lint": _lint, "run": _run, "build": _build}


if __name__ == "__main__":
    sys.exit(main())
