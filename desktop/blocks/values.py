"""Syntax rules for the values of block fields, as Docker and BuildKit check them, and word quoting.

Pure functions without messages: :mod:`desktop.blocks.validate` turns their answers into sentences.
A value holding a variable (``$NAME`` or ``${NAME}``) is only known at build time, so the rules that
depend on the final value accept it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desktop.dockerfile.lexing import is_space

# distribution/reference: a path component is lowercase letters and digits joined by ., _, __ or dashes.
_PATH_COMPONENT = r"[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*"
_DOMAIN_COMPONENT = r"(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])"
_DOMAIN = rf"(?:{_DOMAIN_COMPONENT}(?:\.{_DOMAIN_COMPONENT})*|\[[a-fA-F0-9:]+\])(?::[0-9]+)?"
_IMAGE_NAME = re.compile(rf"(?:{_DOMAIN}/)?{_PATH_COMPONENT}(?:/{_PATH_COMPONENT})*\Z")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}\Z")
_DIGEST = re.compile(
    r"(?P<algorithm>[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*):(?P<hex>[0-9a-fA-F]+)\Z"
)
DIGEST_LENGTHS = {"sha256": 64, "sha384": 96, "sha512": 128}
MAX_IMAGE_NAME = 255
# BuildKit lower-cases a stage name, then requires this.
_STAGE_NAME = re.compile(r"[a-z][a-z0-9\-_.]*\Z")
RESERVED_STAGE_NAMES = frozenset({"scratch", "context"})
_PLATFORM = re.compile(r"[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(?:/[A-Za-z0-9_.-]+)?\Z")
_PORT = re.compile(r"(?P<start>\d+)(?:-(?P<end>\d+))?(?:/(?P<proto>[A-Za-z]+))?\Z")
PORT_PROTOCOLS = ("tcp", "udp", "sctp")
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
# Go's time.ParseDuration units, in nanoseconds.
_DURATION_UNITS = {
    "ns": 1,
    "us": 1_000,
    "µs": 1_000,
    "μs": 1_000,
    "ms": 1_000_000,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
_DURATION_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)")
_OCTAL_MODE = re.compile(r"[0-7]{1,4}\Z")
_SYMBOLIC_MODE = re.compile(
    r"[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+(?:,[ugoa]*(?:[-+=](?:[rwxXst]*|[ugo]))+)*\Z"
)
_OWNER_PART = re.compile(r"[^\s:]+\Z")
# moby/sys/signal's Linux table (names without the SIG prefix).
_SIGNALS = frozenset(
    (
        *("ABRT", "ALRM", "BUS", "CHLD", "CLD", "CONT", "FPE", "HUP", "ILL", "INT", "IO", "IOT", "KILL"),
        *("PIPE", "POLL", "PROF", "PWR", "QUIT", "SEGV", "STKFLT", "STOP", "SYS", "TERM", "TRAP", "TSTP"),
        *("TTIN", "TTOU", "URG", "USR1", "USR2", "VTALRM", "WINCH", "XCPU", "XFSZ", "RTMIN", "RTMAX"),
        *(f"RTMIN+{n}" for n in range(1, 16)),
        *(f"RTMAX-{n}" for n in range(1, 15)),
    )
)
MAX_SIGNAL = 64


def has_variable(value: str) -> bool:
    """Whether the value refers to a build variable, so its final form is only known while building."""
    return "$" in value


def has_space(value: str) -> bool:
    """Whether the value holds a character Docker's parser treats as a space."""
    return any(is_space(ch) for ch in value)


@dataclass(frozen=True)
class ImageRef:
    """An image reference split as written: ``name[:tag][@digest]``."""

    name: str
    tag: str
    digest: str


def split_image_ref(ref: str) -> ImageRef:
    """Split ``alpine:3.20@sha256:…`` into name, tag and digest; a registry's ``:port`` stays in the name."""
    name, _at, digest = ref.partition("@")
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:
        return ImageRef(name[:colon], name[colon + 1 :], digest)
    return ImageRef(name, "", digest)


def tag_apart(image: str, tag: str) -> tuple[str, str] | None:
    """``alpine:3.20`` typed as the image while the version is empty: ``("alpine", "3.20")``, for the two
    fields of a FROM; None when there is nothing to move (no tag, a tag given apart, a digest, a variable).
    """
    if tag or has_variable(image) or has_space(image):
        return None
    ref = split_image_ref(image)
    if not ref.tag or ref.digest or not tag_ok(ref.tag) or not ref.name:
        return None
    return ref.name, ref.tag


def image_name_ok(name: str) -> bool:
    """Whether ``name`` (without tag or digest) is a valid repository name, as Docker requires."""
    return len(name) <= MAX_IMAGE_NAME and _IMAGE_NAME.match(name) is not None


def tag_ok(tag: str) -> bool:
    """Whether a tag is valid: a letter, digit or _, then up to 127 of those, ``.`` and ``-``."""
    return _TAG.match(tag) is not None


def digest_problem(digest: str) -> tuple[str, int, int] | None:
    """None when the digest is valid; else ("format", 0, 0) or ("length", found, expected) hex digits."""
    match = _DIGEST.match(digest)
    if match is None:
        return ("format", 0, 0)
    expected = DIGEST_LENGTHS.get(match.group("algorithm"))
    found = len(match.group("hex"))
    if expected is not None and found != expected:
        return ("length", found, expected)
    if expected is None and found < 32:
        return ("format", 0, 0)
    return None


def platform_ok(platform: str) -> bool:
    """Whether a platform looks like ``os/arch`` or ``os/arch/variant``."""
    return _PLATFORM.match(platform) is not None


def stage_name_ok(name: str) -> bool:
    """Whether BuildKit accepts a stage name (it compares names in lowercase)."""
    return _STAGE_NAME.match(name.lower()) is not None


def identifier_ok(name: str) -> bool:
    """Whether a variable name can be used as ``$NAME`` later."""
    return _IDENTIFIER.match(name) is not None


@dataclass(frozen=True)
class PortProblem:
    """What is wrong with one EXPOSE item: ``kind`` is format, range, order, host, protocol or case."""

    kind: str
    suggestion: str = ""


def port_problem(item: str) -> PortProblem | None:
    """None for a valid EXPOSE item like ``80``, ``53/udp`` or ``8000-8010/tcp``."""
    if has_variable(item):
        return None
    if ":" in item:
        # 8080:80 is a docker run -p mapping; the container port is the last number.
        return PortProblem("host", item.rsplit(":", 1)[1])
    match = _PORT.match(item)
    if match is None:
        return PortProblem("format")
    start = int(match.group("start"))
    end = int(match.group("end") or start)
    if not (1 <= start <= 65535 and 1 <= end <= 65535):
        return PortProblem("range")
    if end < start:
        return PortProblem("order", f"{end}-{start}")
    proto = match.group("proto")
    if proto is not None and proto.lower() not in PORT_PROTOCOLS:
        return PortProblem("protocol")
    if proto is not None and proto != proto.lower():
        return PortProblem("case", item[: match.start("proto")] + proto.lower())
    return None


def parse_duration(text: str) -> int | None:
    """A Go duration (``30s``, ``1m30s``, ``500ms``, ``0``) in nanoseconds, or None when it is not one."""
    body = text[1:] if text[:1] in "+-" else text
    sign = -1 if text.startswith("-") else 1
    if body == "0":
        return 0
    if not body:
        return None
    total, pos = 0.0, 0
    while pos < len(body):
        match = _DURATION_PART.match(body, pos)
        if match is None:
            return None
        total += float(match.group(1)) * _DURATION_UNITS[match.group(2)]
        pos = match.end()
    return sign * int(total)


def signal_ok(signal: str) -> bool:
    """Whether Docker knows the stop signal: a name with or without SIG, any case, or a number 1 to 64."""
    if signal.isdigit():
        return 1 <= int(signal) <= MAX_SIGNAL
    upper = signal.upper()
    return (upper[3:] if upper.startswith("SIG") else upper) in _SIGNALS


def chmod_ok(mode: str) -> bool:
    """Whether a ``--chmod`` value is octal (``755``, ``0644``) or symbolic (``u+x,g-w``)."""
    return _OCTAL_MODE.match(mode) is not None or _SYMBOLIC_MODE.match(mode) is not None


def owner_ok(owner: str) -> bool:
    """Whether a user (``USER``, ``--chown``) is ``name`` or ``name:group``, names or numbers, no spaces."""
    if has_space(owner):
        return False
    parts = owner.split(":")
    return len(parts) <= 2 and all(_OWNER_PART.match(part) for part in parts)


def open_quote(text: str, escape: str) -> str | None:
    """The quote left open at the end of a word list, as BuildKit's word parser reads it, or None."""
    quote: str | None = None
    pos = 0
    while pos < len(text):
        ch = text[pos]
        if quote is None:
            if ch == escape:
                pos += 1
            elif ch in "\"'":
                quote = ch
        elif ch == quote:
            quote = None
        elif ch == escape and quote == '"':
            pos += 1
        pos += 1
    return quote


def ends_with_escape(line: str, escape: str) -> bool:
    """Whether BuildKit reads a line as continuing on the next one.

    That is when it ends with the escape character (spaces after it do not count) not itself preceded by
    the escape character: BuildKit looks at one character before it only.
    """
    stripped = line.rstrip(" \t")
    return stripped.endswith(escape) and (len(stripped) == 1 or stripped[-2] != escape)


def quote_word(value: str, escape: str = "\\") -> str:
    """Write a value so that Docker reads it as one word: in double quotes when it needs them.

    Double quotes and the escape character are escaped; an escaped ``$`` (a literal dollar sign) is kept.
    The inverse of :func:`unquote_word`.

    Args:
        value: the value as the user means it, e.g. ``Hello world``.
        escape: the document's escape character.

    Returns:
        ``value`` itself when it is a plain word, else e.g. ``"Hello world"``.
    """
    if value and not any(is_space(ch) or ch in "\"'" or ch == escape for ch in value):
        return value
    out = ['"']
    pos = 0
    while pos < len(value):
        ch = value[pos]
        if ch == escape and value[pos + 1 : pos + 2] == "$":
            out.append(ch + "$")
            pos += 2
            continue
        if ch in ('"', escape):
            out.append(escape)
        out.append(ch)
        pos += 1
    out.append('"')
    return "".join(out)


def unquote_word(word: str, escape: str = "\\") -> str:
    """The value a word means, quotes and escapes removed, for showing in a form field.

    ``$`` expansion is not performed: a dollar sign that the word makes literal (escaped, or inside single
    quotes) is shown as an escaped ``\\$``, so that writing the value back keeps its meaning.

    Args:
        word: one word as written in the Dockerfile, e.g. ``"Hello \\"world\\""``.
        escape: the document's escape character.
    """
    out: list[str] = []
    quote: str | None = None
    pos = 0
    while pos < len(word):
        ch = word[pos]
        nxt = word[pos + 1 : pos + 2]
        if quote == "'":
            if ch == "'":
                quote = None
            else:
                out.append(escape + "$" if ch == "$" else ch)
        elif ch == escape:
            if quote == '"' and nxt not in ('"', "$", escape):
                out.append(ch)  # inside double quotes, other escapes are kept as written
            elif nxt:
                out.append(escape + "$" if nxt == "$" else nxt)
                pos += 1
        elif ch in "\"'" and quote is None:
            quote = ch
        elif ch == '"' and quote == '"':
            quote = None
        else:
            out.append(ch)
        pos += 1
    return "".join(out)
