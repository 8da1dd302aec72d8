"""Finding the documents under the paths a user gives: folders searched recursively,
hidden entries and plain non-documents left out, files in pathlib's order."""

from __future__ import annotations

import os
from pathlib import Path

from planx.pipeline.discover import discover


def _touch(root: Path, *names: str) -> None:
    for name in names:
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", encoding="utf-8")


def test_folders_are_searched_and_files_come_in_pathlibs_order(tmp_path):
    # "-" and "." sort before "/" as characters, after it as parts of a path.
    _touch(
        tmp_path,
        "a/z.pdf",
        "a-b/y.pdf",
        "a.b.docx",
        "b.pdf",
        "a/sub/c.txt",
        "notes/plan 2.pdf",
        "notes/plan-1.pdf",
    )
    found = discover([tmp_path])
    expected = sorted(p.resolve() for p in tmp_path.rglob("*") if p.is_file())
    assert [Path(p) for p in found.files] == expected
    assert [Path(p).name for p in found.files][:3] == ["c.txt", "z.pdf", "y.pdf"]
    assert all(os.path.isabs(p) for p in found.files)


def test_hidden_entries_and_non_documents_are_left_out(tmp_path):
    _touch(
        tmp_path,
        "plan.pdf",
        ".hidden.pdf",
        ".git/objects/plan.pdf",
        "__pycache__/x.pdf",
        "tools/make.py",
        "data/table.CSV",
        "README",
    )
    found = discover([tmp_path])
    assert [Path(p).name for p in found.files] == ["README", "plan.pdf"]
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found.skipped] == [
        "data/table.CSV",
        "tools/make.py",
    ]


def test_files_named_directly_are_taken_once_whatever_they_are(tmp_path):
    _touch(tmp_path, "in/plan.pdf", "in/.hidden.pdf", "in/tool.py")
    (tmp_path / "link.pdf").symlink_to(tmp_path / "in" / "plan.pdf")
    named = [tmp_path / "in" / ".hidden.pdf", tmp_path / "in" / "tool.py", tmp_path / "in"]
    found = discover([*named, tmp_path / "link.pdf", tmp_path / "missing.pdf"])
    names = [Path(p).name for p in found.files]
    # The link is its target (read once); a missing file is kept for the run to report.
    assert names == [".hidden.pdf", "plan.pdf", "tool.py", "missing.pdf"]
