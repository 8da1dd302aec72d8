"""What a batch's main process keeps: no result once it is written, nothing per file it can
make again when needed, one buffer for the workers' messages; the outputs as before."""

from __future__ import annotations

import gc
import hashlib
import threading
import weakref
from multiprocessing import Pipe
from pathlib import Path

import pytest

from planx.pipeline import cache as cache_mod
from planx.pipeline.batch import inputs_digest, results_in_order, task_key
from planx.pipeline.executors import MessageReader, ProcessPool, Task
from planx.pipeline.inputs import LightResults, files_in_table_order, tasks_to_files
from planx.pipeline.process import FileResult, RunSettings
from tests.test_batch import logged_process, plan_text


@pytest.fixture(autouse=True)
def fixed_code_fingerprint(monkeypatch):
    monkeypatch.setattr(cache_mod, "code_fingerprint", lambda: "tests")


def _result(index: int) -> FileResult:
    return FileResult(path=f"f{index}.txt", source=f"f{index}.txt", sha256=f"{index:064x}")


@pytest.mark.parametrize("arrival", [(0, 1, 2), (1, 0, 2)])  # in turn, or one waits in a spool
def test_a_result_handed_over_is_not_kept_while_the_caller_is_between_files(arrival):
    order = [Task(index=i, path=f"f{i}.txt") for i in range(3)]

    def finished():  # made as they finish, kept by no one
        for i in arrival:
            yield order[i], _result(i)

    results = results_in_order(order, set(), finished(), lambda t: _result(t.index), lambda *_: 0)
    for task, result in results:
        handed = weakref.ref(result)
        assert result.source == f"f{task.index}.txt"
        del result
        gc.collect()
        # the generator is suspended: it must not hold what it handed over
        assert handed() is None, task.index


def test_the_pool_keeps_no_result_it_handed_over(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ("a", "b", "c"):
        (folder / f"{name}.txt").write_text(plan_text(2, name), encoding="utf-8")
    tasks = [Task(index=i, path=str(folder / f"{n}.txt")) for i, n in enumerate("abc")]
    pool = ProcessPool(2, timeout_s=None, max_memory_mb=None)
    names = []
    for task, result in pool.run(logged_process, RunSettings(), tasks):
        assert result.plan is not None
        handed = weakref.ref(result.plan)
        names.append(result.source)
        del result
        gc.collect()
        assert handed() is None, task.path
    assert sorted(names) == ["a.txt", "b.txt", "c.txt"]


def test_messages_are_read_whole_into_one_reused_buffer():
    here, there = Pipe(duplex=True)
    big = {"rows": [f"row {i}" * 20 for i in range(20_000)]}  # megabytes: many pipe reads
    messages = [("ready", 1), big, ("small",), big]
    sender = threading.Thread(target=lambda: [there.send(m) for m in messages])
    sender.start()
    reader = MessageReader()
    got = [reader.recv(here)]
    buffer_after_small = len(reader._buffer)
    got += [reader.recv(here) for _ in messages[1:]]
    sender.join()
    assert got == messages
    assert buffer_after_small < 100
    size = len(reader._buffer)
    assert size > 1_000_000  # grown to the largest message, and kept for the next one
    sender = threading.Thread(target=there.send, args=(big,))  # more than a pipe holds
    sender.start()
    assert reader.recv(here) == big and len(reader._buffer) == size
    sender.join()
    there.close()
    with pytest.raises(EOFError):
        reader.recv(here)
    reader.release()
    assert len(reader._buffer) == 0


def test_the_inputs_digest_is_the_hash_of_the_keys_line_by_line():
    tasks = [Task(i, f"/in/f{i}.pdf", hashlib.sha256(bytes([i])).hexdigest()) for i in range(4)]
    keys = "\n".join(task_key("fp", t) for t in tasks)
    expected = hashlib.sha256(f"csv,parquet\n4\n{keys}".encode()).hexdigest()
    key_of = lambda t: task_key("fp", t)  # noqa: E731
    assert inputs_digest(tasks[::-1], key_of, ("csv", "parquet")) == expected
    assert inputs_digest([], key_of, ("csv",)) == hashlib.sha256(b"csv\n0\n").hexdigest()
    assert inputs_digest([*tasks, Task(4, "/in/unread.pdf")], key_of, ("csv",)) is None


def test_the_files_table_comes_a_slice_at_a_time_in_its_order(tmp_path: Path):
    # Path order is not the table's: "a-b/x" sorts before "a/b" as text, after it as a path.
    paths = ["a/b.txt", "a/c.txt", "a-b/x.txt", "d.txt", "e.txt"]
    tasks = [Task(i, str(tmp_path / p), f"{i:064x}") for i, p in enumerate(paths)]
    light = LightResults(tasks)
    for task in tasks[:4]:
        result = FileResult(path=task.path, source=Path(task.path).name, sha256=task.sha256)
        light.keep(task.index, result, plan_id=task.sha256[:16] if task.index != 3 else "")
    copy_of = {4: 0}
    whole = sorted(tasks_to_files(tasks, light, copy_of), key=lambda f: (f.path, f.source))
    slices = list(files_in_table_order(tasks, light, copy_of, at_once=2))
    assert [len(s) for s in slices] == [2, 2, 1]
    assert [f for s in slices for f in s] == whole
    assert [f.path for f in whole] == ["a-b/x.txt", "a/b.txt", "a/c.txt", "d.txt", "e.txt"]
    assert [f.outcome for f in whole] == ["read", "read", "read", "failed", "identical_copy"]
    in_path_order = tasks[:2] + tasks[3:]  # already in the table's order: the same, by slices
    reindexed = [Task(i, t.path, t.sha256) for i, t in enumerate(in_path_order)]
    light = LightResults(reindexed)
    got = [f.path for s in files_in_table_order(reindexed, light, {}, at_once=3) for f in s]
    assert got == ["a/b.txt", "a/c.txt", "d.txt", "e.txt"]


@pytest.mark.parametrize("kernel", [True, False])  # sendfile, or pieces where it cannot
def test_bytes_are_copied_from_a_file_into_a_file_or_a_pipe(tmp_path, monkeypatch, kernel):
    import errno
    import os

    from planx.pipeline.outputs import COPY_CHUNK_BYTES, copy_range

    if not kernel:

        def refuse(*_args):
            raise OSError(errno.EINVAL, "not here")

        monkeypatch.setattr(os, "sendfile", refuse)
    data = bytes(range(256)) * (3 * COPY_CHUNK_BYTES // 256 + 7)  # several pieces
    src = tmp_path / "src"
    src.write_bytes(b"head" + data + b"tail")
    with open(src, "rb") as fh, open(tmp_path / "dst", "wb") as out:
        out.write(b"<")
        out.flush()
        copy_range(fh.fileno(), 4, len(data), out.fileno())
        out.write(b">")
    assert (tmp_path / "dst").read_bytes() == b"<" + data + b">"
    read_end, write_end = os.pipe()
    got = bytearray()

    def read_all() -> None:
        while chunk := os.read(read_end, 4096):
            got.extend(chunk)

    reader = threading.Thread(target=read_all)
    reader.start()
    with open(src, "rb") as fh:
        copy_range(fh.fileno(), 0, 4 + len(data), write_end)
    os.close(write_end)
    reader.join()
    os.close(read_end)
    assert bytes(got) == b"head" + data
    with open(src, "rb") as fh, open(tmp_path / "short", "wb") as out, pytest.raises(OSError):
        copy_range(fh.fileno(), len(data), 100, out.fileno())  # past the end: said, not padded


def test_files_are_hashed_in_one_small_buffer(tmp_path):
    from planx.pipeline.process import HASH_CHUNK_BYTES, file_sha256

    data = bytes(range(256)) * (5 * HASH_CHUNK_BYTES // 256) + b"end"
    (tmp_path / "f").write_bytes(data)
    (tmp_path / "empty").write_bytes(b"")
    assert file_sha256(tmp_path / "f") == hashlib.sha256(data).hexdigest()
    assert file_sha256(str(tmp_path / "empty")) == hashlib.sha256(b"").hexdigest()


def test_the_imports_freed_pages_go_back_before_the_files_are_listed(tmp_path, monkeypatch):
    # The file list and the light results take pages under the imports' peak, not above it.
    from planx.pipeline import batch

    calls: list[str] = []
    real_input_files = batch._input_files

    def listed(*args):
        calls.append("list files")
        return real_input_files(*args)

    real_import_writing = batch._import_writing

    def imported():
        calls.append("import writing")
        real_import_writing()

    monkeypatch.setattr(batch, "_return_free_memory", lambda: calls.append("free pages"))
    monkeypatch.setattr(batch, "_import_writing", imported)
    monkeypatch.setattr(batch, "_input_files", listed)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "plan.txt").write_text(plan_text(2, "A"), encoding="utf-8")
    summary = batch.run_extract(
        [tmp_path / "in"], tmp_path / "out", batch={"workers": 1, "cache": False}
    )
    assert summary.n_plans == 1
    assert calls[:3] == ["import writing", "free pages", "list files"]
