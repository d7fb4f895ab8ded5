"""Edited and newly made blocks render to text whose meaning, read by BuildKit's parser, is what they say."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from oracle import oracle_rows, our_rows

from desktop.blocks.kinds import INSTRUCTION_KINDS, Kind
from desktop.blocks.model import Block, Document, new_block
from desktop.dockerfile import import_text, render, render_text
from desktop.dockerfile.render import paths_need_exec_form

ORIGINAL = """FROM python:3.12-slim AS app
# dependencies first, for the cache
COPY requirements.txt /app/
RUN pip install --no-cache-dir \\
      -r /app/requirements.txt
ENV PORT=8080 DEBUG=0
CMD ["python", "app.py"]
"""


def _check(doc: Document) -> str:
    text = render_text(doc)
    assert oracle_rows(text) == our_rows(doc)
    return text


def test_editing_one_block_rewrites_only_its_lines() -> None:
    doc = import_text(ORIGINAL)
    doc.blocks[0].params["tag"] = "3.13-slim"
    text = _check(doc)
    assert text == ORIGINAL.replace("python:3.12-slim", "python:3.13-slim")


def test_an_edited_multiline_command_keeps_its_line_breaks() -> None:
    doc = import_text(ORIGINAL)
    run = doc.blocks[3]
    assert run.params["command"] == "pip install --no-cache-dir \n      -r /app/requirements.txt"
    run.params["command"] = run.params["command"].replace("--no-cache-dir", "--no-cache-dir --upgrade")
    text = _check(doc)
    assert "RUN pip install --no-cache-dir --upgrade \\\n      -r /app/requirements.txt\n" in text


def test_undoing_an_edit_restores_the_original_bytes() -> None:
    doc = import_text(ORIGINAL)
    env = doc.blocks[4]
    env.params["pairs"] = [["PORT", "9090"]]
    assert "ENV PORT=9090\n" in _check(doc)
    env.params["pairs"] = [["PORT", "8080"], ["DEBUG", "0"]]
    assert render_text(doc) == ORIGINAL


def test_moving_deleting_and_inserting_blocks() -> None:
    doc = import_text(ORIGINAL)
    comment = doc.blocks.pop(1)
    doc.blocks.insert(3, comment)
    doc.blocks.insert(1, new_block(Kind.WORKDIR, path="/app"))
    del doc.blocks[5]  # ENV
    text = _check(doc)
    assert text.splitlines() == [
        "FROM python:3.12-slim AS app",
        "WORKDIR /app",
        "COPY requirements.txt /app/",
        "RUN pip install --no-cache-dir \\",
        "      -r /app/requirements.txt",
        "# dependencies first, for the cache",
        'CMD ["python", "app.py"]',
    ]


def test_source_map_links_lines_and_blocks_both_ways() -> None:
    doc = import_text(ORIGINAL)
    rendered = render(doc)
    run = doc.blocks[3]
    span = rendered.lines_of(run.id)
    assert span is not None and (span.first, span.last) == (4, 5)
    assert rendered.block_at_line(4) == run.id == rendered.block_at_line(5)
    assert rendered.block_at_line(1) == doc.blocks[0].id
    assert rendered.block_at_line(99) is None
    covered = [line for s in rendered.spans for line in range(s.first, s.last + 1)]
    assert covered == list(range(1, len(rendered.text.splitlines()) + 1))


def test_a_file_without_final_newline_gets_one_before_a_new_block() -> None:
    doc = import_text("FROM a\nRUN b")
    doc.blocks.append(new_block(Kind.CMD, args=["sh"]))
    assert _check(doc) == 'FROM a\nRUN b\nCMD ["sh"]\n'


def test_a_trailing_continuation_at_the_end_of_file_is_closed_when_a_block_follows() -> None:
    doc = import_text("FROM a\nRUN b \\")
    doc.blocks.append(new_block(Kind.CMD, args=["sh"]))
    assert _check(doc) == 'FROM a\nRUN b\nCMD ["sh"]\n'


def test_crlf_documents_stay_crlf_when_edited() -> None:
    doc = import_text("FROM a\r\nRUN b\r\n")
    doc.blocks[1].params["command"] = "c \nd"
    assert _check(doc) == "FROM a\r\nRUN c \\\r\nd\r\n"


# --- every kind, built from the form's point of view --------------------------------------------

word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_./-", min_size=1, max_size=12).filter(
    lambda w: not w.startswith("-") and not w.startswith("<<")
)
key = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ_", min_size=1, max_size=8)
value = st.one_of(word, word.map(lambda w: f'"{w} {w}"'))
any_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=20
)


@st.composite
def blocks(draw: st.DrawFn, kind: Kind | None = None) -> Block:
    kind = kind or draw(st.sampled_from([k for k in INSTRUCTION_KINDS if k is not Kind.ONBUILD]))
    p: dict[str, object] = {}
    if kind is Kind.FROM:
        p = {
            "image": draw(word),
            "tag": draw(st.sampled_from(["", "3.20", "latest"])),
            "stage_name": draw(st.sampled_from(["", "build"])),
            "platform": draw(st.sampled_from(["", "linux/amd64"])),
        }
    elif kind in (Kind.RUN, Kind.CMD, Kind.ENTRYPOINT, Kind.SHELL, Kind.HEALTHCHECK):
        exec_form = kind is Kind.SHELL or draw(st.booleans())
        if exec_form:
            p = {"form": "exec", "args": draw(st.lists(any_text, min_size=1, max_size=4))}
        else:
            lines = draw(
                st.lists(st.lists(word, min_size=1, max_size=3).map(" ".join), min_size=1, max_size=3)
            )
            p = {"form": "shell", "command": " \n    ".join(lines)}
        if kind is Kind.RUN:
            p["mounts"] = draw(
                st.lists(
                    st.sampled_from(["type=cache,target=/root/.cache", "type=bind,target=/a b"]), max_size=2
                )
            )
            p["network"] = draw(st.sampled_from(["", "none", "host"]))
        if kind is Kind.HEALTHCHECK:
            p.update(
                mode="CMD",
                interval=draw(st.sampled_from(["", "30s"])),
                retries=draw(st.sampled_from(["", "3"])),
            )
    elif kind in (Kind.COPY, Kind.ADD):
        paths = st.one_of(word, word.map(lambda w: f"{w} with space"))
        p = {
            "sources": draw(st.lists(paths, min_size=1, max_size=3)),
            "dest": draw(word),
            "chown": draw(st.sampled_from(["", "1000:1000"])),
            "link": draw(st.booleans()),
        }
        if kind is Kind.COPY:
            p["from_stage"] = draw(st.sampled_from(["", "build"]))
            p["exclude"] = draw(st.lists(st.sampled_from(["*.tmp", "cache/"]), max_size=2))
    elif kind is Kind.VOLUME:
        p = {"paths": draw(st.lists(word, min_size=1, max_size=3))}
    elif kind is Kind.EXPOSE:
        p = {"ports": draw(st.lists(st.sampled_from(["80", "443/tcp", "53/udp"]), min_size=1, max_size=3))}
    elif kind in (Kind.ENV, Kind.LABEL):
        p = {"pairs": draw(st.lists(st.tuples(key, value).map(list), min_size=1, max_size=4))}
    elif kind is Kind.ARG:
        p = {
            "args": draw(
                st.lists(
                    st.one_of(key.map(lambda k: [k]), st.tuples(key, word).map(list)), min_size=1, max_size=3
                )
            )
        }
    elif kind is Kind.USER:
        p = {"user": draw(st.sampled_from(["app", "1000:1000", "nobody"]))}
    elif kind is Kind.WORKDIR:
        p = {"path": "/" + draw(word)}
    elif kind is Kind.STOPSIGNAL:
        p = {"signal": draw(st.sampled_from(["SIGTERM", "9", "SIGRTMIN+3"]))}
    elif kind is Kind.MAINTAINER:
        p = {"name": draw(st.lists(word, min_size=1, max_size=3).map(" ".join))}
    return new_block(kind, **p)


@settings(max_examples=300, deadline=None)
@given(st.lists(blocks(), max_size=8), st.sampled_from(["\\", "`"]))
def test_new_blocks_mean_what_their_parameters_say(middle: list[Block], escape: str) -> None:
    head = [new_block(Kind.DIRECTIVE, name="escape", value=escape), new_block(Kind.FROM, image="alpine")]
    doc = Document(head + middle)
    text = _check(doc)
    again = import_text(text)
    expected = [dict(b.params) for b in doc.blocks]
    for params in expected:
        if "sources" in params and paths_need_exec_form([*params["sources"], params["dest"]]):
            params["form"] = "exec"  # paths with spaces can only be written in the JSON form
    assert [b.params for b in again.blocks] == expected


@settings(max_examples=100, deadline=None)
@given(blocks())
def test_onbuild_wraps_any_trigger(trigger: Block) -> None:
    doc = Document([new_block(Kind.FROM, image="alpine"), new_block(Kind.ONBUILD, trigger=trigger)])
    _check(doc)


def test_a_byte_order_mark_is_kept_only_where_it_means_the_same() -> None:
    for text in ("\ufeffFROM a\nRUN b\n", "FROM a\n\ufeff", "FROM a\n\ufeffRUN x\n"):
        assert render_text(import_text(text)) == text
    doc = import_text("\ufeffFROM a\nRUN b\n")
    doc.blocks.reverse()  # the mark was the start of the file; in the middle it would change the FROM line
    assert _check(doc) == "RUN b\nFROM a\n"


def test_a_file_that_starts_with_two_byte_order_marks_keeps_both() -> None:
    # The first mark is the file's own; the second is part of the first word (an unknown instruction to
    # BuildKit too). Both must come back, wherever spaces fall between them.
    texts = ("\ufeff\ufeffFROM busybox\nRUN b\n", "\ufeff \ufeffFROM a\n", "\ufeff\ufeff\ufeff x\nFROM a\n")
    for text in texts:
        assert render_text(import_text(text)) == text
