"""Reading counters from cgroup files: the v2 layout (this machine runs cgroup v1, so the real engine test
in tests/engine/test_history_engine.py covers v1; a v2 tree is written here as the kernel lays it out)."""

from __future__ import annotations

from pathlib import Path

from desktop.engine.cgroup_stats import find, read_many
from desktop.engine.sampler import memory_usage, reading

CONTAINER = "ab" * 32


def test_a_cgroup_v2_container_reads_as_the_engines_stats(tmp_path: Path) -> None:
    (tmp_path / "cgroup.controllers").write_text("cpu memory pids\n")
    folder = tmp_path / "system.slice" / f"docker-{CONTAINER}.scope"
    folder.mkdir(parents=True)
    (folder / "cpu.stat").write_text("usage_usec 2500000\nuser_usec 2000000\nsystem_usec 500000\n")
    (folder / "memory.current").write_text("10485760\n")
    (folder / "memory.stat").write_text("anon 4194304\nfile 6291456\ninactive_file 2097152\n")
    files = find(CONTAINER, tmp_path)
    assert files is not None and files.v2
    known: dict[str, object] = {}
    readings = read_many([CONTAINER, "cd" * 32], known, tmp_path)  # type: ignore[arg-type]
    stats = readings[CONTAINER]
    assert stats is not None and readings["cd" * 32] is None  # not on this machine: the engine is asked
    counters = reading(stats)
    assert counters is not None and counters.container_cpu == 2_500_000_000 and counters.system_cpu > 0
    assert memory_usage(stats) == 10485760 - 2097152  # usage minus the inactive file cache, as the CLI
    (folder / "cpu.stat").unlink()  # the container stopped: its files are gone
    assert read_many([CONTAINER], known, tmp_path)[CONTAINER] is None  # type: ignore[arg-type]
    assert CONTAINER not in known


def test_a_cgroup_v1_container_reads_the_total_inactive_file_line(tmp_path: Path) -> None:
    # cgroup v1's memory.stat names the cache twice: the cgroup's own (inactive_file) and with its children
    # (total_inactive_file, which the engine subtracts); only the whole line's key may match.
    cpu = tmp_path / "cpuacct" / "docker" / CONTAINER
    memory = tmp_path / "memory" / "docker" / CONTAINER
    cpu.mkdir(parents=True)
    memory.mkdir(parents=True)
    (cpu / "cpuacct.usage").write_text("123456789\n")
    (memory / "memory.usage_in_bytes").write_text("8388608\n")
    (memory / "memory.stat").write_text(
        "cache 4096\ninactive_file 1048576\nactive_file 0\ntotal_cache 4096\ntotal_inactive_file 3145728\n"
    )
    stats = read_many([CONTAINER], {}, tmp_path)[CONTAINER]
    assert stats is not None
    counters = reading(stats)
    assert counters is not None and counters.container_cpu == 123456789
    assert memory_usage(stats) == 8388608 - 3145728
    (memory / "memory.stat").write_text("cache 4096\n")  # no cache line: all of the usage counts
    stats = read_many([CONTAINER], {}, tmp_path)[CONTAINER]
    assert stats is not None and memory_usage(stats) == 8388608
