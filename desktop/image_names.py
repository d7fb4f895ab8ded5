"""Image references as people write them, for the block faces and the engine's messages alike."""

from __future__ import annotations

_HUB_HOSTS = ("docker.io/", "index.docker.io/", "registry-1.docker.io/")  # Docker Hub, as references name it


def short_image(reference: str) -> str:
    """An image reference as people write it: Docker Hub's address and its namespace of official images
    left out, so ``docker.io/library/alpine:latest`` (or ``library/alpine:latest``) is ``alpine:latest``."""
    for host in _HUB_HOSTS:
        if reference.startswith(host):
            reference = reference.removeprefix(host)
            break
    return reference.removeprefix("library/")
