"""The build engine's own steps in plain words; Dockerfile steps keep their names."""

from __future__ import annotations

import pytest

from desktop.engine.step_words import plain_step_name
from desktop.image_names import short_image


@pytest.mark.parametrize(
    ("engine_name", "words"),
    [
        (
            "[internal] load metadata for docker.io/library/alpine:latest",
            "Looking up the image alpine:latest",
        ),
        (
            "[internal] load metadata for docker.io/bitnami/nginx:1.25",
            "Looking up the image bitnami/nginx:1.25",
        ),
        (
            "[internal] load metadata for localhost:5000/team/app:1",
            "Looking up the image localhost:5000/team/app:1",
        ),
        ("[internal] load build definition from Dockerfile", "Reading the Dockerfile"),
        ("[internal] load .dockerignore", "Reading .dockerignore"),
        ("[internal] load build context", "Sending the build folder"),
        ("[internal] load remote build context", "Receiving the build folder"),
        ("copy /context /", "Unpacking the build folder"),
        ("exporting to image", "Saving the image"),
        (
            "[auth] library/alpine:pull token for registry-1.docker.io",
            "Asking the registry for permission to download",
        ),
    ],
)
def test_the_engines_own_steps_say_what_they_do(engine_name: str, words: str) -> None:
    assert plain_step_name(engine_name) == words


@pytest.mark.parametrize(
    "dockerfile_step",
    [
        "[1/3] FROM docker.io/library/busybox:latest",
        "[build 2/4] RUN apk add --no-cache python3",
        "[stage-1 3/3] COPY --from=build /out/app /app",
        "[internal] something new",  # an engine step we do not know: its own name, not a wrong guess
        "",
    ],
)
def test_other_steps_keep_their_names(dockerfile_step: str) -> None:
    assert plain_step_name(dockerfile_step) == dockerfile_step


def test_short_image_names_drop_only_docker_hubs_own_prefixes() -> None:
    assert short_image("docker.io/library/debian:12") == "debian:12"
    assert short_image("docker.io/grafana/grafana") == "grafana/grafana"
    assert short_image("library/alpine:latest") == "alpine:latest"  # as Docker Hub's address names it
    assert short_image("ghcr.io/docker.io/library/x") == "ghcr.io/docker.io/library/x"
