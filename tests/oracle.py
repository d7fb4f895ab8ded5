"""The reference parser (BuildKit's own Go parser, through the `dockerfile` package) as a test oracle.

Comparisons use a few normalisations, each a fact about BuildKit rather than a loosening:
- the binding passes strings through C, which ends them at a NUL character, so values are cut there;
- BuildKit reads flags independently of their order, so flags compare as sorted lists;
- FROM's ``AS`` keyword is case-insensitive, so it compares upper-cased;
- BuildKit builds flag words byte by byte, turning each byte into the character of that code (so "é"
  comes out as "Ã©"); we keep the text the user wrote, so the oracle's flags are turned back to bytes
  and read as UTF-8 before comparing.
"""

from __future__ import annotations

import os
from pathlib import Path

import dockerfile

from desktop.blocks.model import Document
from desktop.dockerfile.semantics import meaning_of

Row = tuple[str, str | None, bool, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]
# ../shared/corpus beside the repository, or wherever DOCKBLOCKS_CORPUS points (a clone elsewhere).
_BESIDE = Path(__file__).resolve().parents[2] / "shared" / "corpus"
CORPUS = Path(os.environ.get("DOCKBLOCKS_CORPUS") or _BESIDE)
CORPUS_SKIP_REASON = (
    f"the BuildKit parser corpus is not here ({CORPUS}); it lives beside the repository on the "
    "development machines and is not copied into it (set DOCKBLOCKS_CORPUS to its folder)"
)


def corpus_files(folder: str) -> list[Path]:
    """Every Dockerfile of one corpus folder, or an empty list when the corpus is absent."""
    root = CORPUS / folder
    return sorted(root.glob("*/Dockerfile")) if root.is_dir() else []


def _cut(value: str) -> str:
    return value.split("\x00", 1)[0]


def _flag_text(flag: str) -> str:
    try:
        return flag.encode("latin-1").decode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return flag


def normalize(rows: list[Row]) -> list[Row]:
    out = []
    for keyword, sub, is_json, flags, value, heredocs in rows:
        value = tuple(_cut(v) for v in value)
        if keyword == "FROM" and len(value) >= 3 and value[1].lower() == "as":
            value = (value[0], "AS", *value[2:])
        flags = tuple(sorted(_cut(f) for f in flags))
        out.append((keyword, sub, is_json, flags, value, heredocs))
    return out


def oracle_rows(text: str) -> list[Row]:
    """What BuildKit's parser reads; raises dockerfile.GoParseError where it refuses the text."""
    return normalize(
        [
            (
                (c.cmd or "").upper(),
                c.sub_cmd.upper() if c.sub_cmd else None,
                bool(c.json),
                tuple(_flag_text(f) for f in c.flags),
                tuple(c.value),
                tuple((h.name, h.content) for h in c.heredocs),
            )
            for c in dockerfile.parse_string(text)
        ]
    )


def our_rows(doc: Document) -> list[Row]:
    """What our blocks say the same instructions mean."""
    rows: list[Row] = []
    for block in doc.instructions():
        m = meaning_of(block)
        rows.append((m.keyword, m.sub_keyword, m.json, m.flags, m.value, m.heredocs))
    return normalize(rows)
