"""A private engine made a one-machine swarm manager, for the service tests (never the shared ``engine``).

``docker swarm init`` is done through docker-py with everything that could meet another engine on this
machine made private first:

- the swarm's gateway bridge (``docker_gwbridge``, a real Linux bridge with a fixed name) is made by us
  beforehand with a bridge name of this engine's own (``dgw`` + the engine folder's 8 hex digits), as the
  swarm documentation allows; it is deleted when the engine stops, and one left by a run that died is
  deleted the next time (its engine's ``dbk…`` bridge is gone);
- the swarm listens on 127.0.0.1 at a port the system picks (``listen_addr=127.0.0.1:0``).
"""

from __future__ import annotations

import contextlib
import subprocess
from collections.abc import Iterator

import engine_harness
from engine_harness import PrivateEngine


def _links() -> list[str]:
    listing = subprocess.run(["ip", "-br", "link"], capture_output=True, text=True).stdout
    return [line.split()[0].split("@")[0] for line in listing.splitlines() if line.split()]


def _sweep_gateway_bridges() -> None:
    links = set(_links())
    for link in links:
        if link.startswith("dgw") and f"dbk{link[3:]}" not in links:
            subprocess.run(["ip", "link", "del", link], capture_output=True, check=False)


def start_swarm_engine() -> PrivateEngine:
    """A new private engine, initialised as the only manager of its own swarm."""
    _sweep_gateway_bridges()
    engine = engine_harness.start_engine()
    try:
        engine.api.create_network(
            "docker_gwbridge",
            driver="bridge",
            options={
                "com.docker.network.bridge.name": gateway_bridge(engine),
                "com.docker.network.bridge.enable_icc": "false",
                "com.docker.network.bridge.enable_ip_masquerade": "true",
            },
        )
        engine.api.init_swarm(advertise_addr="127.0.0.1", listen_addr="127.0.0.1:0")
    except BaseException:
        stop_swarm_engine(engine)
        raise
    return engine


def gateway_bridge(engine: PrivateEngine) -> str:
    return "dgw" + engine.bridge[3:]


def stop_swarm_engine(engine: PrivateEngine) -> None:
    engine.stop()
    with contextlib.suppress(OSError):
        subprocess.run(["ip", "link", "del", gateway_bridge(engine)], capture_output=True, check=False)


def swarm_engine_fixture() -> Iterator[PrivateEngine]:
    """The body of a module-scoped fixture (the module asks for ``engine`` first, which skips where no
    engine can start)."""
    started = start_swarm_engine()
    try:
        yield started
    finally:
        stop_swarm_engine(started)
