"""The file commands of ``dockblocks``: ``import``, ``render`` and ``lint`` (no engine, no window).

Apart from :mod:`desktop.cli`, so opening the window (``dockblocks`` with no command) does not import the
block model, the Dockerfile reader and the project format before its first picture (~40 ms).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desktop.blocks.model import Document
from desktop.cli import EXIT_FINDINGS, EXIT_OK, CliError
from desktop.dockerfile import DockerfileSyntaxError, import_bytes, render_text
from desktop.dockerfile.lexing import ENCODING, ERRORS
from desktop.project import SUFFIX, Project, ProjectFileError, load_project, save_project

if TYPE_CHECKING:
    from desktop.lint import LintReport


def import_command(args: argparse.Namespace) -> int:
    doc = _read_dockerfile(args.dockerfile)
    output: Path = args.output
    if output.exists() and not args.force:
        raise CliError(f"{output} already exists; choose another name, or add --force to replace it.")
    context = (args.context or args.dockerfile.parent).resolve()
    project = Project(document=doc, context_dir=context, name=output.stem)
    try:
        save_project(project, output)
    except ProjectFileError as error:
        raise CliError(str(error)) from None
    count = sum(1 for _ in doc.instructions())
    print(f"Imported {count} instructions into {output}.", file=sys.stderr)
    return EXIT_OK


def render_command(args: argparse.Namespace) -> int:
    data = render_text(read_project(args.project).document).encode(ENCODING, ERRORS)
    if args.output is None:
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return EXIT_OK
    try:
        args.output.write_bytes(data)
    except OSError as error:
        raise CliError(f"Could not write {args.output}: {error.strerror or error}.") from None
    return EXIT_OK


def lint_command(args: argparse.Namespace) -> int:
    # Imported here: the window, which this module opens too, starts without the checks (~20 ms).
    from desktop.lint import Severity, lint_document

    path: Path = args.file
    context = args.context
    if _is_project(path):
        project = read_project(path)
        doc, context = project.document, context or project.context_dir
    else:
        doc, context = _read_dockerfile(path), context or path.parent
    report = lint_document(doc, context_dir=context)
    print(_report_json(path, doc, report) if args.json else _report_text(path, doc, report))
    serious = any(f.severity in (Severity.ERROR, Severity.WARNING) for f in report.findings)
    return EXIT_FINDINGS if serious else EXIT_OK


def _read_dockerfile(path: Path) -> Document:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise CliError(f"There is no file {path}; check the name and the folder.") from None
    except IsADirectoryError:
        raise CliError(
            f"{path} is a folder; give the Dockerfile inside it, e.g. {path / 'Dockerfile'}."
        ) from None
    except OSError as error:
        raise CliError(f"Could not read {path}: {error.strerror or error}.") from None
    try:
        return import_bytes(data)
    except DockerfileSyntaxError as error:
        raise CliError(f"{path}: {error}") from None


def read_project(path: Path) -> Project:
    try:
        return load_project(path)
    except ProjectFileError as error:
        raise CliError(str(error)) from None


def _is_project(path: Path) -> bool:
    if path.suffix == SUFFIX:
        return True
    try:
        with path.open("rb") as handle:
            return handle.read(64).lstrip().startswith(b"{")
    except OSError:
        return False


def _kind_of(doc: Document, block_id: str | None) -> str | None:
    if block_id is None:
        return None
    try:
        return doc.blocks[doc.find(block_id)].kind.value
    except KeyError:
        return None


def _report_text(path: Path, doc: Document, report: LintReport) -> str:
    if not report.findings:
        return f"{path}: no problems found."
    lines = []
    for f in report.findings:
        where = f"{path}:{f.line}" if f.line else str(path)
        lines.append(f"{where}: {f.severity.value} {f.code}: {f.title}")
        lines.append(f"    {f.explanation}")
        if f.message and f.message != f.title:
            lines.append(f"    ({f.message})")
        if f.link:
            lines.append(f"    More: {f.link}")
    counts = report.counts()
    summary = ", ".join(f"{n} {s.value}{'s' if n != 1 else ''}" for s, n in counts.items() if n)
    lines.append(f"{len(report.findings)} findings: {summary}.")
    return "\n".join(lines)


def _report_json(path: Path, doc: Document, report: LintReport) -> str:
    status = report.hadolint_status
    payload = {
        "file": str(path),
        "hadolint": {"state": status.state.value, "message": status.message},
        "findings": [
            {
                "code": f.code,
                "severity": f.severity.value,
                "line": f.line,
                "block_id": f.block_id,
                "block_kind": _kind_of(doc, f.block_id),
                "title": f.title,
                "message": f.message,
                "explanation": f.explanation,
                "link": f.link,
            }
            for f in report.findings
        ],
    }
    return json.dumps(payload, indent=2, ensure_ascii=False)
