"""Progress of a batch on stderr: a live bar on a terminal, one line per file otherwise.

`make_progress` picks the reporter: a tqdm bar (files, pages, rate, ETA) when
the stream is a terminal, plain "[12/500] name.pdf: ..." lines when it is not
(logs, CI), and only the errors with `quiet`. Warnings (e.g. truncated cells)
are shown with the lines reporter only; all of them are in errors.csv.
"""

from __future__ import annotations

import functools
import sys
import time
from pathlib import Path
from typing import Any, Literal, Protocol, TextIO

from planx.pipeline.process import FileResult

Mode = Literal["auto", "bar", "lines", "quiet", "none"]


class Progress(Protocol):
    def start(self, total: int) -> None: ...
    def advance(self, result: FileResult, *, cached: bool = False) -> None: ...
    def note(self, message: str) -> None: ...
    def close(self) -> None: ...


def is_failure(result: FileResult) -> bool:
    """The file gave no plan (an identical copy of a file read gives its original's)."""
    return result.plan_size() is None and not (result.same_as and not result.errors)


def result_to_line(result: FileResult) -> str:
    """What one file gave, in a few words."""
    if result.same_as and not result.errors:
        return f"{result.source}: same bytes as {Path(result.same_as).name}, read once"
    size = result.plan_size()
    if size is None:
        failed = [e for e in result.errors if e.severity == "failed"] or result.errors
        reason = failed[0].error if failed else "no plan read"
        kind = f" ({failed[0].kind})" if failed and failed[0].kind else ""
        return f"{result.source}: failed{kind}: {reason}"
    pages = f", {result.pages} pages" if result.pages else ""
    return f"{result.source}: {size.n_actions} actions, {size.n_kpis} KPIs{pages}"


def problem_lines(result: FileResult, *, warnings: bool) -> list[str]:
    """Error lines beyond the first failure (which `result_to_line` already says)."""
    lines = []
    first_failure_shown = is_failure(result)
    for err in result.errors:
        if err.severity == "failed" and first_failure_shown:
            first_failure_shown = False
            continue
        if err.severity == "warning" and not warnings:
            continue
        lines.append(f"{err.source}: {err.severity}: {err.error}")
    return lines


class NullProgress:
    def start(self, total: int) -> None:
        pass

    def advance(self, result: FileResult, *, cached: bool = False) -> None:
        pass

    def note(self, message: str) -> None:
        pass

    def close(self) -> None:
        pass


class LineProgress:
    """One line per file: "[12/500] name.pdf: 23 actions, 4 KPIs, 12 pages"."""

    def __init__(self, stream: TextIO, *, quiet: bool = False):
        self.stream = stream
        self.quiet = quiet
        self.total = 0
        self.done = 0

    def _print(self, text: str) -> None:
        print(text, file=self.stream, flush=True)

    def start(self, total: int) -> None:
        self.total = total

    def advance(self, result: FileResult, *, cached: bool = False) -> None:
        self.done += 1
        failed = is_failure(result)
        if self.quiet:
            # Only what went wrong: the failure and any partial results.
            if failed:
                self._print(result_to_line(result))
            for line in problem_lines(result, warnings=False):
                self._print(line)
            return
        suffix = " (unchanged, from cache)" if cached else ""
        self._print(f"[{self.done}/{self.total}] {result_to_line(result)}{suffix}")
        for line in problem_lines(result, warnings=True):
            self._print(f"    {line}")

    def note(self, message: str) -> None:
        self._print(message)

    def close(self) -> None:
        pass


class BarProgress:
    """A tqdm bar of files with pages done and pages per second; failures printed above it."""

    def __init__(self, stream: TextIO):
        self.stream = stream
        self.bar = None
        self.pages = 0
        self.fresh_pages = 0
        self.started = 0.0

    def start(self, total: int) -> None:
        self.started = time.monotonic()
        self.bar = _bar_class()(
            total=total, unit="file", desc="extract", file=self.stream, leave=True, miniters=1
        )

    def advance(self, result: FileResult, *, cached: bool = False) -> None:
        from tqdm import tqdm

        self.pages += result.pages or 0
        if not cached:
            self.fresh_pages += result.pages or 0
        if is_failure(result):
            tqdm.write(result_to_line(result), file=self.stream)
        for line in problem_lines(result, warnings=False):
            tqdm.write(line, file=self.stream)
        if self.bar is not None:
            elapsed = max(time.monotonic() - self.started, 1e-6)
            self.bar.set_postfix_str(
                f"{self.pages} pages, {self.fresh_pages / elapsed:.1f} pages/s", refresh=False
            )
            self.bar.update(1)

    def note(self, message: str) -> None:
        from tqdm import tqdm

        tqdm.write(message, file=self.stream)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()
            self.bar = None


@functools.cache
def _bar_class() -> Any:
    """tqdm without its monitor thread. The bar redraws on any file (at most every 0.1 s:
    miniters=1), so the monitor, which only unsticks a bar whose dynamic miniters grew, has
    nothing to do; and a run with no thread can fork (a `planx serve` command forks its sink
    process from its warm self: module_process.py)."""
    from tqdm import tqdm

    class Bar(tqdm):
        monitor_interval = 0

    return Bar


def make_progress(mode: Mode = "auto", stream: TextIO | None = None) -> Progress:
    stream = stream if stream is not None else sys.stderr
    if mode == "auto":
        mode = "bar" if _is_terminal(stream) else "lines"
    if mode == "bar":
        return BarProgress(stream)
    if mode == "lines":
        return LineProgress(stream)
    if mode == "quiet":
        return LineProgress(stream, quiet=True)
    return NullProgress()


def _is_terminal(stream: TextIO) -> bool:
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
