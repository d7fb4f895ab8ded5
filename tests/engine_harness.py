"""A private, real Docker Engine for the tests (see /work/shared/ENGINE.md and tests/conftest.py).

It never touches a user's own engine: its own socket, data root, exec root, pid file and an empty
daemon.json; its own Linux bridge and subnet with ``--iptables=false`` (so it neither shares ``docker0``
nor rewrites the DOCKER iptables chains of another engine, which every dockerd flushes at start); outbound
NAT for its containers comes from one MASQUERADE rule of ours, tagged with a comment and removed at stop.
Several test sessions on one machine can each run their own engine at the same time.
"""

from __future__ import annotations

import contextlib
import fcntl
import ipaddress
import json
import os
import random
import secrets
import shlex
import shutil
import signal
import socket as sock
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

TEST_LABEL = "org.dockblocks.test"
"""Label key on everything the tests make; the base image has it too."""

BASE_IMAGE = "dockblocks-test/busybox:latest"
BUSYBOX = Path("/bin/busybox")
BASE_DOCKERFILE = """\
FROM scratch
COPY busybox /bin/busybox
RUN ["/bin/busybox", "--install", "-s", "/bin"]
CMD ["/bin/sh"]
"""

_DIR_PREFIX = "dockblocks-engine-"
_STATE_FILE = "harness.json"
_LOCK_FILE = Path(tempfile.gettempdir()) / "dockblocks-engine.lock"
_SUBNET_POOL = ipaddress.ip_network("10.199.0.0/16")
_READY_TIMEOUT = 60.0
_STOP_TIMEOUT = 30.0


def find_dockerd() -> str | None:
    return shutil.which("dockerd") or next(
        (p for p in ("/usr/sbin/dockerd", "/usr/bin/dockerd") if os.access(p, os.X_OK)), None
    )


def why_no_engine() -> str | None:
    """Returns why no private engine can start here, or None when it can (checked without starting it)."""
    if os.environ.get("DOCKBLOCKS_TEST_NO_ENGINE"):
        return "DOCKBLOCKS_TEST_NO_ENGINE is set"
    if sys.platform != "linux":
        return f"a private dockerd needs Linux (this is {sys.platform})"
    if os.geteuid() != 0:
        return f"a private dockerd needs root (running as uid {os.geteuid()}); ./run-tests as root starts one"
    if find_dockerd() is None:
        return "no dockerd on PATH nor in /usr/sbin (apt-get install docker.io)"
    if shutil.which("ip") is None:
        return "no `ip` command for the engine's own bridge (apt-get install iproute2)"
    if not _is_static_elf(BUSYBOX):
        return f"{BUSYBOX} is missing or not statically linked (apt-get install busybox-static)"
    try:
        import docker  # noqa: F401
    except ImportError as error:
        return f"docker-py is not importable: {error}"
    return None


@dataclass
class PrivateEngine:
    """A running private dockerd. Start it with :func:`start_engine`; :meth:`stop` is idempotent."""

    root: Path
    base_url: str
    bridge: str
    subnet: str
    process: subprocess.Popen[bytes]
    log_path: Path
    client: Any = None
    """docker.DockerClient bound to this engine only."""
    api: Any = None
    """docker.APIClient bound to this engine only (streaming build/pull/events)."""
    base_image: str = BASE_IMAGE
    artifacts_log: Path | None = None
    startup_seconds: float = 0.0
    _stopped: bool = field(default=False, repr=False)
    _old_sigterm: Any = field(default=None, repr=False)

    @property
    def labels(self) -> dict[str, str]:
        return {TEST_LABEL: "1"}

    def env(self, base: dict[str, str] | None = None) -> dict[str, str]:
        """An environment for a subprocess that must talk to this engine (docker CLI, the app's CLI).

        DOCKER_HOST points here, DOCKER_CONFIG to an empty config of ours, and DOCKER_CONTEXT and TLS
        variables are dropped, so nothing reaches the user's own engine. os.environ itself is left alone.
        """
        env = dict(os.environ if base is None else base)
        for name in ("DOCKER_CONTEXT", "DOCKER_TLS_VERIFY", "DOCKER_CERT_PATH"):
            env.pop(name, None)
        env["DOCKER_HOST"] = self.base_url
        env["DOCKER_CONFIG"] = str(self.root / "docker-config")
        return env

    def log_tail(self, lines: int = 40) -> str:
        try:
            text = self.log_path.read_text(errors="replace").splitlines()
        except OSError as error:
            return f"(no dockerd log: {error})"
        return "\n".join(text[-lines:])

    def start_again(self, wait: bool = True) -> None:
        """The same dockerd command line again, same socket and data (``systemctl start docker``).

        With ``wait``, returns once it answers ``/_ping``; without, at once (a test of reconnecting).
        """
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(
                list(self.process.args),  # type: ignore[arg-type]
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                preexec_fn=_die_with_parent,
            )
        if wait:
            _wait_ready(self, Path(self.base_url.removeprefix("unix://")), time.monotonic())

    def stop(self) -> None:
        """Stops dockerd and its helpers, removes its bridge, rules and folder; keeps a copy of the log."""
        if self._stopped:
            return
        self._stopped = True
        for handle in (self.client, self.api):
            if handle is not None:
                with contextlib.suppress(Exception):
                    handle.close()
        _terminate(self.process, _STOP_TIMEOUT)
        if self._old_sigterm is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._old_sigterm)
        if self.artifacts_log is not None:
            with contextlib.suppress(OSError):
                self.artifacts_log.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(self.log_path, self.artifacts_log)
        _clean_up(self.root, self.bridge, self.subnet)


def kept_log_path(folder: Path, keep: int = 10) -> Path:
    """A new name for a copy of dockerd.log in ``folder``, dropping all but the newest ``keep`` - 1 copies.

    Names carry the time and the pid: sessions of several developers may share one checkout.
    """
    with contextlib.suppress(OSError):
        for old in sorted(folder.glob("dockerd-*.log"))[: -(keep - 1) or None]:
            old.unlink()
    return folder / f"dockerd-{time.strftime('%Y%m%d-%H%M%S')}-{os.getpid()}.log"


def start_engine(artifacts_log: Path | None = None) -> PrivateEngine:
    """Starts a private dockerd, waits until it answers, and builds the busybox base image.

    Raises:
        RuntimeError: with the reason and the tail of dockerd.log when the engine does not come up.
    """
    import docker

    dockerd = find_dockerd()
    assert dockerd is not None
    with _machine_lock():
        _sweep_stale()
        root = _make_engine_dir()
        _write_state(root, 0, "", "")  # claims the folder for this process before anything else exists
        try:
            bridge, subnet = _make_bridge(root)
        except BaseException:
            shutil.rmtree(root, ignore_errors=True)
            raise
    (root / "docker-config").mkdir()
    (root / "docker-config" / "config.json").write_text("{}\n")
    (root / "daemon.json").write_text("{}\n")  # so /etc/docker/daemon.json of the machine does not apply
    log_path = root / "dockerd.log"
    socket = root / "docker.sock"
    args = [
        dockerd,
        f"--host=unix://{socket}",
        f"--data-root={root / 'data'}",
        f"--exec-root={root / 'exec'}",
        f"--pidfile={root / 'docker.pid'}",
        f"--config-file={root / 'daemon.json'}",
        f"--bridge={bridge}",
        "--iptables=false",
        f"--containerd-namespace=dockblocks-{root.name[-8:]}",
        f"--containerd-plugins-namespace=dockblocks-{root.name[-8:]}-plugins",
        "--shutdown-timeout=10",
    ]
    started = time.monotonic()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            args,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # a Ctrl-C in the terminal reaches pytest, which then stops us in order
            preexec_fn=_die_with_parent,
        )
    _write_state(root, process.pid, bridge, subnet)
    _add_nat(root, bridge, subnet)
    engine = PrivateEngine(
        root, f"unix://{socket}", bridge, subnet, process, log_path, artifacts_log=artifacts_log
    )
    atexit_stop = _AtExitStop(engine)
    try:
        _wait_ready(engine, socket, started)
        engine.client = docker.DockerClient(base_url=engine.base_url, version="auto", timeout=120)
        engine.api = engine.client.api
        engine.startup_seconds = time.monotonic() - started
        _build_base_image(engine)
    except BaseException:
        engine.stop()
        raise
    engine._old_sigterm = atexit_stop.install_sigterm()
    return engine


class _AtExitStop:
    """Stops the engine at interpreter exit and turns SIGTERM into KeyboardInterrupt, so teardown runs."""

    def __init__(self, engine: PrivateEngine) -> None:
        import atexit

        self.engine = engine
        atexit.register(engine.stop)

    def install_sigterm(self) -> Any:
        if threading.current_thread() is not threading.main_thread():
            return None
        previous = signal.getsignal(signal.SIGTERM)
        if previous not in (signal.SIG_DFL, None):
            return None

        def interrupt(signum: int, frame: Any) -> None:
            raise KeyboardInterrupt(f"signal {signum}: stopping the private dockerd")

        signal.signal(signal.SIGTERM, interrupt)
        return previous


def _wait_ready(engine: PrivateEngine, socket_path: Path, started: float) -> None:
    last_error: Exception | None = None
    while time.monotonic() - started < _READY_TIMEOUT:
        if engine.process.poll() is not None:
            raise RuntimeError(
                f"private dockerd exited with code {engine.process.returncode} before answering; "
                f"tail of {engine.log_path}:\n{engine.log_tail()}"
            )
        try:
            if _ping(socket_path):
                return
        except OSError as error:  # not listening yet
            last_error = error
        time.sleep(0.2)
    raise RuntimeError(
        f"private dockerd did not answer /_ping within {_READY_TIMEOUT:.0f} s (last error: {last_error}); "
        f"tail of {engine.log_path}:\n{engine.log_tail()}"
    )


def _ping(socket_path: Path) -> bool:
    """GET /_ping on the unix socket without docker-py, whose client asks /version as it is made."""
    with sock.socket(sock.AF_UNIX, sock.SOCK_STREAM) as conn:
        conn.settimeout(5)
        conn.connect(str(socket_path))
        conn.sendall(b"GET /_ping HTTP/1.0\r\nHost: docker\r\n\r\n")
        reply = b""
        while chunk := conn.recv(4096):
            reply += chunk
    return reply.startswith(b"HTTP/1.") and b" 200 " in reply.split(b"\r\n", 1)[0] and reply.endswith(b"OK")


def _build_base_image(engine: PrivateEngine) -> None:
    context = engine.root / "base-context"
    context.mkdir()
    shutil.copy2(BUSYBOX, context / "busybox")
    (context / "Dockerfile").write_text(BASE_DOCKERFILE)
    errors = [
        item["errorDetail"].get("message", str(item["errorDetail"]))
        for item in engine.api.build(
            path=str(context), tag=engine.base_image, labels=engine.labels, rm=True, forcerm=True, decode=True
        )
        if "errorDetail" in item
    ]
    if errors:
        raise RuntimeError(f"building {engine.base_image} failed: {'; '.join(errors)}")
    engine.client.images.get(engine.base_image)


def _make_engine_dir() -> Path:
    """A new private folder named with 8 hex digits, which also name the bridge and containerd namespace.

    (mkdtemp names may hold "_", which containerd refuses in a namespace next to "-".)
    """
    while True:
        root = Path(_short_tmp()) / f"{_DIR_PREFIX}{secrets.token_hex(4)}"
        try:
            root.mkdir(mode=0o700)
        except FileExistsError:
            continue
        return root


def _make_bridge(root: Path) -> tuple[str, str]:
    """Creates a bridge named after the engine folder, on a /24 of 10.199.0.0/16 no route uses yet."""
    taken = _routed_networks()
    candidates = [
        net for net in _SUBNET_POOL.subnets(new_prefix=24) if not any(net.overlaps(t) for t in taken)
    ]
    if not candidates:
        raise RuntimeError(f"no free /24 left in {_SUBNET_POOL} for a private engine bridge")
    subnet = random.choice(candidates)
    bridge = "dbk" + root.name[-8:]  # unique like the folder; interface names stop at 15 characters
    gateway = f"{next(subnet.hosts())}/{subnet.prefixlen}"
    _run(["ip", "link", "add", bridge, "type", "bridge"])
    try:
        _run(["ip", "addr", "add", gateway, "dev", bridge])
        _run(["ip", "link", "set", bridge, "up"])
    except BaseException:
        _run(["ip", "link", "del", bridge], check=False)
        raise
    return bridge, str(subnet)


def _routed_networks() -> list[ipaddress.IPv4Network]:
    out = subprocess.run(["ip", "-4", "route", "show", "table", "all"], capture_output=True, text=True).stdout
    nets = []
    for line in out.splitlines():
        word = line.split()[0] if line.split() else ""
        if word in ("broadcast", "local"):
            word = line.split()[1]
        with contextlib.suppress(ValueError):
            net = ipaddress.ip_network(word, strict=False)
            if isinstance(net, ipaddress.IPv4Network) and net.prefixlen > 0:
                nets.append(net)
    return nets


def _nat_rules(root: Path, bridge: str, subnet: str) -> list[tuple[str, str, list[str]]]:
    comment = ["-m", "comment", "--comment", f"dockblocks-test {root.name}"]
    established = ["-m", "conntrack", "--ctstate", "RELATED,ESTABLISHED"]
    return [
        ("nat", "POSTROUTING", ["-s", subnet, "!", "-o", bridge, *comment, "-j", "MASQUERADE"]),
        ("filter", "FORWARD", ["-i", bridge, *comment, "-j", "ACCEPT"]),
        ("filter", "FORWARD", ["-o", bridge, *established, *comment, "-j", "ACCEPT"]),
    ]


def _add_nat(root: Path, bridge: str, subnet: str) -> None:
    """Outbound NAT for the containers (apt-get from Debian's mirror); best effort: ports work without it."""
    if shutil.which("iptables") is None:
        return
    for table, chain, rule in _nat_rules(root, bridge, subnet):
        _run(["iptables", "-w", "10", "-t", table, "-I", chain, *rule], check=False)


def _remove_nat(root: Path) -> None:
    """Deletes every rule whose comment names this engine folder (also those of a crashed run)."""
    if shutil.which("iptables") is None:
        return
    tag = f"dockblocks-test {root.name}"
    for table, chain in (("nat", "POSTROUTING"), ("filter", "FORWARD")):
        listing = subprocess.run(
            ["iptables", "-w", "10", "-t", table, "-S", chain], capture_output=True, text=True
        ).stdout
        for line in listing.splitlines():
            words = shlex.split(line)
            if words[:1] == ["-A"] and tag in words:
                _run(["iptables", "-w", "10", "-t", table, "-D", *words[1:]], check=False)


def _clean_up(root: Path, bridge: str, subnet: str) -> None:
    _kill_processes_under(root)
    _unmount_under(root)
    _run(["ip", "link", "del", bridge], check=False)
    _remove_nat(root)
    shutil.rmtree(root, ignore_errors=True)


def _sweep_stale() -> None:
    """Cleans up after sessions that died without stopping their engine (SIGKILL, power cut)."""
    base = Path(_short_tmp())
    for state_file in base.glob(f"{_DIR_PREFIX}*/{_STATE_FILE}"):
        try:
            state = json.loads(state_file.read_text())
        except (OSError, ValueError):
            continue
        if _alive(int(state.get("owner", 0))):
            continue
        _clean_up(state_file.parent, str(state.get("bridge", "")), str(state.get("subnet", "")))


def _write_state(root: Path, dockerd_pid: int, bridge: str, subnet: str) -> None:
    state = {"owner": os.getpid(), "dockerd": dockerd_pid, "bridge": bridge, "subnet": subnet}
    (root / _STATE_FILE).write_text(json.dumps(state) + "\n")


def _terminate(process: subprocess.Popen[bytes], timeout: float) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _kill_processes_under(root: Path) -> None:
    """Ends containerd, shims and proxies whose command line names the engine folder."""
    marker = str(root).encode()
    for _ in range(2):
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit() or int(entry.name) == os.getpid():
                continue
            try:
                if marker in (entry / "cmdline").read_bytes():
                    pids.append(int(entry.name))
            except OSError:
                continue
        if not pids:
            return
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in pids) and time.monotonic() < deadline:
            time.sleep(0.1)
        for pid in pids:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)


def _unmount_under(root: Path) -> None:
    try:
        lines = Path("/proc/self/mountinfo").read_text().splitlines()
    except OSError:
        return
    prefix = str(root) + "/"
    points = [_unescape(line.split()[4]) for line in lines if len(line.split()) > 4]
    for point in sorted((p for p in points if p.startswith(prefix)), key=len, reverse=True):
        _run(["umount", "-l", point], check=False)


def _unescape(field_text: str) -> str:
    return field_text.encode().decode("unicode_escape") if "\\" in field_text else field_text


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie is not alive
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


@contextlib.contextmanager
def _machine_lock() -> Any:
    """Serialises subnet choice and stale sweeps between test sessions on one machine."""
    with _LOCK_FILE.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _short_tmp() -> str:
    # Unix socket paths are limited to 108 bytes, and containerd nests its sockets under the exec root.
    return "/tmp" if os.path.isdir("/tmp") and os.access("/tmp", os.W_OK) else tempfile.gettempdir()


def _load_prctl() -> Any:
    try:
        import ctypes

        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _load_prctl()


def _die_with_parent() -> None:
    """In the child before exec: SIGTERM dockerd if the pytest process dies without stopping it."""
    if _PRCTL is not None:  # best effort; the stale sweep of the next session cleans up too
        pr_set_pdeathsig = 1
        _PRCTL(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)


def _is_static_elf(path: Path) -> bool:
    """True for an ELF executable without a program interpreter (PT_INTERP), i.e. statically linked."""
    try:
        with path.open("rb") as handle:
            header = handle.read(64)
            if header[:4] != b"\x7fELF" or header[4] != 2:  # 64-bit only, which is what Debian ships here
                return False
            endian = "<" if header[5] == 1 else ">"
            (phoff,) = struct.unpack_from(endian + "Q", header, 0x20)
            phentsize, phnum = struct.unpack_from(endian + "HH", header, 0x36)
            handle.seek(phoff)
            table = handle.read(phentsize * phnum)
    except OSError:
        return False
    pt_interp = 3
    return all(struct.unpack_from(endian + "I", table, i * phentsize)[0] != pt_interp for i in range(phnum))


def _run(args: list[str], check: bool = True) -> None:
    result = subprocess.run(args, capture_output=True, text=True)
    if check and result.returncode != 0:
        raise RuntimeError(f"{shlex.join(args)} failed ({result.returncode}): {result.stderr.strip()}")


CASE_LABEL = "org.dockblocks.test.case"
"""Label key naming one test; :func:`remove_labelled` removes what carries its value."""


def remove_labelled(engine: PrivateEngine, key: str, value: str) -> list[str]:
    """Removes containers, images, volumes and networks labelled ``key=value``; returns what failed."""
    selector = {"label": f"{key}={value}"}
    problems: list[str] = []
    client = engine.client
    for container in client.containers.list(all=True, filters=selector):
        try:
            container.remove(force=True, v=True)
        except Exception as error:
            problems.append(f"container {container.short_id}: {error}")
    for image in client.images.list(all=True, filters=selector):
        try:
            client.images.remove(image.id, force=True)
        except Exception as error:
            if getattr(error, "status_code", None) != 404:  # already gone with a labelled child
                problems.append(f"image {image.short_id}: {error}")
    for volume in client.volumes.list(filters=selector):
        try:
            volume.remove(force=True)
        except Exception as error:
            problems.append(f"volume {volume.name}: {error}")
    for network in client.networks.list(filters=selector):
        try:
            network.remove()
        except Exception as error:
            problems.append(f"network {network.name}: {error}")
    return problems
