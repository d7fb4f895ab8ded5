"""Cutting an instance's output into lines: per stream, partial lines kept until their newline."""

from __future__ import annotations

import io
import struct

from desktop.engine.logs import MAX_LINE, STDERR, STDOUT, LogLine, _chunks, _frames, _lines


def frame(stream: int, data: bytes) -> bytes:
    return bytes([stream, 0, 0, 0]) + struct.pack(">L", len(data)) + data


def test_frames_are_split_into_lines_per_stream() -> None:
    raw = io.BytesIO(
        frame(1, b"hel")
        + frame(2, b"oops\npart")
        + frame(1, b"lo\nwor")
        + frame(1, b"ld\r\n")
        + frame(2, b"ial")
    )
    assert list(_lines(_frames(_chunks(raw)))) == [
        LogLine(STDERR, "oops"),
        LogLine(STDOUT, "hello"),
        LogLine(STDOUT, "world"),
        LogLine(STDERR, "partial"),  # no newline before the end: still shown
    ]


def test_a_line_without_end_is_cut_in_pieces() -> None:
    raw = io.BytesIO(frame(1, b"x" * (MAX_LINE * 2 + 10)))
    pieces = list(_lines(_frames(_chunks(raw))))
    assert [len(p.text) for p in pieces] == [MAX_LINE, MAX_LINE, 10]


def test_a_frame_cut_short_ends_the_stream() -> None:
    raw = io.BytesIO(frame(1, b"whole\n") + frame(1, b"cut")[:-1])
    assert list(_lines(_frames(_chunks(raw)))) == [LogLine(STDOUT, "whole"), LogLine(STDOUT, "cu")]


def test_frames_split_across_pieces_are_joined() -> None:
    data = frame(1, b"first\n") + frame(2, b"second\n") + frame(1, b"third\n")
    pieces = [data[i : i + 5] for i in range(0, len(data), 5)]  # headers and payloads cut anywhere
    assert list(_lines(_frames(pieces))) == [
        LogLine(STDOUT, "first"),
        LogLine(STDERR, "second"),
        LogLine(STDOUT, "third"),
    ]
