"""A real image registry on 127.0.0.1 for pull tests: Debian's ``docker-registry`` (CNCF distribution).

The engine trusts 127.0.0.0/8 without TLS, so images pushed to ``127.0.0.1:PORT/name:tag`` can be pulled
back with real per-layer progress and nothing from outside.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

REGISTRY = shutil.which("docker-registry") or "/usr/bin/docker-registry"


def why_no_registry() -> str | None:
    """Why no registry can run here, or None."""
    if not os.access(REGISTRY, os.X_OK):
        return "Debian's docker-registry is not installed (apt-get install docker-registry)"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextlib.contextmanager
def local_registry(folder: Path, timeout: float = 20.0) -> Iterator[str]:
    """Runs a registry storing into ``folder`` until the block ends; yields its ``127.0.0.1:PORT``.

    Raises:
        RuntimeError: it did not answer ``/v2/`` in time (with its log).
    """
    port = free_port()
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        "log:\n  level: warn\n"
        f"storage:\n  filesystem:\n    rootdirectory: {folder / 'storage'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
    )
    log_path = folder / "registry.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen([REGISTRY, "serve", str(config)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/v2/", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline or process.poll() is not None:
                    raise RuntimeError(f"the registry did not start: {log_path.read_text()}") from None
                time.sleep(0.1)
        yield f"127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
