"""The build engine's own steps in plain words.

BuildKit names the steps that come from no Dockerfile line in its own terms ("[internal] load metadata for
docker.io/library/alpine:latest", "exporting to image"). A beginner reading the build log, or the failure
of a build without internet, gets what the step does instead ("Looking up the image alpine:latest"). Steps
of the Dockerfile keep their name: it is the line itself, which is what the beginner is learning. A copied
log keeps the engine's names, for someone who knows them.
"""

from __future__ import annotations

import re

from desktop.i18n import format_text, load_texts
from desktop.image_names import short_image

TOPIC = "build"
_STEPS = (
    (re.compile(r"\[internal\] load metadata for (?P<image>\S+)"), "step.metadata"),
    (re.compile(r"\[internal\] load build definition from (?P<file>\S+)"), "step.definition"),
    (re.compile(r"\[internal\] load \.dockerignore"), "step.dockerignore"),
    (re.compile(r"\[internal\] load build context"), "step.context"),
    (re.compile(r"\[internal\] load remote build context"), "step.remote_context"),
    (re.compile(r"copy /context /"), "step.unpack_context"),  # the folder sent as a tar, unpacked
    (re.compile(r"exporting to image"), "step.export"),
    (re.compile(r"\[auth\] .*"), "step.auth"),
)


def plain_step_name(name: str) -> str:
    """What the engine's own step ``name`` does, in plain words; any other step's ``name`` as it is."""
    for pattern, key in _STEPS:
        found = pattern.fullmatch(name.strip())
        if found is not None:
            values = {
                field: short_image(value) if field == "image" else value
                for field, value in found.groupdict().items()
            }
            return format_text(str(load_texts(TOPIC).get(key, key)), **values)
    return name
