"""The core half of ``dockblocks --smoke-test``: is everything the program carries there and usable?

Release checks run every built package with ``--smoke-test`` (a frozen bundle, the installed ``.deb``) to
find packaging slips before users do: a data file left out, a template whose Dockerfile no longer
imports, a hadolint binary that was not collected. Each check reads the real files and runs the real code;
a failure is one sentence naming the file or template. The window half (every icon renders, the main
window opens with all its panels) is in ``ui.app``. No Qt here.

``DOCKBLOCKS_SMOKE_RESOURCES`` points the checks at another resources folder (tests use it to prove that
a broken template is named); the program itself keeps using its own resources.
"""

from __future__ import annotations

import json
import os
import xml.etree.ElementTree as ElementTree
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from desktop.i18n import format_text, load_texts
from desktop.paths import resources_root

ROOT_VARIABLE = "DOCKBLOCKS_SMOKE_RESOURCES"
TOPIC = "smoke"
_TEMPLATE_FILE = "template.json"


@dataclass
class SmokeReport:
    """What the checks looked at and what failed.

    Attributes:
        checked: how many things of each kind were checked (``{"templates": 5, ...}``).
        failures: one sentence per failure, naming what failed.
    """

    checked: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    def count(self, kind: str) -> None:
        self.checked[kind] = self.checked.get(kind, 0) + 1

    def fail(self, key: str, /, **values: str) -> None:
        self.failures.append(say(key, **values))


def say(key: str, /, **values: str) -> str:
    """One text of ``resources/i18n/smoke.<language>.json`` with its placeholders filled."""
    template = load_texts(TOPIC).get(key)
    return format_text(template if isinstance(template, str) else key, **values)


def smoke_root(environ: Mapping[str, str] | None = None) -> Path:
    """The resources folder to check: the program's own, or ``DOCKBLOCKS_SMOKE_RESOURCES``."""
    chosen = (os.environ if environ is None else environ).get(ROOT_VARIABLE, "").strip()
    return Path(chosen) if chosen else resources_root()


def check_everything(root: Path | None = None, *, hadolint: bool = True) -> SmokeReport:
    """Reads every resource file, renders every template, and runs hadolint once.

    Args:
        root: the resources folder; :func:`smoke_root` by default.
        hadolint: also find and run the hadolint binary (the bundle must carry it).
    """
    folder = smoke_root() if root is None else root
    report = SmokeReport()
    if not folder.is_dir():
        report.fail("no_resources", folder=str(folder))
        return report
    check_resource_files(folder, report)
    rendered = check_templates(folder / "templates", report)
    if hadolint:
        check_hadolint(rendered, report)
    return report


def check_resource_files(root: Path, report: SmokeReport) -> None:
    """Every JSON file parses to an object, every SVG is well-formed XML, every other file can be read."""
    for path in _files(root):
        relative = path.relative_to(root).as_posix()
        report.count("files")
        try:
            data = path.read_bytes()
            if path.suffix == ".json":
                if not isinstance(json.loads(data.decode("utf-8")), dict):
                    raise ValueError("not a JSON object")
            elif path.suffix == ".svg":
                ElementTree.fromstring(data)
        except (OSError, ValueError, ElementTree.ParseError) as error:
            report.fail("broken_file", file=relative, reason=str(error))
    i18n = root / "i18n"
    topics = sorted({p.name.split(".", 1)[0] for p in i18n.glob("*.en.json")}) if i18n.is_dir() else []
    if not topics:
        report.fail("no_texts", folder=str(i18n))
    for topic in topics:
        report.count("text topics")
        try:
            if not load_texts(topic, "en", root=i18n):
                raise ValueError("no texts in it")
        except (OSError, ValueError) as error:
            report.fail("broken_texts", topic=topic, reason=str(error))


def check_templates(folder: Path, report: SmokeReport) -> list[str]:
    """Every template's description is read and its Dockerfile imported and rendered back, byte for byte.

    Returns:
        The rendered Dockerfiles, for the hadolint check.
    """
    from desktop.dockerfile import import_bytes, render_text
    from desktop.dockerfile.lexing import ENCODING, ERRORS
    from desktop.templates import DOCKERFILE, TemplateError, read_template

    rendered: list[str] = []
    folders = sorted(p for p in folder.iterdir() if (p / _TEMPLATE_FILE).is_file()) if folder.is_dir() else []
    if not folders:
        report.fail("no_templates", folder=str(folder))
    for template in folders:
        report.count("templates")
        try:
            read_template(template, "en")
            original = (template / DOCKERFILE).read_bytes()
            text = render_text(import_bytes(original))
        except TemplateError as error:
            report.fail("broken_template", template=template.name, reason=error.message)
            continue
        except OSError as error:
            report.fail("broken_template", template=template.name, reason=error.strerror or str(error))
            continue
        except ValueError as error:  # DockerfileSyntaxError
            report.fail("broken_template", template=template.name, reason=f"{DOCKERFILE}: {error}")
            continue
        if text.encode(ENCODING, ERRORS) != original:
            report.fail("template_changed", template=template.name)
        rendered.append(text)
    return rendered


def check_hadolint(dockerfiles: list[str], report: SmokeReport) -> None:
    """The bundled hadolint is found and checks the first rendered Dockerfile (its JSON report is read)."""
    from desktop.lint.findings import HadolintState
    from desktop.lint.hadolint import find_hadolint, run_hadolint

    report.count("programs")
    binary = find_hadolint()
    if binary is None:
        report.fail("no_hadolint")
        return
    run = run_hadolint(dockerfiles[0] if dockerfiles else "FROM scratch\n", binary)
    if run.state is not HadolintState.OK:
        report.fail("hadolint_failed", program=str(binary), state=run.state.value, detail=run.detail[:300])


def _files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix not in (".py", ".pyc"):
            yield path
