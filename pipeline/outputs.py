"""What a run writes, and how a file is written safely: the tables in reading order, the
formats they can be written as, and a path renamed over its target only when complete.

Kept apart from the writers (sinks.py, table_stream.py) so that deciding what to write
does not import pandas: a run with nothing new to write never loads it."""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

_UMASK = os.umask(0)
os.umask(_UMASK)

# Tables every run writes, in the order a person reads them.
CSV_ORDER = (
    "plans",
    "actions",
    "kpis",
    "errors",
    "files",
    "leads",
    "milestones",
    "themes",
    "glossary",
    "legends",
    "inspections",
    "recommendations",
    "tags",
)
OUTPUT_FORMATS = ("csv", "parquet", "duckdb", "xlsx")


def check_formats(formats: str | Iterable[str]) -> tuple[str, ...]:
    """The formats asked for ("csv,parquet" or a list), in the usual order; CSV or Parquet
    must be one of them (the check after a run, and `planx compare`, read them back)."""
    if isinstance(formats, str):
        formats = formats.split(",")
    chosen = {f.strip().lower() for f in formats if f.strip()}
    unknown = chosen - set(OUTPUT_FORMATS)
    if unknown:
        raise ValueError(
            f"unknown output format(s) {', '.join(sorted(unknown))}; "
            f"choose from {', '.join(OUTPUT_FORMATS)}"
        )
    if not chosen & {"csv", "parquet"}:
        raise ValueError("the outputs must include csv or parquet")
    return tuple(f for f in OUTPUT_FORMATS if f in chosen)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """A temporary path beside `target`, renamed over it only if the block succeeds."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, 0o666 & ~_UMASK)  # mkstemp makes files private; outputs are for sharing
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


COPY_CHUNK_BYTES = 1 << 16  # the pieces a copy goes in where the kernel cannot copy for us


def copy_range(src_fd: int, offset: int, length: int, dst_fd: int) -> None:
    """`length` bytes of the open file `src_fd` from `offset` onto `dst_fd` at its position
    (a file or a pipe): by the kernel (sendfile) where it can, so the bytes never pass
    through this process's memory; in small pieces where it cannot."""
    end = offset + length

    def ended_early() -> OSError:
        return OSError(f"the file ended {end - offset} bytes early")

    sendfile = getattr(os, "sendfile", None)  # not on Windows
    while sendfile is not None and offset < end:
        try:
            sent = sendfile(dst_fd, src_fd, offset, end - offset)
        except OSError as exc:
            if exc.errno not in (errno.EINVAL, errno.ENOSYS, errno.ENOTSOCK, errno.EOPNOTSUPP):
                raise
            break  # this system's sendfile cannot write there: the pieces below
        if sent == 0:
            raise ended_early()
        offset += sent
    while offset < end:
        piece = memoryview(os.pread(src_fd, min(COPY_CHUNK_BYTES, end - offset), offset))
        if not piece:
            raise ended_early()
        offset += len(piece)
        while piece:
            piece = piece[os.write(dst_fd, piece) :]
