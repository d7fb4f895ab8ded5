"""Run settings without an engine: reading what users type, the checks, and the equivalent command line."""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest

from desktop.engine.ports_in_use import PortsInUse, engine_is_local
from desktop.engine.run_command import command_line
from desktop.engine.run_spec import (
    PortMapping,
    RestartPolicy,
    RunSpec,
    Severity,
    SpecTextError,
    VolumeMount,
    check_spec,
    memory_text,
    parse_env,
    parse_memory,
    parse_port,
    parse_volume,
    say,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("80", PortMapping(80)),
        ("8080:80", PortMapping(80, 8080)),
        ("8080:80/udp", PortMapping(80, 8080, "udp")),
        ("127.0.0.1:8080:80", PortMapping(80, 8080, "tcp", "127.0.0.1")),
        ("127.0.0.1::80", PortMapping(80, None, "tcp", "127.0.0.1")),
        (" 5000:5000 ", PortMapping(5000, 5000)),
    ],
)
def test_ports_are_read_in_the_cli_syntax_and_written_back(text: str, expected: PortMapping) -> None:
    assert parse_port(text) == expected
    assert parse_port(expected.text()) == expected


@pytest.mark.parametrize("text", ["", "abc", "80:", "1:2:3:4", "8080:80/icmp", "0:80"])
def test_unreadable_ports_say_how_to_write_them(text: str) -> None:
    with pytest.raises(SpecTextError) as caught:
        parse_port(text)
    assert "8080:80" in str(caught.value) or "65535" in str(caught.value)


def test_port_out_of_range() -> None:
    with pytest.raises(SpecTextError, match="65535"):
        parse_port("70000:80")


def test_env_and_volume_and_memory_texts() -> None:
    assert parse_env("A=b=c") == ("A", "b=c")
    assert parse_env("EMPTY=") == ("EMPTY", "")
    with pytest.raises(SpecTextError, match="equals"):
        parse_env("NOVALUE")
    with pytest.raises(SpecTextError, match="variable name"):
        parse_env("1A=x")
    assert parse_volume("/srv/data:/data:ro") == VolumeMount("/srv/data", "/data", True)
    assert parse_volume("cache:/cache") == VolumeMount("cache", "/cache")
    assert not parse_volume("cache:/cache").is_bind and parse_volume("./x:/x").is_bind
    with pytest.raises(SpecTextError):
        parse_volume("/only-one-part")
    assert parse_memory("512m") == 512 * 1024**2
    assert parse_memory("1g") == 1024**3
    assert parse_memory("256MB") == 256 * 1024**2
    assert parse_memory("1.5GiB") == int(1.5 * 1024**3)
    assert parse_memory("  ") is None
    with pytest.raises(SpecTextError, match="512m"):
        parse_memory("lots")
    assert memory_text(512 * 1024**2) == "512m" and memory_text(1000) == "1000"


def test_a_full_spec_gives_the_equivalent_quoted_command_line(tmp_path: Path) -> None:
    spec = RunSpec(
        image="dockblocks/app:latest",
        name="web",
        ports=(PortMapping(80, 8080),),
        env=(("GREETING", "hello world"),),
        volumes=(VolumeMount("./site", "/usr/share/site", True), VolumeMount("data", "/data")),
        command="python app.py --name 'my app'",
        restart=RestartPolicy.UNLESS_STOPPED,
        cpus=0.5,
        memory=512 * 1024**2,
        base_dir=tmp_path,
    )
    line = command_line(spec)
    assert shlex.split(line) == [
        "docker", "run", "-d", "--name", "web", "-p", "8080:80", "-e", "GREETING=hello world",
        "-v", f"{tmp_path}/site:/usr/share/site:ro", "-v", "data:/data", "--restart", "unless-stopped",
        "--cpus", "0.5", "--memory", "512m", "--label", "org.dockblocks.created-by=dockblocks",
        "dockblocks/app:latest", "python", "app.py", "--name", "my app",
    ]  # fmt: skip


def test_several_instances_become_a_loop_naming_each() -> None:
    spec = RunSpec(image="app", name="web", ports=(PortMapping(80),), count=3)
    assert command_line(spec, label=False) == (
        'for i in $(seq 1 3); do docker run -d --name "web-$i" -p 80 app; done'
    )
    assert spec.instance_names() == ["web-1", "web-2", "web-3"]
    assert check_spec(spec) == []


def test_checks_name_count_ports_env_command_limits() -> None:
    spec = RunSpec(
        image="app",
        name="-bad",
        ports=(PortMapping(80, 8080), PortMapping(81, 8080)),
        env=(("1X", "y"),),
        command="echo 'unclosed",
        cpus=0,
        memory=1024,
        count=0,
    )
    fields = [(i.field, i.severity) for i in check_spec(spec)]
    assert fields == [
        ("name", Severity.ERROR),
        ("count", Severity.ERROR),
        ("ports", Severity.ERROR),
        ("env", Severity.ERROR),
        ("command", Severity.ERROR),
        ("cpus", Severity.ERROR),
        ("memory", Severity.ERROR),
    ]


def test_a_fixed_host_port_cannot_serve_several_instances() -> None:
    spec = RunSpec(image="app", ports=(PortMapping(80, 18080),), count=2)
    assert [i.message for i in check_spec(spec)] == [say("port.count", port=18080, count=2)]


def test_dangerous_mounts_are_warned_about(tmp_path: Path) -> None:
    spec = RunSpec(
        image="app",
        volumes=(
            VolumeMount("/", "/host"),
            VolumeMount(str(Path.home()), "/home"),
            VolumeMount("/var/run/docker.sock", "/var/run/docker.sock"),
            VolumeMount(str(tmp_path / "new"), "/new"),
            VolumeMount(str(tmp_path), "relative/target"),
        ),
    )
    issues = check_spec(spec)
    assert [(i.severity, i.message) for i in issues] == [
        (Severity.WARNING, say("volume.root")),
        (Severity.WARNING, say("volume.home", path=Path.home())),
        (Severity.WARNING, say("volume.docker_socket", path="/var/run/docker.sock")),
        (Severity.WARNING, say("volume.missing_source", path=tmp_path / "new")),
        (Severity.ERROR, say("volume.target_relative", target="relative/target")),
    ]


def test_snapshot_of_the_engine_is_checked() -> None:
    in_use = PortsInUse(
        published={(18081, "tcp"): "other"},
        names=frozenset({"web"}),
        images=frozenset({"app:latest", "sha256:abcdef0123456789"}),
        engine_is_local=False,  # a remote engine: the host of this machine is not checked
        cpus=2,
    )
    spec = RunSpec(image="app", name="web", ports=(PortMapping(80, 18081),), cpus=4)
    assert [i.message for i in check_spec(spec, in_use, in_use.cpus)] == [
        say("name.taken", name="web"),
        say("port.used_by_instance", port=18081, owner="other"),
        say("cpus.too_many", cpus="4", host=2),
    ]
    assert in_use.has_image("abcdef012345") and not in_use.has_image("missing")


def test_engine_addresses_on_this_machine() -> None:
    assert engine_is_local("http+docker://localhost")
    assert engine_is_local("unix:///var/run/docker.sock")
    assert engine_is_local("tcp://127.0.0.1:2375")
    assert not engine_is_local("http+docker://ssh")
    assert not engine_is_local("https://build.example.org:2376")
