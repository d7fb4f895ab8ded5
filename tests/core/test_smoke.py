"""desktop.smoke: the core half of ``dockblocks --smoke-test`` finds real packaging slips and names them.

Each broken case is a real copy of the resources folder with one real defect in it (no code is patched).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from desktop.paths import resources_root
from desktop.smoke import ROOT_VARIABLE, check_everything, smoke_root


@pytest.fixture
def resources_copy(tmp_path: Path) -> Path:
    copy = tmp_path / "resources"
    shutil.copytree(resources_root(), copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def test_the_bundled_resources_pass_with_every_template_rendered() -> None:
    report = check_everything()
    templates = [p for p in (resources_root() / "templates").iterdir() if (p / "template.json").is_file()]
    assert report.failures == []
    assert report.checked["templates"] == len(templates) >= 5
    assert report.checked["files"] >= 80
    assert report.checked["programs"] == 1  # hadolint was found and ran


def test_a_template_whose_dockerfile_does_not_import_is_named(resources_copy: Path) -> None:
    (resources_copy / "templates" / "node-app" / "Dockerfile").write_text("FROM node:20\nENV PATH\n")
    report = check_everything(resources_copy, hadolint=False)
    assert len(report.failures) == 1
    assert "template node-app cannot be used" in report.failures[0]
    assert "line 2" in report.failures[0] or "ENV" in report.failures[0]


def test_a_template_with_a_broken_description_is_named(resources_copy: Path) -> None:
    (resources_copy / "templates" / "static-nginx" / "template.json").write_text('{"id": "static-nginx"}')
    report = check_everything(resources_copy, hadolint=False)
    assert [f for f in report.failures if "static-nginx" in f], report.failures


def test_a_broken_json_text_file_is_named(resources_copy: Path) -> None:
    (resources_copy / "i18n" / "run.en.json").write_text('{"title": "unfinished')
    report = check_everything(resources_copy, hadolint=False)
    assert any("i18n/run.en.json" in f for f in report.failures), report.failures


def test_a_broken_svg_is_named(resources_copy: Path) -> None:
    (resources_copy / "icons" / "run.svg").write_text("<svg><g></svg>")
    report = check_everything(resources_copy, hadolint=False)
    assert any("icons/run.svg" in f for f in report.failures), report.failures


def test_no_templates_and_no_folder_are_failures(resources_copy: Path, tmp_path: Path) -> None:
    shutil.rmtree(resources_copy / "templates")
    assert any("no starter templates" in f for f in check_everything(resources_copy, hadolint=False).failures)
    missing = check_everything(tmp_path / "nowhere", hadolint=False)
    assert len(missing.failures) == 1 and "nowhere" in missing.failures[0]


def test_the_environment_variable_chooses_the_folder(resources_copy: Path) -> None:
    assert smoke_root({}) == resources_root()
    assert smoke_root({ROOT_VARIABLE: str(resources_copy)}) == resources_copy
