"""Dockerfile text to blocks and back: lossless import, deterministic render with a source map."""

from desktop.dockerfile.errors import DockerfileSyntaxError
from desktop.dockerfile.importer import import_bytes, import_text
from desktop.dockerfile.render import Rendered, render, render_text

__all__ = ["DockerfileSyntaxError", "Rendered", "import_bytes", "import_text", "render", "render_text"]
