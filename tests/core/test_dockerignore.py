"""``.dockerignore`` semantics: a table of patterns and paths with what ``docker build`` does with them.

The rows follow moby/patternmatcher (the docker CLI's matcher) and the examples of Docker's documentation;
tests/engine/test_build_context.py checks the same rules end to end against the docker CLI itself.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.engine.build_context import scan_context, stream_context
from desktop.engine.dockerignore import DockerIgnore, DockerignoreError, clean_path, read_patterns

# (the .dockerignore text, a path relative to the build folder, whether the CLI leaves it out)
TABLE = [
    # A plain name: the file or folder at the top, and everything inside a folder.
    ("secret.txt", "secret.txt", True),
    ("secret.txt", "sub/secret.txt", False),
    ("build", "build/out/app.bin", True),
    ("build", "builder", False),
    # A trailing "/", a leading "/", "./" and ".." are cleaned away.
    ("build/", "build/app.bin", True),
    ("/build", "build/app.bin", True),
    ("./build", "build/app.bin", True),
    ("foo/../bar", "bar", True),
    ("a//b", "a/b", True),
    # "*" and "?" never cross a "/".
    ("*.txt", "notes.txt", True),
    ("*.txt", "docs/notes.txt", False),
    ("*/temp*", "somedir/temporary.txt", True),
    ("*/temp*", "temp", False),
    ("*/*/temp*", "somedir/subdir/temporary.txt", True),
    ("temp?", "tempa", True),
    ("temp?", "temp", False),
    ("temp?", "tempab", False),
    ("?.txt", "a.txt", True),
    ("?.txt", "ab.txt", False),
    ("*", "anything", True),
    ("*", "deep/inside/file", True),
    ("dir/*", "dir/file", True),
    ("dir/*", "dir", False),
    # "**" crosses any number of folders, none included.
    ("**/*.go", "main.go", True),
    ("**/*.go", "src/pkg/main.go", True),
    ("**/*.go", "src/pkg/main.golang", False),
    ("**/node_modules", "node_modules/x/index.js", True),
    ("**/node_modules", "web/node_modules/x/index.js", True),
    ("**", "any/thing", True),
    ("a/**", "a/b/c", True),
    ("a/**", "a", False),
    ("a/**/b", "a/b", True),
    ("a/**/b", "a/x/y/b", True),
    ("a/**/b", "a/x/y/c", False),
    ("**/cache/**", "x/cache/y", True),
    # Character classes as in filepath.Match.
    ("[ab].txt", "a.txt", True),
    ("[ab].txt", "c.txt", False),
    ("[^a].txt", "b.txt", True),
    ("[^a].txt", "a.txt", False),
    ("file[0-9].log", "file7.log", True),
    ("file[0-9].log", "filex.log", False),
    # Regexp characters that mean nothing to filepath.Match are literal.
    ("a+b(1).txt", "a+b(1).txt", True),
    ("*.tar.gz", "backup.tar.gz", True),
    ("*.tar.gz", "backup.tarxgz", False),
    # Comments, blank lines and spaces around a pattern.
    ("# secret.txt", "secret.txt", False),
    ("  secret.txt  ", "secret.txt", True),
    ("\n\nsecret.txt\n", "secret.txt", True),
    # "!" brings paths back; the last matching line wins.
    ("*.md\n!README.md", "README.md", False),
    ("*.md\n!README.md", "CHANGES.md", True),
    ("!README.md\n*.md", "README.md", True),
    ("docs\n!docs/keep.md", "docs/keep.md", False),
    ("docs\n!docs/keep.md", "docs/other.md", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README-secret.md", True),
    ("*.md\n!README*.md\nREADME-secret.md", "README.md", False),
    ("*.md\nREADME-secret.md\n!README*.md", "README-secret.md", False),
    ("**/*.log\n!important/*.log", "important/keep.log", False),
    ("**/*.log\n!important/*.log", "other/drop.log", True),
    ("! spaced.txt", "spaced.txt", False),
]


@pytest.mark.parametrize(("ignore", "path", "excluded"), TABLE)
def test_pattern_table(ignore: str, path: str, excluded: bool) -> None:
    matcher = DockerIgnore(read_patterns(ignore))

    assert matcher.is_excluded(path) is excluded


@pytest.mark.parametrize(("ignore", "path", "excluded"), TABLE)
def test_walk_with_parent_results_agrees_with_the_table(ignore: str, path: str, excluded: bool) -> None:
    """The walk checks a path with its folders' results (MatchesUsingParentResults): same answers."""
    matcher = DockerIgnore(read_patterns(ignore))
    parts = path.split("/")
    from desktop.engine.dockerignore import ParentMatch

    parent = ParentMatch()
    answer = False
    for depth in range(1, len(parts) + 1):
        answer, parent = matcher.check("/".join(parts[:depth]), parent)

    assert answer is excluded


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [("a/./b/", "a/b"), ("/x", "/x"), ("//x//y", "/x/y"), ("a/../..", ".."), ("", "."), (".", ".")],
)
def test_clean_path_follows_go(raw: str, cleaned: str) -> None:
    assert clean_path(raw) == cleaned


def test_reader_strips_a_bom_and_the_leading_slash_of_exceptions() -> None:
    assert read_patterns("\ufeff/a\n!/b/\n#c\n") == ["a", "!b"]


@pytest.mark.parametrize("bad", ["!", "[a", "file\\"])
def test_malformed_patterns_are_refused_with_a_sentence(bad: str) -> None:
    with pytest.raises(DockerignoreError) as caught:
        DockerIgnore([bad])
    assert str(caught.value).endswith(".")


def test_scan_sends_dockerfile_and_dockerignore_even_when_listed(tmp_path: Path) -> None:
    (tmp_path / ".dockerignore").write_text("Dockerfile\n.dockerignore\n*.bin\n")
    (tmp_path / "Dockerfile").write_text("FROM old\n")
    (tmp_path / "big.bin").write_bytes(b"x" * 100)
    (tmp_path / "app.py").write_text("print(1)\n")

    scan = scan_context(tmp_path)

    assert [e.path for e in scan.entries] == [".dockerignore", "Dockerfile", "app.py"]


def test_excluded_folder_is_walked_only_when_an_exception_may_reach_inside(tmp_path: Path) -> None:
    for name in ("docs/keep.md", "docs/drop.md", "cache/a/b.txt"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(name)
    (tmp_path / ".dockerignore").write_text("docs\n!docs/keep.md\ncache\n")

    paths = [e.path for e in scan_context(tmp_path).entries]

    assert paths == [".dockerignore", "docs/keep.md"]  # as the CLI: no entry for the excluded folder


def test_scan_sizes_and_largest_entries(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "a.bin").write_bytes(bytes(3000))
    (tmp_path / "data" / "b.bin").write_bytes(bytes(2000))
    (tmp_path / "video.mp4").write_bytes(bytes(4000))
    (tmp_path / "small.txt").write_text("hi")

    scan = scan_context(tmp_path)

    assert scan.total_bytes == 9002 and scan.file_count == 4
    assert scan.largest(2) == [("data", 5000), ("video.mp4", 4000)]
    assert scan.largest_files(1) == [("video.mp4", 4000)]


def test_stream_is_a_tar_with_the_rendered_dockerfile(tmp_path: Path) -> None:
    import io
    import tarfile

    (tmp_path / "Dockerfile").write_text("FROM stale\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "file.txt").write_bytes(b"content" * 1000)
    (tmp_path / "link").symlink_to("sub/file.txt")
    progress: list[int] = []

    data = b"".join(stream_context(scan_context(tmp_path), b"FROM fresh\n", progress.append))

    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = tar.getnames()
        dockerfile = tar.extractfile("Dockerfile")
        assert dockerfile is not None and dockerfile.read() == b"FROM fresh\n"
        member = tar.getmember("sub/file.txt")
        assert member.size == 7000 and member.uid == 0
        assert tar.getmember("link").linkname == "sub/file.txt"
    assert sorted(names) == ["Dockerfile", "link", "sub", "sub/file.txt"]
    assert progress[-1] == 7000
