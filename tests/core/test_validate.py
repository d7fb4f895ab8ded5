"""Field validation: each check with a passing and a failing case; messages name the field by its label."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.blocks.catalog import param_label
from desktop.blocks.kinds import Kind
from desktop.blocks.model import Block, Document, new_block
from desktop.blocks.validate import FieldIssue, quote_word, unquote_word, validate_block, validate_document
from desktop.dockerfile.importer import import_text
from desktop.dockerfile.lexing import parse_words

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures" / "dockerfiles").glob("*.Dockerfile"))
B = new_block


def _maker(kind: Kind, **defaults: object):
    """A short constructor for one kind's blocks with some fields already filled in, for the table."""
    return lambda **params: new_block(kind, **{**defaults, **params})


F = _maker(Kind.FROM, image="a")
E = _maker(Kind.EXPOSE)
ENV, LABEL, ARG = _maker(Kind.ENV), _maker(Kind.LABEL), _maker(Kind.ARG)
H = _maker(Kind.HEALTHCHECK, command="true")
C, ADD = _maker(Kind.COPY, sources=["a"], dest="/b"), _maker(Kind.ADD, sources=["a"], dest="/b")
SIG, USER, ONB = _maker(Kind.STOPSIGNAL), _maker(Kind.USER), _maker(Kind.ONBUILD)
RUN = _maker(Kind.RUN, command="x")


def _on(block: Block, field: str, escape: str = "\\") -> list[FieldIssue]:
    return [issue for issue in validate_block(block, escape) if issue.field == field]


# (failing block, field, severity, words the message must contain, passing block)
CASES = [
    # required fields, empty list items, line breaks in one-line fields
    (B(Kind.FROM), "image", "error", "alpine", F(image="alpine")),
    (C(sources=[]), "sources", "error", "empty", C()),
    (C(dest=""), "dest", "error", "empty", C()),
    (B(Kind.WORKDIR, path="  "), "path", "error", "/app", B(Kind.WORKDIR, path="/app")),
    (USER(), "user", "error", "empty", USER(user="app")),
    (ONB(), "trigger", "error", "empty", ONB(trigger=RUN())),
    (E(ports=["80", ""]), "ports", "error", "item 2", E(ports=["80"])),
    (B(Kind.WORKDIR, path="/a\n/b"), "path", "error", "one line", B(Kind.WORKDIR, path="/a/b")),
    # image names, tags, digests, platforms
    (F(image="Alpine"), "image", "error", "write alpine", F(image="alpine")),
    (F(image="my_image!"), "image", "error", "not a valid image", F(image="my_image")),
    (F(image="al pine"), "image", "error", "space", F(image="${BASE}")),
    (F(image="-alpine"), "image", "error", "valid", F(image="localhost:5000/team/app")),
    (F(image="alpine:3.20", tag="3.21"), "image", "error", "3.20", F(image="alpine:3.20")),
    (F(image="alpine:.x"), "image", "error", "version", F(image="alpine:3.20-r1")),
    (F(tag="-1"), "tag", "error", "version", F(tag="3.20")),
    (F(tag="x" * 129), "tag", "error", "128", F(tag="x" * 128)),
    (F(digest="sha256:12"), "digest", "error", "64", F(digest="sha256:" + "a" * 64)),
    (F(digest="nohex"), "digest", "error", "sha256", F(digest="${DIGEST}")),
    (F(platform="amd64"), "platform", "error", "linux/amd64", F(platform="linux/arm64/v8")),
    (F(extra_args=["AS"]), "extra_args", "error", "remove", F(stage_name="b")),
    # stage names
    (F(stage_name="1st"), "stage_name", "error", "start with a letter", F(stage_name="first")),
    (F(stage_name="my stage"), "stage_name", "error", "letters", F(stage_name="my-stage_2.x")),
    (F(stage_name="Build"), "stage_name", "warning", '"build"', F(stage_name="build")),
    (F(stage_name="scratch"), "stage_name", "warning", "another name", F(stage_name="base")),
    # EXPOSE
    (E(ports=["http"]), "ports", "error", "65535", E(ports=["80", "443/tcp", "53/udp", "9/sctp"])),
    (E(ports=["0"]), "ports", "error", "65535", E(ports=["1", "65535"])),
    (E(ports=["65536"]), "ports", "error", "65535", E(ports=["${PORT}", "$P/udp"])),
    (E(ports=["8010-8000"]), "ports", "error", "8000-8010", E(ports=["8000-8010/udp"])),
    (E(ports=["8080:80"]), "ports", "error", "-p", E(ports=["80"])),
    (E(ports=["80/http"]), "ports", "error", "tcp, udp or sctp", E(ports=["80/tcp"])),
    (E(ports=["80/TCP"]), "ports", "warning", "80/tcp", E(ports=["80/tcp"])),
    # ENV and LABEL
    (ENV(pairs=[["", "x"]]), "pairs", "error", "NAME=value", ENV(pairs=[["A", "x"]])),
    (ENV(pairs=[["MY VAR", "x"]]), "pairs", "error", "space", ENV(pairs=[["MY_VAR", "x"]])),
    (ENV(pairs=[['"A', "x"]]), "pairs", "error", "never closes", ENV(pairs=[['"A"', "x"]])),
    (ARG(args=[["'A"]]), "args", "error", "never closes", ARG(args=[["A"]])),
    (
        ENV(pairs=[["A", "hello world"]]),
        "pairs",
        "error",
        'A="hello world"',
        ENV(pairs=[["A", '"hello world"']]),
    ),
    (ENV(pairs=[["A", "it's"]]), "pairs", "error", "never closes", ENV(pairs=[["A", "it\\'s"]])),
    (ENV(pairs=[["A", "x\ny"]]), "pairs", "error", "one line", ENV(pairs=[["A", ""]])),
    (ENV(pairs=[["1A", "x"]]), "pairs", "warning", "$1A", ENV(pairs=[["_A1", "x"]])),
    (LABEL(pairs=[["a b", "x"]]), "pairs", "error", "space", LABEL(pairs=[['"com.example.my label"', "x"]])),
    (LABEL(pairs=[["v", "1 2"]]), "pairs", "error", 'v="1 2"', LABEL(pairs=[["v", "1\\ 2"]])),
    (ENV(pairs=[["A", "b\\"]]), "pairs", "error", "ends with", ENV(pairs=[["A", "b\\\\"]])),
    (
        ENV(pairs=[["A", "b"], ["C", "d"]], legacy=True),
        "legacy",
        "error",
        "2",
        ENV(pairs=[["A", "b c"]], legacy=True),
    ),
    (LABEL(pairs=[["A", ""]], legacy=True), "pairs", "error", "no value", LABEL(pairs=[["A", ""]])),
    # ARG
    (ARG(args=[[""]]), "args", "error", "NAME", ARG(args=[["VERSION"]])),
    (ARG(args=[["A B"]]), "args", "error", "space", ARG(args=[["A_B"]])),
    (ARG(args=[["2X"]]), "args", "warning", "$2X", ARG(args=[["X2"]])),
    (ARG(args=[["V", "a b"]]), "args", "error", 'V="a b"', ARG(args=[["V", '"a b"'], ["W", ""]])),
    # USER and --chown
    (USER(user="a:b:c"), "user", "error", "1000:1000", USER(user="app:staff")),
    (USER(user="app user"), "user", "error", ":group", USER(user="1000")),
    (USER(user="app:"), "user", "error", ":group", USER(user="$UID:$GID")),
    (C(chown=":x"), "chown", "error", "user:group", C(chown="1000:1000")),
    # STOPSIGNAL
    (SIG(signal="SIGFOO"), "signal", "error", "SIGTERM", SIG(signal="SIGTERM")),
    (SIG(signal="0"), "signal", "error", "15", SIG(signal="15")),
    (SIG(signal="SIGRTMIN+16"), "signal", "error", "SIGQUIT", SIG(signal="SIGRTMIN+3")),
    (SIG(signal="TERMINATE"), "signal", "error", "signal", SIG(signal="term")),
    # HEALTHCHECK
    (H(interval="30"), "interval", "error", "30s", H(interval="1m30s")),
    (H(timeout="5 s"), "timeout", "error", "unit", H(timeout="500ms")),
    (H(start_period="-1s"), "start_period", "error", "negative", H(start_period="0")),
    (H(start_interval="10us"), "start_interval", "error", "1ms", H(start_interval="1.5s")),
    (H(retries="three"), "retries", "error", "whole number", H(retries="3")),
    (H(retries="-1"), "retries", "error", "negative", H(retries="1")),
    (H(retries="0"), "retries", "warning", "default", H(retries="${R}")),
    (H(mode="CHECK"), "mode", "error", "NONE", H(mode="CMD")),
    (H(mode="NONE"), "command", "error", "NONE", H(mode="NONE", command="")),
    (H(mode="NONE", command="", interval="5s"), "interval", "warning", "NONE", H(mode="NONE", command="")),
    (H(form="exec"), "args", "error", "curl", H(form="exec", args=["curl", "x"])),
    # COPY and ADD
    (C(chmod="888"), "chmod", "error", "755", C(chmod="0644")),
    (C(chmod="rwx"), "chmod", "error", "u+x", C(chmod="u+x,g-w")),
    (ADD(chmod="7777a"), "chmod", "error", "octal", ADD(chmod="755")),
    (ADD(checksum="md5:abc"), "checksum", "error", "sha256", ADD(checksum="sha256:" + "0" * 64)),
    (C(sources=["a", "b"], dest="/app"), "dest", "error", "/app/", C(sources=["a", "b"], dest="/app/")),
    (C(dest="C:\\app\\"), "dest", "error", "ends with", C(dest="/app/")),
    # commands
    (B(Kind.RUN), "command", "error", "echo hello", RUN(command="apt-get update")),
    (RUN(form="exec"), "args", "error", "make", RUN(form="exec", args=["make"])),
    (B(Kind.CMD, args=[]), "args", "warning", "python", B(Kind.CMD, args=["python", "app.py"])),
    (
        B(Kind.ENTRYPOINT, form="shell"),
        "command",
        "warning",
        "python",
        B(Kind.ENTRYPOINT, form="shell", command="a"),
    ),
    (B(Kind.CMD, args=["", "x"]), "args", "error", "first item", B(Kind.CMD, args=["x", ""])),
    (RUN(command="make \\"), "command", "error", "ends with", RUN(command="make \\\\")),
    (RUN(command="a \\\nb"), "command", "error", "line 1", RUN(command="a &&\nb")),
    (
        B(Kind.SHELL, form="shell", command="bash"),
        "form",
        "error",
        "list",
        B(Kind.SHELL, args=["/bin/bash", "-c"]),
    ),
    (B(Kind.SHELL, args=[]), "args", "error", "empty", B(Kind.SHELL, args=["pwsh", "-Command"])),
    (B(Kind.WORKDIR, path="/app\\"), "path", "error", "ends with", B(Kind.WORKDIR, path="/app/")),
    # flags the form cannot show
    (
        RUN(extra_flags=["--foo=1"]),
        "extra_flags",
        "error",
        "RUN has no option --foo",
        RUN(extra_flags=["--device=x"]),
    ),
    (
        C(chown="1", extra_flags=["--chown=2"]),
        "extra_flags",
        "error",
        "twice",
        C(extra_flags=["--link=false"]),
    ),
    (
        ONB(trigger=RUN(), extra_flags=["--x"]),
        "extra_flags",
        "error",
        "ONBUILD has no option --x",
        ONB(trigger=RUN()),
    ),
    # unknown instructions (their fix is a block of the suggested kind)
    (B(Kind.UNKNOWN, keyword="FORM"), "keyword", "error", "did you mean FROM?", F(image="alpine")),
    (B(Kind.UNKNOWN, keyword="cpoy"), "keyword", "error", "did you mean COPY?", C()),
    # MAINTAINER, ONBUILD triggers, directives, blank lines
    (
        B(Kind.MAINTAINER, name="Ada"),
        "",
        "warning",
        "org.opencontainers.image.authors",
        LABEL(pairs=[["a", "b"]]),
    ),
    (ONB(trigger=F()), "trigger", "error", "FROM", ONB(trigger=C(dest="/a/"))),
    (ONB(trigger=ONB()), "trigger", "error", "ONBUILD", ONB(trigger=USER(user="app"))),
    (ONB(trigger=B(Kind.MAINTAINER, name="x")), "trigger", "error", "MAINTAINER", ONB(trigger=RUN())),
    (ONB(trigger=B(Kind.WORKDIR)), "trigger", "error", "Folder", ONB(trigger=B(Kind.WORKDIR, path="/a"))),
    (
        B(Kind.DIRECTIVE, name="escape", value="/"),
        "value",
        "error",
        "`",
        B(Kind.DIRECTIVE, name="escape", value="`"),
    ),
    (
        B(Kind.DIRECTIVE, name="foo", value="x"),
        "name",
        "error",
        "syntax",
        B(Kind.DIRECTIVE, name="check", value="a"),
    ),
    (B(Kind.BLANK, count=0), "count", "warning", "1 or more", B(Kind.BLANK, count=2)),
]


def _case_id(case: tuple[Block, str, str, str, Block]) -> str:
    block, field, _severity, expect, _good = case
    return f"{block.kind.value}.{field or 'block'}:{expect[:20]}"


@pytest.mark.parametrize(
    ("bad", "field", "severity", "expect", "good"), CASES, ids=[_case_id(c) for c in CASES]
)
def test_check(bad, field, severity, expect, good):
    issues = _on(bad, field)
    assert issues, f"no issue on {field!r} for {bad.params}"
    assert any(issue.severity == severity for issue in issues), issues
    messages = " | ".join(issue.message for issue in issues)
    assert expect in messages
    if field and bad.kind is not Kind.ONBUILD:
        # The message names the field the way the form labels it.
        assert param_label(bad.kind, field) in messages
    assert all(issue.block_id == bad.id for issue in issues)
    assert _on(good, field) == [], [issue.message for issue in _on(good, field)]


@pytest.mark.parametrize(
    ("bad", "field", "severity", "expect", "good"), CASES, ids=[_case_id(c) for c in CASES]
)
def test_messages_are_one_sentence_with_no_placeholder_left(bad, field, severity, expect, good):
    for issue in validate_block(bad):
        assert issue.message[0].isupper() or issue.message[0] in '“"', issue.message
        assert issue.message.endswith((".", "?")), issue.message
        assert "\n" not in issue.message
        assert "{" not in issue.message.replace("${", ""), issue.message


def test_trigger_issues_are_reported_on_the_onbuild_block():
    trigger = B(Kind.COPY, sources=["a", "b"], dest="/x")
    block = B(Kind.ONBUILD, trigger=trigger)
    issues = validate_block(block)
    assert [(i.block_id, i.field, i.severity) for i in issues] == [(block.id, "trigger", "error")]
    assert issues[0].message.startswith(param_label(Kind.ONBUILD, "trigger"))
    assert "/x/" in issues[0].message


def test_unknown_instruction_without_a_close_match():
    issues = _on(B(Kind.UNKNOWN, keyword="XYZZYQ"), "keyword")
    assert len(issues) == 1 and "palette" in issues[0].message and "did you mean" not in issues[0].message


def test_escape_character_of_the_document_is_used():
    windows = B(Kind.WORKDIR, path="C:\\app\\")
    assert _on(windows, "path", escape="`") == []
    assert _on(windows, "path", escape="\\")
    assert _on(B(Kind.RUN, command="dir `"), "command", escape="`")
    doc = import_text("# escape=`\nFROM mcr.microsoft.com/windows/servercore\nWORKDIR C:\\app\\\n")
    assert [i for i in validate_document(doc) if i.severity == "error"] == []


@pytest.mark.parametrize("kind", list(Kind))
def test_new_blocks_validate_without_crashing(kind):
    for issue in validate_block(new_block(kind)):
        assert issue.severity in ("error", "warning")
        assert issue.message


# Document-level checks


@pytest.mark.parametrize("path", FIXTURES, ids=lambda p: p.name)
def test_fixtures_have_no_errors(path):
    doc = import_text(path.read_text(encoding="utf-8"))
    errors = [i.message for i in validate_document(doc) if i.severity == "error"]
    assert errors == []


def test_document_without_from():
    doc = Document([B(Kind.ARG, args=[["A"]]), B(Kind.RUN, command="x")])
    issues = [i for i in validate_document(doc) if i.block_id == ""]
    assert len(issues) == 1 and issues[0].severity == "error" and "FROM" in issues[0].message
    assert any(i.block_id == "" for i in validate_document(Document([])))
    assert not any(i.block_id == "" for i in validate_document(import_text("FROM alpine\n")))


def test_first_instruction_must_be_from_or_arg():
    doc = import_text("# syntax=docker/dockerfile:1\n# hello\n\nRUN x\nFROM alpine\n")
    run = doc.blocks[3]
    issues = [i for i in validate_document(doc) if i.block_id == run.id]
    assert [(i.field, i.severity) for i in issues] == [("", "error")]
    assert "RUN" in issues[0].message
    fine = import_text("# syntax=docker/dockerfile:1\n# hello\nARG V=1\nFROM alpine:$V\nRUN x\n")
    assert validate_document(fine) == []


def test_directives_belong_at_the_top():
    doc = Document([B(Kind.COMMENT, text="hi"), B(Kind.DIRECTIVE), B(Kind.FROM, image="alpine")])
    issues = [i for i in validate_document(doc) if i.block_id == doc.blocks[1].id]
    assert [(i.field, i.severity) for i in issues] == [("", "warning")]
    assert "top" in issues[0].message
    top = Document(
        [B(Kind.DIRECTIVE), B(Kind.DIRECTIVE, name="check", value="skip=all"), B(Kind.FROM, image="a")]
    )
    assert validate_document(top) == []


def test_directive_set_twice():
    doc = Document([B(Kind.DIRECTIVE), B(Kind.DIRECTIVE), B(Kind.FROM, image="alpine")])
    issues = [i for i in validate_document(doc) if i.block_id == doc.blocks[1].id]
    assert [(i.field, i.severity) for i in issues] == [("name", "error")]
    assert "syntax" in issues[0].message


def test_duplicate_stage_names_are_compared_without_case():
    doc = import_text("FROM alpine AS build\nFROM alpine AS Build\nFROM alpine AS other\n")
    issues = [i for i in validate_document(doc) if i.field == "stage_name" and "earlier" in i.message]
    assert [i.block_id for i in issues] == [doc.blocks[1].id]
    assert issues[0].severity == "error"
    assert param_label(Kind.FROM, "stage_name") in issues[0].message


def test_document_issues_come_with_block_issues_in_file_order():
    doc = import_text("FROM alpine\nWORKDIR /a\\\\\nEXPOSE 99999\n")
    doc.blocks[1].params["path"] = ""
    ids = [i.block_id for i in validate_document(doc)]
    assert ids == [doc.blocks[1].id, doc.blocks[2].id]


# Quoting helpers

_VALUES = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\n\r"), max_size=30)


@given(_VALUES, st.sampled_from(["\\", "`"]))
def test_quote_word_gives_one_word_that_unquotes_to_the_value(value, escape):
    word = quote_word(value, escape)
    assert len(parse_words(f"K={word}", escape)) == 1
    assert unquote_word(word, escape) == value


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("plain", "plain"),
        ("/usr/bin:$PATH", "/usr/bin:$PATH"),
        ("hello world", '"hello world"'),
        ('say "hi"', '"say \\"hi\\""'),
        ("C:\\dir", '"C:\\\\dir"'),
        ("it's", '"it\'s"'),
        ("", '""'),
        ("cost \\$5", '"cost \\$5"'),
    ],
)
def test_quote_word(value, word):
    assert quote_word(value) == word
    assert unquote_word(word) == value


@pytest.mark.parametrize(
    ("word", "value"),
    [
        ("'single $HOME'", "single \\$HOME"),
        ("\"a\"b'c'", "abc"),
        ("a\\ b", "a b"),
        ('"keep \\n as is"', "keep \\n as is"),
        ("trailing\\", "trailing"),
    ],
)
def test_unquote_word(word, value):
    assert unquote_word(word) == value


def test_from_may_name_an_earlier_stage_in_any_case():
    doc = import_text("FROM alpine AS build\nFROM Build\n")
    assert validate_document(doc) == []
    # Without such a stage, it is an image name, and those are lowercase.
    assert _on(doc.blocks[1], "image")
    assert validate_block(doc.blocks[1], stage_names=["build"]) == []


def test_misspelt_first_instruction_gets_one_message():
    doc = import_text("FORM alpine\nFROM alpine\n")
    issues = [i for i in validate_document(doc) if i.block_id == doc.blocks[0].id]
    assert [i.field for i in issues] == ["keyword"]
    assert "did you mean FROM?" in issues[0].message


def test_every_message_key_exists_and_every_message_is_used():
    import re

    from desktop.i18n import load_texts

    source = "".join(
        (Path(__file__).parents[2] / "desktop" / "blocks" / name).read_text(encoding="utf-8")
        for name in ("validate.py", "validate_kinds.py", "base_images.py")
    )
    used = set(re.findall(r'\.(?:error|warning)\(\s*[^,]+,\s*"(\w+)"', source))
    used |= set(re.findall(r'texts\["(\w+)"\]', source))
    used |= set(re.findall(r'"\w+": "(port_\w+)"', source))
    used |= {"required", "required_no_example", "item_empty", "trigger_issue"}  # passed through variables
    texts = load_texts("validation", "en")
    messages = {key for key in texts if not key.startswith("_") and key != "examples"}
    assert used - messages - {"examples"} == set()
    assert messages - used == set()
