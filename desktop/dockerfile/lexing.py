"""Low-level reading rules of BuildKit's Dockerfile parser, reproduced exactly.

BuildKit's parser (frontend/dockerfile/parser) is the reference: Docker builds what it reads. These
functions follow its rules, including its quirks (which characters count as spaces, how a flag value is
unquoted, how a JSON array is recognised), so that what our blocks say an instruction means is what Docker
will do. The conformance tests compare every result against the real parser.
"""

from __future__ import annotations

import json
import re

# Go's unicode.IsSpace: Latin-1 spaces plus the Unicode White_Space characters above U+00FF.
_GO_SPACES = frozenset(
    "\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a"
    "\u2028\u2029\u202f\u205f\u3000"
)
_GO_BYTE_SPACES = frozenset(b"\t\n\v\f\r \x85\xa0")  # unicode.IsSpace(rune(b)) for a single byte
WHITESPACE_RUN = re.compile(r"[\t\v\f\r ]+")
# Go's \s is [\t\n\f\r ] (no vertical tab).
DIRECTIVE_LINE = re.compile(
    r"^#[\t\n\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\n\f\r ]*=[\t\n\f\r ]*(.+?)[\t\n\f\r ]*\Z", re.DOTALL
)
VALID_DIRECTIVES = frozenset({"syntax", "escape", "check"})
ENCODING = "utf-8"
ERRORS = "surrogateescape"  # keeps any byte sequence, so rendering gives the same bytes back


def is_space(ch: str) -> bool:
    """Go's unicode.IsSpace."""
    return ch in _GO_SPACES


GO_SPACE_CHARS = "".join(sorted(_GO_SPACES))
_GO_SPACE_RUN = re.compile("[" + re.escape(GO_SPACE_CHARS) + "]+")


def trim_left_space(text: str) -> str:
    """strings.TrimLeftFunc(text, unicode.IsSpace)."""
    return text.lstrip(GO_SPACE_CHARS)


def trim_space(text: str) -> str:
    """strings.TrimSpace."""
    return text.strip(GO_SPACE_CHARS)


def trim_newline(text: str) -> str:
    """bytes.TrimRight(line, "\\r\\n")."""
    return text.rstrip("\r\n")


def is_comment(line: str) -> bool:
    """A physical line whose first non-space character is ``#``."""
    return trim_left_space(line).startswith("#")


_CONTINUATION_TAIL = frozenset("\\` \t")  # a continuation line ends with an escape character or blanks


def continuation_pattern(escape: str) -> re.Pattern[str]:
    """BuildKit's line-continuation rule: the escape character last on the line, unless itself escaped."""
    e = re.escape(escape)
    return re.compile(rf"([^{e}]){e}[ \t]*\Z|^{e}[ \t]*\Z", re.DOTALL)


def trim_continuation(line: str, pattern: re.Pattern[str]) -> tuple[str, bool]:
    """Remove a trailing continuation; returns the line and whether it was the end of the instruction."""
    if not line or line[-1] not in _CONTINUATION_TAIL:
        return line, True  # the common case, decided without the regular expression
    match = pattern.search(line)
    if match is None:
        return line, True
    return line[: match.start()] + (match.group(1) or ""), False


def split_command(line: str) -> tuple[str, list[str], str, int]:
    """Split a logical line into keyword, flags and arguments, as BuildKit's splitCommand.

    Returns:
        keyword, flags (``--name=value`` as read, quotes removed), arguments (trimmed) and the offset
        of the arguments in ``line`` (used to keep line breaks of multi-line commands).
    """
    left = line.lstrip(GO_SPACE_CHARS)
    offset = len(line) - len(left)
    stripped = left.rstrip(GO_SPACE_CHARS)
    match = WHITESPACE_RUN.search(stripped)
    if match is None:
        return stripped, [], "", len(line)
    keyword = stripped[: match.start()]
    rest = stripped[match.end() :]
    rest_offset = offset + match.end()
    if rest.startswith("--") or (rest and rest[0] >= "\x80"):
        remaining, flags = extract_builder_flags(rest)
    else:
        remaining, flags = rest, []  # no flags: the arguments follow the keyword's spaces directly
    args = remaining.lstrip(GO_SPACE_CHARS)
    args_offset = rest_offset + (len(rest) - len(args))
    args = args.rstrip(GO_SPACE_CHARS)
    return keyword, flags, args, args_offset


def extract_builder_flags(line: str) -> tuple[str, list[str]]:
    """BuildKit's extractBuilderFlags: leading ``--flag`` words, byte by byte as Go reads them."""
    head = line.lstrip("\t\n\v\f\r ")
    if not head.startswith("--") and (not head or head[0] < "\x80"):
        return head, []  # the common case: no flags (Go only skips these single-byte spaces)
    data = line.encode(ENCODING, ERRORS)
    words: list[bytes] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    word = bytearray()
    quote = 0
    blank_ok = False
    pos = 0
    size = len(data)
    while pos <= size:
        ch = data[pos] if pos != size else 0
        if phase == in_spaces:
            if pos == size:
                break
            if ch in _GO_BYTE_SPACES:
                pos += 1
                continue
            if ch != ord("-") or pos + 1 == size or data[pos + 1] != ord("-"):
                return data[pos:].decode(ENCODING, ERRORS), _decode_all(words)
            phase = in_word
        if phase in (in_word, in_quote) and pos == size:
            if bytes(word) != b"--" and (blank_ok or word):
                words.append(bytes(word))
            break
        if phase == in_word:
            if ch in _GO_BYTE_SPACES:
                phase = in_spaces
                if bytes(word) == b"--":
                    return data[pos:].decode(ENCODING, ERRORS), _decode_all(words)
                if blank_ok or word:
                    words.append(bytes(word))
                word = bytearray()
                blank_ok = False
                pos += 1
                continue
            if ch in (ord("'"), ord('"')):
                quote = ch
                blank_ok = True
                phase = in_quote
                pos += 1
                continue
            if ch == ord("\\"):
                if pos + 1 == size:
                    pos += 1
                    continue
                pos += 1
                ch = data[pos]
            word.append(ch)
            pos += 1
            continue
        # in_quote
        if ch == quote:
            phase = in_word
            pos += 1
            continue
        if ch == ord("\\"):
            if pos + 1 == size:
                phase = in_word
                pos += 1
                continue
            pos += 1
            ch = data[pos]
        word.append(ch)
        pos += 1
    return "", _decode_all(words)


def _decode_all(words: list[bytes]) -> list[str]:
    return [w.decode(ENCODING, ERRORS) for w in words]


def parse_words(rest: str, escape: str) -> list[str]:
    """BuildKit's parseWords: space-separated words, quotes kept, used by ENV, LABEL and ARG."""
    if "'" not in rest and '"' not in rest and escape not in rest:
        return _GO_SPACE_RUN.split(rest.strip(GO_SPACE_CHARS)) if rest.strip(GO_SPACE_CHARS) else []
    words: list[str] = []
    in_spaces, in_word, in_quote = 0, 1, 2
    phase = in_spaces
    quote = ""
    blank_ok = False
    buf: list[str] = []
    pos = 0
    size = len(rest)
    while pos <= size:
        ch = rest[pos] if pos != size else ""
        if phase == in_spaces:
            if pos == size:
                break
            if is_space(ch):
                pos += 1
                continue
            phase = in_word
        if phase == in_word and pos == size:
            if blank_ok or buf:
                words.append("".join(buf))
            break
        if phase == in_word:
            if is_space(ch):
                phase = in_spaces
                if blank_ok or buf:
                    words.append("".join(buf))
                buf = []
                blank_ok = False
                pos += 1
                continue
            if ch in ("'", '"'):
                quote = ch
                blank_ok = True
                phase = in_quote
            if ch == escape:
                if pos + 1 == size:
                    pos += 1
                    continue
                buf.append(ch)
                pos += 1
                ch = rest[pos]
            buf.append(ch)
            pos += 1
            continue
        # in_quote; at the end of input Go reads the last character again, which adds nothing new
        if pos == size:
            if blank_ok or buf:
                words.append("".join(buf))
            break
        if ch == quote:
            phase = in_word
        if ch == escape and quote != "'":
            if pos + 1 == size:
                phase = in_word
                pos += 1
                continue
            pos += 1
            buf.append(ch)
            ch = rest[pos]
        buf.append(ch)
        pos += 1
    return words


class NotStringArray(ValueError):
    """A JSON array holding something other than strings: BuildKit refuses the instruction."""


def _refuse_constant(name: str) -> object:
    raise ValueError(name)  # NaN and Infinity are not JSON to Go


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (float("inf"), float("-inf")):
        raise ValueError(text)  # Go refuses a number beyond float64, so the array is not JSON to it
    return value


_DECODER = json.JSONDecoder(parse_constant=_refuse_constant, parse_float=_finite_float)


def parse_json_array(rest: str) -> list[str] | None:
    """The exec form: a JSON array of strings, or None when ``rest`` is not a JSON array.

    Raises:
        NotStringArray: the array holds something other than strings.
    """
    text = trim_left_space(rest)
    if not text.startswith("["):
        return None
    try:
        value, _end = _DECODER.raw_decode(text)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    if not all(isinstance(item, str) for item in value):
        raise NotStringArray("when using JSON array syntax, arrays must be comprised of strings only")
    return value


def split_whitespace(rest: str) -> list[str]:
    """parseStringsWhitespaceDelimited: nothing for an empty text, else a regexp split."""
    if rest == "":
        return []
    return WHITESPACE_RUN.split(rest)
