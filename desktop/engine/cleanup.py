"""Finding and removing what Dockblocks made: everything it creates carries :data:`DOCKBLOCKS_LABEL`.

Only stopped instances are removed (a running one may be serving a page someone is looking at); images
and volumes stay, since they hold builds and data the user may still want.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from desktop.engine.labels import DOCKBLOCKS_LABEL, DOCKBLOCKS_LABEL_VALUE
from desktop.engine.threads import run_blocking

STOPPED_STATES = ("created", "exited", "dead")


def _filters(extra: dict[str, str] | None) -> list[str]:
    return [f"{DOCKBLOCKS_LABEL}={DOCKBLOCKS_LABEL_VALUE}", *(f"{k}={v}" for k, v in (extra or {}).items())]


def stopped_instances_blocking(api: Any, extra_labels: dict[str, str] | None = None) -> list[tuple[str, str]]:
    """(id, name) of the stopped instances Dockblocks started (and carrying ``extra_labels`` too)."""
    found: list[tuple[str, str]] = []
    for container in api.containers(all=True, filters={"label": _filters(extra_labels)}):
        if container.get("State") in STOPPED_STATES:
            name = next(iter(container.get("Names") or []), "").lstrip("/") or container["Id"][:12]
            found.append((str(container["Id"]), name))
    return found


async def stopped_instances(
    api_factory: Callable[[], Any], extra_labels: dict[str, str] | None = None
) -> list[tuple[str, str]]:
    """:func:`stopped_instances_blocking` in a worker thread, with a client of its own."""
    api = api_factory()
    try:
        return await run_blocking(stopped_instances_blocking, api, extra_labels)
    finally:
        api.close()


async def remove_instances(api_factory: Callable[[], Any], ids: list[str]) -> list[str]:
    """Removes these instances (with their anonymous volumes); returns the ids that were removed.

    One already gone (removed meanwhile) counts as removed; one the engine refuses is left and not listed.
    """
    import docker.errors

    def remove(api: Any) -> list[str]:
        removed = []
        for container_id in ids:
            try:
                api.remove_container(container_id, v=True)
            except docker.errors.NotFound:
                pass  # gone already: what the user asked for
            except docker.errors.APIError:
                continue  # started again meanwhile, or being removed: left as it is
            removed.append(container_id)
        return removed

    api = api_factory()
    try:
        return await run_blocking(remove, api)
    finally:
        api.close()
