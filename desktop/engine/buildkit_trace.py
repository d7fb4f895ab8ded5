"""Decodes BuildKit's progress messages (``moby.buildkit.trace``) without a protobuf library.

With ``POST /build?version=2`` the engine sends each progress update as a JSON line
``{"id": "moby.buildkit.trace", "aux": "<base64>"}`` whose payload is a protobuf
``moby.buildkit.v1.StatusResponse`` (BuildKit's ``api/services/control/control.proto``). Only a handful of
fields matter to us, so a small reader of the protobuf wire format does the job: a new dependency (and
generated code that must match the engine's version) would cost more than these hundred lines.

Unknown fields are skipped, as protobuf requires, so newer engines that add fields decode just as well.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from dataclasses import dataclass

# Wire types of the protobuf encoding.
_VARINT = 0
_FIXED64 = 1
_LENGTH = 2
_FIXED32 = 5


class TraceDecodeError(ValueError):
    """The bytes are not a well-formed protobuf message."""


@dataclass(frozen=True)
class Vertex:
    """One node of the build graph: a Dockerfile step, or an internal one (``[internal] load ...``)."""

    digest: str
    name: str
    inputs: tuple[str, ...] = ()
    cached: bool = False
    started: float | None = None
    completed: float | None = None
    error: str = ""


@dataclass(frozen=True)
class VertexStatus:
    """Progress of one piece of work inside a vertex (a layer extracted, bytes transferred)."""

    id: str
    vertex: str
    name: str = ""
    current: int = 0
    total: int = 0
    started: float | None = None
    completed: float | None = None


@dataclass(frozen=True)
class VertexLog:
    """Output a vertex printed; ``stream`` is 1 for stdout and 2 for stderr."""

    vertex: str
    stream: int
    data: bytes


@dataclass(frozen=True)
class VertexWarning:
    """A warning the Dockerfile frontend attached to a vertex (newer engines only)."""

    vertex: str
    short: str


@dataclass(frozen=True)
class StatusResponse:
    """One decoded ``moby.buildkit.trace`` message."""

    vertexes: tuple[Vertex, ...] = ()
    statuses: tuple[VertexStatus, ...] = ()
    logs: tuple[VertexLog, ...] = ()
    warnings: tuple[VertexWarning, ...] = ()


def decode_trace(aux: str | bytes) -> StatusResponse:
    """Decodes the ``aux`` of a ``moby.buildkit.trace`` line (base64 text, or the raw protobuf bytes).

    Raises:
        TraceDecodeError: the payload is not base64 or not a StatusResponse.
    """
    if isinstance(aux, str):
        try:
            data = base64.b64decode(aux, validate=True)
        except ValueError as error:
            raise TraceDecodeError(f"the trace is not base64: {error}") from None
    else:
        data = aux
    vertexes: list[Vertex] = []
    statuses: list[VertexStatus] = []
    logs: list[VertexLog] = []
    warnings: list[VertexWarning] = []
    for number, _, value in _fields(data):
        if not isinstance(value, bytes):
            continue
        if number == 1:
            vertexes.append(_vertex(value))
        elif number == 2:
            statuses.append(_status(value))
        elif number == 3:
            logs.append(_log(value))
        elif number == 4:
            warnings.append(_warning(value))
    return StatusResponse(tuple(vertexes), tuple(statuses), tuple(logs), tuple(warnings))


def _vertex(data: bytes) -> Vertex:
    digest = name = error = ""
    inputs: list[str] = []
    cached = False
    started = completed = None
    for number, _, value in _fields(data):
        if number == 1:
            digest = _text(value)
        elif number == 2:
            inputs.append(_text(value))
        elif number == 3:
            name = _text(value)
        elif number == 4:
            cached = bool(value)
        elif number == 5:
            started = _timestamp(value)
        elif number == 6:
            completed = _timestamp(value)
        elif number == 7:
            error = _text(value)
    return Vertex(digest, name, tuple(inputs), cached, started, completed, error)


def _status(data: bytes) -> VertexStatus:
    ident = vertex = name = ""
    current = total = 0
    started = completed = None
    for number, _, value in _fields(data):
        if number == 1:
            ident = _text(value)
        elif number == 2:
            vertex = _text(value)
        elif number == 3:
            name = _text(value)
        elif number == 4:
            current = _signed(value)
        elif number == 5:
            total = _signed(value)
        elif number == 7:
            started = _timestamp(value)
        elif number == 8:
            completed = _timestamp(value)
    return VertexStatus(ident, vertex, name, current, total, started, completed)


def _log(data: bytes) -> VertexLog:
    vertex = ""
    stream = 0
    message = b""
    for number, _, value in _fields(data):
        if number == 1:
            vertex = _text(value)
        elif number == 3:
            stream = _signed(value)
        elif number == 4 and isinstance(value, bytes):
            message = value
    return VertexLog(vertex, stream, message)


def _warning(data: bytes) -> VertexWarning:
    vertex = short = ""
    for number, _, value in _fields(data):
        if number == 1:
            vertex = _text(value)
        elif number == 3:
            short = _text(value)
    return VertexWarning(vertex, short)


def _timestamp(value: int | bytes) -> float | None:
    """A google.protobuf.Timestamp (seconds 1, nanos 2) as seconds since the epoch."""
    if not isinstance(value, bytes):
        return None
    seconds = nanos = 0
    for number, _, part in _fields(value):
        if number == 1:
            seconds = _signed(part)
        elif number == 2:
            nanos = _signed(part)
    return seconds + nanos / 1e9


def _text(value: int | bytes) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else ""


def _signed(value: int | bytes) -> int:
    """An int64 field: varints carry negative numbers as their 64-bit two's complement."""
    if not isinstance(value, int):
        return 0
    return value - (1 << 64) if value >= 1 << 63 else value


def _fields(data: bytes) -> Iterator[tuple[int, int, int | bytes]]:
    """The (field number, wire type, value) of each field: ints for varints and fixed, bytes otherwise."""
    position = 0
    end = len(data)
    while position < end:
        key, position = _varint(data, position)
        number, wire = key >> 3, key & 7
        if wire == _VARINT:
            value, position = _varint(data, position)
            yield number, wire, value
        elif wire == _LENGTH:
            size, position = _varint(data, position)
            if position + size > end:
                raise TraceDecodeError("a field runs past the end of the message")
            yield number, wire, data[position : position + size]
            position += size
        elif wire == _FIXED64:
            if position + 8 > end:
                raise TraceDecodeError("a 64-bit field runs past the end of the message")
            yield number, wire, int.from_bytes(data[position : position + 8], "little")
            position += 8
        elif wire == _FIXED32:
            if position + 4 > end:
                raise TraceDecodeError("a 32-bit field runs past the end of the message")
            yield number, wire, int.from_bytes(data[position : position + 4], "little")
            position += 4
        else:  # groups (3, 4) are not used by BuildKit; anything else is corrupt
            raise TraceDecodeError(f"unsupported wire type {wire} in field {number}")


def _varint(data: bytes, position: int) -> tuple[int, int]:
    result = shift = 0
    while True:
        if position >= len(data):
            raise TraceDecodeError("a number runs past the end of the message")
        byte = data[position]
        position += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, position
        shift += 7
        if shift > 63:
            raise TraceDecodeError("a number is longer than 64 bits")
