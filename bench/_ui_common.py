"""Shared pieces of the window benchmarks (bench/ui_*.py): a realistic 300-block project, a display to run
on (a private Xvfb when installed, else Qt's offscreen platform), a private home folder, statistics,
memory readings and a one-line description of the machine.

Import this module before anything imports Qt: :func:`use_display` sets ``QT_QPA_PLATFORM``.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from desktop.dockerfile import import_text  # noqa: E402
from desktop.project import Project  # noqa: E402

SCREEN = (1280, 800)
_BASES = (
    "python:3.12-slim",
    "node:20-alpine",
    "golang:1.22",
    "alpine:3.20",
    "debian:bookworm-slim",
    "nginx:1.27",
)
_PACKAGES = ("curl", "git", "ca-certificates", "build-essential", "libpq-dev", "tzdata", "openssl", "jq")


# --- the project ---------------------------------------------------------------------------------------


def make_dockerfile(blocks: int = 300, stages: int = 6, seed: int = 7) -> str:
    """A Dockerfile of exactly ``blocks`` blocks in ``stages`` stages, as people write them.

    Each stage has a FROM, then a mix of RUN (some continued over lines), ENV, COPY, WORKDIR, ARG, LABEL,
    EXPOSE, USER, comments and blank lines; the last stage copies from the first and ends with CMD.
    """
    pick = random.Random(seed)
    head = ["# syntax=docker/dockerfile:1", "ARG VERSION=1.0"]
    tail = ["COPY --from=stage0 /app /app", 'CMD ["python", "app.py"]']
    body = blocks - len(head) - len(tail) - stages  # what the stages hold besides their FROM
    pieces = list(head)
    for stage in range(stages):
        pieces.append(f"FROM {_BASES[stage % len(_BASES)]} AS stage{stage}")
        share = body // stages + (1 if stage < body % stages else 0)
        for step in range(share):
            piece = _instruction(pick, stage, step)
            # Blank lines in a row make one block, and so do comment lines in a row.
            while _same_run(piece, pieces[-1]):
                piece = _instruction(pick, stage, step)
            pieces.append(piece)
    pieces.extend(tail)
    return "\n".join(pieces) + "\n"


def _same_run(piece: str, before: str) -> bool:
    return (piece == "" and before == "") or (piece.startswith("#") and before.startswith("#"))


def _instruction(pick: random.Random, stage: int, step: int) -> str:
    roll = pick.random()
    package = pick.choice(_PACKAGES)
    if roll < 0.30:
        if pick.random() < 0.3:
            return (
                "RUN apt-get update && \\\n"
                f"    apt-get install -y --no-install-recommends {package} && \\\n"
                "    rm -rf /var/lib/apt/lists/*"
            )
        return f"RUN echo 'step {stage}.{step}' && mkdir -p /opt/s{stage}/d{step}"
    if roll < 0.45:
        return f'ENV APP_{stage}_{step}="value {step}" MODE_{step}=production'
    if roll < 0.55:
        return f"COPY src/part{step}/ /app/part{step}/"
    if roll < 0.62:
        return f"WORKDIR /app/s{stage}"
    if roll < 0.68:
        return f"ARG OPTION_{step}=on"
    if roll < 0.74:
        return f'LABEL org.example.step{step}="stage {stage}"'
    if roll < 0.79:
        return f"EXPOSE {8000 + step}"
    if roll < 0.82:
        return "USER app"
    if roll < 0.95:
        return f"# Step {step} of stage {stage}: {package} for the app"
    return ""


def make_project(blocks: int = 300, stages: int = 6, seed: int = 7) -> Project:
    """The project of :func:`make_dockerfile`, imported as the window would (no build folder)."""
    document = import_text(make_dockerfile(blocks, stages, seed))
    if len(document.blocks) != blocks:
        raise RuntimeError(f"the generated Dockerfile made {len(document.blocks)} blocks, not {blocks}")
    return Project(document=document, name="bench")


# --- where the window runs ------------------------------------------------------------------------------


@contextlib.contextmanager
def use_display(choice: str = "auto") -> Iterator[str]:
    """Set up Qt's platform for this process and its children; yields "xcb (Xvfb :N)" or "offscreen".

    Args:
        choice: "xvfb" (fail without it), "offscreen", or "auto" (Xvfb when installed, else offscreen).
    """
    for name in ("QT_SCALE_FACTOR", "QT_SCREEN_SCALE_FACTORS", "QT_QPA_PLATFORMTHEME", "WAYLAND_DISPLAY"):
        os.environ.pop(name, None)
    if choice == "offscreen" or (choice == "auto" and shutil.which("Xvfb") is None):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        yield "offscreen"
        return
    if shutil.which("Xvfb") is None:
        sys.exit("Xvfb is not installed (apt-get install xvfb), or choose --display offscreen")
    server, display = _start_xvfb()
    os.environ["QT_QPA_PLATFORM"] = "xcb"
    os.environ["DISPLAY"] = display
    try:
        yield f"xcb (Xvfb {display}, {SCREEN[0]}x{SCREEN[1]})"
    finally:
        server.terminate()
        server.wait(timeout=10)


def _start_xvfb() -> tuple[subprocess.Popen[bytes], str]:
    read_end, write_end = os.pipe()
    size = f"{SCREEN[0]}x{SCREEN[1]}x24"
    server = subprocess.Popen(
        ["Xvfb", "-displayfd", str(write_end), "-screen", "0", size, "-nolisten", "tcp", "-noreset"],
        pass_fds=(write_end,),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    os.close(write_end)
    with os.fdopen(read_end) as numbers:
        number = numbers.readline().strip()  # written once the server listens
    if not number:
        server.kill()
        sys.exit("Xvfb did not start")
    return server, f":{number}"


@contextlib.contextmanager
def private_home() -> Iterator[Path]:
    """A temporary home and XDG folders for this process and its children: no settings, recent files or
    recovery copies of the person running the benchmark are read or written.

    Child processes keep compiled bytecode (in the temporary folder, not in the checkout) even where the
    environment says PYTHONDONTWRITEBYTECODE: an installed Dockblocks, like PySide6 itself, starts from
    cached bytecode, and recompiling 60 modules at every start would measure the sandbox, not the app.
    """
    with tempfile.TemporaryDirectory(prefix="dockblocks-bench-") as folder:
        home = Path(folder)
        runtime = home / "runtime"
        runtime.mkdir(mode=0o700)
        os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
        os.environ.update(
            {
                "PYTHONPYCACHEPREFIX": str(home / "pycache"),
                "HOME": str(home),
                "XDG_CONFIG_HOME": str(home / ".config"),
                "XDG_DATA_HOME": str(home / ".local/share"),
                "XDG_CACHE_HOME": str(home / ".cache"),
                "XDG_RUNTIME_DIR": str(runtime),
                "LANGUAGE": "en",
            }
        )
        yield home


# --- figures -----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which ``share`` (0..1) of the values lie (linear interpolation)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    spot = (len(ordered) - 1) * share
    low = int(spot)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (spot - low)


def median(values: Sequence[float]) -> float:
    return statistics.median(values) if values else float("nan")


def memory_kib() -> dict[str, int]:
    """This process's resident memory in KiB: ``rss`` (VmRSS) and ``uss`` (its private pages only).

    USS comes from psutil when it is installed (never a dependency of Dockblocks), else from
    /proc/self/smaps_rollup (Private_Clean + Private_Dirty + Private_Hugetlb), which psutil reads too.
    """
    found: dict[str, int] = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                found["rss"] = int(line.split()[1])
    if uss_source() == "psutil":
        import psutil  # type: ignore[import-untyped]

        found["uss"] = int(psutil.Process().memory_full_info().uss) // 1024
        return found
    private = 0
    with contextlib.suppress(OSError), open("/proc/self/smaps_rollup", encoding="ascii") as rollup:
        for line in rollup:
            if line.startswith(("Private_Clean:", "Private_Dirty:", "Private_Hugetlb:")):
                private += int(line.split()[1])
    if private:
        found["uss"] = private
    return found


def uss_source() -> str:
    """Where :func:`memory_kib` reads USS from: "psutil" or "smaps_rollup"."""
    try:
        import psutil  # noqa: F401
    except ImportError:
        return "smaps_rollup"
    return "psutil"


def machine() -> str:
    """CPU, cores, OS, Python and Qt versions, on one line."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError), open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    try:
        import PySide6

        qt = f"PySide6 {PySide6.__version__}"
    except ImportError:
        qt = "no PySide6"
    return (
        f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}, {qt}"
    )


def run_child(script: Path, *args: str, timeout: float = 900) -> dict[str, Any]:
    """Run ``script --child args`` with this interpreter and environment; the JSON its last line prints.

    The window runs in a child process, so the parent can stop the X server only after Qt has let go of it.
    """
    done = subprocess.run(
        [sys.executable, str(script), "--child", *args], capture_output=True, text=True, timeout=timeout
    )
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        sys.exit(f"{script.name} --child failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(lines[-1])
    for line in lines[:-1]:
        print(line)  # the child's notes
    return result
