"""The label on everything Dockblocks creates on an engine (images, containers, volumes, networks).

With it, what the app made can be listed and cleaned up:
``docker ps -a --filter label=org.dockblocks.created-by``.
"""

from __future__ import annotations

DOCKBLOCKS_LABEL = "org.dockblocks.created-by"
"""The label key."""

DOCKBLOCKS_LABEL_VALUE = "dockblocks"
"""Its value."""

PROJECT_LABEL = "org.dockblocks.project"
"""Names the project an image or container was made from (its name, as the user sees it)."""


def dockblocks_labels(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The labels for something the app creates: the Dockblocks label plus ``extra``.

    Args:
        extra: more labels (a project name, a test's labels); they cannot override the Dockblocks label.
    """
    return {**(extra or {}), DOCKBLOCKS_LABEL: DOCKBLOCKS_LABEL_VALUE}


def parse_labels(texts: list[str], base: dict[str, str]) -> dict[str, str]:
    """``base`` plus the ``KEY=VALUE`` labels typed on a command line (``--label``).

    Raises:
        ValueError: with the first text that is not ``KEY=VALUE`` (the caller says so in its own words).
    """
    labels = dict(base)
    for text in texts:
        key, equals, value = text.partition("=")
        if not equals or not key:
            raise ValueError(text)
        labels[key] = value
    return labels


def project_image_tag(project_name: str) -> str:
    """The tag a project's image gets when the user names none: ``My App`` -> ``dockblocks/my-app:latest``."""
    # A repository name allows only a-z, 0-9 and single separators between them: anything else is a "-".
    slug = "".join(c if c.isascii() and c.isalnum() else "-" for c in project_name.lower())
    slug = "-".join(part for part in slug.split("-") if part) or "project"
    return f"dockblocks/{slug}:latest"
