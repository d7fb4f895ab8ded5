"""Project files (``*.dockblocks``): a documented, versioned JSON format, saved atomically, read safely.

See docs/project-format.md for the format and its version policy.
"""

from desktop.project.errors import ProjectFileError
from desktop.project.format import (
    FORMAT_VERSION,
    SUFFIX,
    Project,
    context_from_text,
    context_to_text,
    dumps_project,
    loads_project,
)
from desktop.project.store import backup_path, load_project, save_project

__all__ = [
    "FORMAT_VERSION",
    "SUFFIX",
    "Project",
    "ProjectFileError",
    "backup_path",
    "context_from_text",
    "context_to_text",
    "dumps_project",
    "load_project",
    "loads_project",
    "save_project",
]
