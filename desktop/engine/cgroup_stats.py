"""CPU and memory counters of a local engine's containers, read from their cgroups as the engine reads them.

The engine's own stats answer (``GET /containers/{id}/stats``) reads these same files and adds an HTTP
round, JSON and a wait for its collector's next round: for a hundred instances a second that costs the
engine more than the reading itself. When the engine runs on this machine (a ``unix://`` socket) and a
container's cgroup is found here, its counters are read directly: the kernel's files, a few microseconds
each, no engine time at all. Where they are not found (an engine in a virtual machine, as Docker Desktop's,
or a cgroup layout not known here) the sampler asks the engine, as before.

The readings are shaped as the engine's stats answer (the fields :mod:`desktop.engine.sampler` reads), with
the same formulas: the system's CPU time is the sum of ``/proc/stat``'s first ``cpu`` line in nanoseconds,
memory usage is the cgroup's usage (its inactive file cache is subtracted by the sampler).
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path("/sys/fs/cgroup")
NANOSECONDS_PER_TICK = 1_000_000_000 // os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class CgroupFiles:
    """Where one container's counters are: cgroup v1 (``cpuacct`` and ``memory``) or v2 (one folder)."""

    cpu: Path  # cpuacct.usage (v1, nanoseconds) or cpu.stat (v2, usage_usec)
    memory: Path  # memory.usage_in_bytes (v1) or memory.current (v2)
    memory_stat: Path
    v2: bool


def find(container: str, root: Path = ROOT) -> CgroupFiles | None:
    """The counter files of ``container`` on this machine (cgroupfs or systemd driver, v1 or v2), or None."""
    scope = f"docker-{container}.scope"
    if (root / "cgroup.controllers").exists():  # v2: one tree
        for folder in (root / "system.slice" / scope, root / "docker" / container):
            if (folder / "cpu.stat").exists():
                return CgroupFiles(
                    folder / "cpu.stat", folder / "memory.current", folder / "memory.stat", True
                )
        return None
    for cpu_tree in ("cpuacct", "cpu,cpuacct"):
        for parent in (Path("docker") / container, Path("system.slice") / scope):
            cpu = root / cpu_tree / parent / "cpuacct.usage"
            memory = root / "memory" / parent
            if cpu.exists() and (memory / "memory.usage_in_bytes").exists():
                return CgroupFiles(cpu, memory / "memory.usage_in_bytes", memory / "memory.stat", False)
    return None


def system_cpu_nanoseconds(proc_stat: Path = Path("/proc/stat")) -> int:
    """The machine's CPU time so far, as the engine counts it (the ``cpu`` line's seven first fields)."""
    with proc_stat.open() as stat:
        fields = stat.readline().split()
    return sum(int(value) for value in fields[1:8]) * NANOSECONDS_PER_TICK


def _contents(path: Path) -> bytes:
    # Bytes in one unbuffered read: a hundred instances are three hundred small files a second, and text
    # decoding and line splitting were most of reading them.
    with open(path, "rb", buffering=0) as handle:
        return handle.read()


def _number_after(data: bytes, key: bytes) -> int | None:
    """The number on the line ``key number`` of a cgroup stat file, None without such a line."""
    at = data.find(b"\n" + key + b" ")
    if at >= 0:
        at += 1
    elif data.startswith(key + b" "):
        at = 0
    else:
        return None
    end = data.find(b"\n", at)
    return int(data[at + len(key) + 1 : end if end >= 0 else len(data)])


def read(files: CgroupFiles, system_cpu: int, online_cpus: int) -> dict[str, Any]:
    """One reading of a container, shaped as the engine's stats answer.

    Raises:
        OSError: the files are gone (the container stopped) or unreadable.
        ValueError: a file does not say what it should.
    """
    if files.v2:
        usage = _number_after(_contents(files.cpu), b"usage_usec")
        if usage is None:
            raise ValueError(f"no CPU usage in {files.cpu}")
        cpu_total = usage * 1000
        inactive_key = "inactive_file"
    else:
        cpu_total = int(_contents(files.cpu))
        inactive_key = "total_inactive_file"
    memory = int(_contents(files.memory))
    inactive = _number_after(_contents(files.memory_stat), inactive_key.encode())
    stats = {} if inactive is None else {inactive_key: inactive}
    return {
        "cpu_stats": {
            "cpu_usage": {"total_usage": cpu_total},
            "system_cpu_usage": system_cpu,
            "online_cpus": online_cpus,
        },
        "memory_stats": {"usage": memory, "stats": stats},
    }


def read_many(
    containers: Iterable[str], known: dict[str, CgroupFiles | None], root: Path = ROOT
) -> dict[str, dict[str, Any] | None]:
    """Readings of ``containers`` in one go (blocking: a worker thread runs it once per tick).

    ``known`` caches where each container's files are (None: not on this machine); a container whose
    files are gone is forgotten there and answered None, as one not found: the engine is asked instead.
    """
    system_cpu = system_cpu_nanoseconds()
    online = os.cpu_count() or 1
    readings: dict[str, dict[str, Any] | None] = {}
    for container in containers:
        if container not in known:
            known[container] = find(container, root)
        files = known[container]
        if files is None:
            readings[container] = None
            continue
        try:
            readings[container] = read(files, system_cpu, online)
        except (OSError, ValueError):
            known.pop(container, None)
            readings[container] = None
    return readings
