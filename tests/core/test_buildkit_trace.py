"""The hand-written protobuf reader for BuildKit's StatusResponse, and step names mapped to blocks.

Messages are encoded here with a minimal protobuf writer following the wire format, field numbers from
BuildKit's control.proto; tests/engine/test_build.py decodes what a real engine sends.
"""

from __future__ import annotations

import base64

import pytest

from desktop.dockerfile import import_text
from desktop.engine.build_steps import StepMapper, parse_classic_step, parse_step_name
from desktop.engine.buildkit_trace import TraceDecodeError, decode_trace


def varint(value: int) -> bytes:
    value &= (1 << 64) - 1
    out = bytearray()
    while True:
        byte = value & 0x7F
        value >>= 7
        if value:
            out.append(byte | 0x80)
        else:
            out.append(byte)
            return bytes(out)


def field(number: int, value: int | bytes | str) -> bytes:
    if isinstance(value, int):
        return varint(number << 3) + varint(value)
    data = value.encode() if isinstance(value, str) else value
    return varint(number << 3 | 2) + varint(len(data)) + data


def timestamp(seconds: int, nanos: int) -> bytes:
    return field(1, seconds) + field(2, nanos)


def test_decodes_vertexes_statuses_logs_and_warnings() -> None:
    vertex = (
        field(1, "sha256:abc")
        + field(2, "sha256:in1")
        + field(2, "sha256:in2")
        + field(3, "[stage-0 2/3] RUN make")
        + field(4, 1)
        + field(5, timestamp(1700000000, 500_000_000))
        + field(6, timestamp(1700000002, 0))
        + field(7, "boom")
        + field(99, "a field from a newer engine")  # unknown fields are skipped
    )
    status = field(1, "extracting") + field(2, "sha256:abc") + field(4, 50) + field(5, 100)
    log = field(1, "sha256:abc") + field(2, timestamp(1, 0)) + field(3, 2) + field(4, b"line one\nline")
    warning = field(1, "sha256:abc") + field(2, 1) + field(3, b"deprecated")
    message = field(1, vertex) + field(2, status) + field(3, log) + field(4, warning)

    decoded = decode_trace(base64.b64encode(message).decode())

    (v,) = decoded.vertexes
    assert v.digest == "sha256:abc" and v.inputs == ("sha256:in1", "sha256:in2")
    assert v.name == "[stage-0 2/3] RUN make" and v.cached and v.error == "boom"
    assert v.started == pytest.approx(1700000000.5) and v.completed == 1700000002
    assert decoded.statuses[0].current == 50 and decoded.statuses[0].total == 100
    assert decoded.logs[0].stream == 2 and decoded.logs[0].data == b"line one\nline"
    assert decoded.warnings[0].short == "deprecated"


def test_negative_int64_and_fixed_fields() -> None:
    fixed64 = varint(9 << 3 | 1) + (7).to_bytes(8, "little")
    fixed32 = varint(10 << 3 | 5) + (7).to_bytes(4, "little")
    status = field(1, "x") + field(4, -1) + fixed64 + fixed32

    decoded = decode_trace(field(2, status))

    assert decoded.statuses[0].current == -1


@pytest.mark.parametrize(
    "corrupt",
    [b"\x0a\x05abc", b"\x08", b"\x0b", "not base64!"],
    ids=["short field", "short varint", "group", "not base64"],
)
def test_corrupt_messages_raise_a_decode_error(corrupt: bytes | str) -> None:
    with pytest.raises(TraceDecodeError):
        decode_trace(corrupt)


@pytest.mark.parametrize(
    ("name", "stage", "index", "total", "command"),
    [
        ("[stage-0 2/3] RUN echo hi", "stage-0", 2, 3, "RUN echo hi"),
        ("[2/5] COPY . /app", None, 2, 5, "COPY . /app"),
        ("[builder  3/12] RUN make", "builder", 3, 12, "RUN make"),
        ("[linux/arm64 builder 1/2] FROM x", "builder", 1, 2, "FROM x"),
        ("[ 1/10] FROM x", None, 1, 10, "FROM x"),
    ],
)
def test_step_names(name: str, stage: str | None, index: int, total: int, command: str) -> None:
    step = parse_step_name(name)

    assert step is not None
    assert (step.stage, step.index, step.total, step.command) == (stage, index, total, command)


def test_internal_steps_have_no_parts() -> None:
    assert parse_step_name("[internal] load metadata for docker.io/library/debian:12") is None
    assert parse_classic_step("Step 3/7 : RUN make\n") == (3, 7, "RUN make")
    assert parse_classic_step(" ---> Using cache") is None


DOC = """\
ARG VERSION=1
FROM base:1 AS builder
ENV A=1
WORKDIR /src
COPY . .
RUN make
FROM base:2
LABEL x=y
COPY --from=builder /src/app /app
RUN test
"""


def test_mapper_finds_blocks_per_stage_counting_only_file_system_steps() -> None:
    doc = import_text(DOC)
    mapper = StepMapper(doc)
    ids_by_index = [b.id for b in doc.blocks]

    assert mapper.buildkit_block("[builder 4/4] RUN make") == ids_by_index[5]
    assert mapper.buildkit_block("[builder 1/4] FROM docker.io/library/base:1") == ids_by_index[1]
    assert mapper.buildkit_block("[stage-1 2/3] COPY --from=builder /src/app /app") == ids_by_index[8]
    assert mapper.buildkit_block("[stage-1 3/3] RUN test") == ids_by_index[9]
    assert mapper.buildkit_block("[internal] load build definition from Dockerfile") is None
    assert mapper.classic_block(1) == ids_by_index[0]  # the classic builder counts every instruction
    assert mapper.classic_block(6) == ids_by_index[5]
    assert mapper.classic_block(11) is None  # the LABEL step the engine adds for --label
    assert mapper.from_block_for_image("docker.io/library/base:2") == ids_by_index[6]


def test_a_stage_built_on_another_counts_no_from_step():
    doc = import_text("FROM base:1 AS a\nRUN echo one\nFROM a\nENV X=1\nRUN echo two\nCOPY x /\n")
    mapper = StepMapper(doc)

    assert mapper.buildkit_block("[stage-1 1/2] RUN echo two") == doc.blocks[4].id
    assert mapper.buildkit_block("[stage-1 2/2] COPY x /") == doc.blocks[5].id


def test_classic_output_is_translated_and_logs_of_a_step_are_joined_in_linear_time():
    import time

    from desktop.engine.build_events import StepLog, StepState, StepUpdate
    from desktop.engine.build_progress import ClassicTranslator

    doc = import_text("FROM base\nRUN make\n")
    translator = ClassicTranslator(StepMapper(doc))
    waiting = translator.waiting()
    items = [
        {"stream": "Step 1/2 : FROM base\n"},
        {"stream": " ---> 1234\n"},
        {"stream": "Step 2/2 : RUN make\n"},
    ]
    items += [{"stream": " ---> Running in abc\n"}, {"stream": "\n"}]
    items += [{"stream": f"line {i}\n"} for i in range(100_000)]
    items += [{"stream": "\x1b[91mwarning on stderr\n\x1b[0m"}, {"aux": {"ID": "sha256:feed"}}]

    began = time.perf_counter()
    events = [e for item in items for e in translator.feed(item, 100.0)]
    merged = translator.merge_logs(events) + translator.finish(101.0)
    took = time.perf_counter() - began

    assert [e.state for e in waiting if isinstance(e, StepUpdate)] == [StepState.WAITING] * 2
    logs = [e for e in merged if isinstance(e, StepLog)]
    assert len(logs) == 1 and logs[0].block_id == doc.blocks[1].id
    assert logs[0].lines[:2] == ("line 0", "line 1") and logs[0].lines[-1] == "warning on stderr"
    assert len(logs[0].lines) == 100_001
    final = [e for e in merged if isinstance(e, StepUpdate)]
    assert final[-1].state is StepState.DONE and final[-1].completed == 101.0
    assert translator.image_id == "sha256:feed"
    assert took < 5.0  # joining by re-adding tuples took minutes for this many lines


def test_buildkit_trace_lines_are_whole_and_warnings_are_shown_on_their_step():
    from desktop.engine.build_events import StepLog, StepState, StepUpdate
    from desktop.engine.build_progress import BuildKitTranslator

    doc = import_text("FROM base\nRUN make\n")
    translator = BuildKitTranslator(StepMapper(doc))
    vertex = field(1, "sha256:run") + field(3, "[2/2] RUN make") + field(5, timestamp(10, 0))
    done = vertex + field(6, timestamp(12, 0))

    def feed(message: bytes) -> list:
        return translator.feed({"id": "moby.buildkit.trace", "aux": base64.b64encode(message).decode()})

    events = feed(field(1, vertex))
    events += feed(field(3, field(1, "sha256:run") + field(3, 1) + field(4, b"compiling a")))
    events += feed(
        field(3, field(1, "sha256:run") + field(3, 1) + field(4, b"nd linking\nprogress 1%\rprogress 99%\n"))
    )
    events += feed(field(4, field(1, "sha256:run") + field(3, b"JSON arguments recommended")))
    events += feed(field(1, done))

    logs = [line for e in events if isinstance(e, StepLog) for line in e.lines]
    assert logs == ["compiling and linking", "progress 99%", "warning: JSON arguments recommended"]
    states = [e.state for e in events if isinstance(e, StepUpdate)]
    assert states == [StepState.RUNNING, StepState.DONE]
    assert {e.block_id for e in events} == {doc.blocks[1].id}
