"""Atomic writes, unique names, stale temporary files and process locks."""

from __future__ import annotations

import errno
import os
import time
from pathlib import Path
from typing import Any

import pytest

from app.store import files
from app.store.files import (
    ProcessLock,
    StoreError,
    remove_stale_temp_files,
    unique_path,
    write_atomic,
    write_unique,
)

DISK_FULL = "The disk is full: free some space and try again; nothing was saved."


def _names(directory: Path) -> list[str]:
    return sorted(path.name for path in directory.iterdir())


def test_write_atomic_creates_the_folder_and_replaces_the_file(tmp_path: Path) -> None:
    target = tmp_path / "a" / "b" / "image.png"

    write_atomic(target, b"first")
    write_atomic(target, b"second")

    assert target.read_bytes() == b"second"
    assert _names(target.parent) == ["image.png"]


def test_large_data_is_written_whole(tmp_path: Path) -> None:
    data = os.urandom(3 * 1024 * 1024 + 7)

    write_atomic(tmp_path / "big.bin", data)

    assert (tmp_path / "big.bin").read_bytes() == data


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_disk_full_keeps_the_old_file_and_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, failing: str
) -> None:
    target = tmp_path / "settings.json"
    write_atomic(target, b"old content")
    real_write = os.write
    calls = {"n": 0}

    def write_then_fail(fd: int, data: Any) -> int:
        # The first call writes part of the data, the next one finds the disk full.
        calls["n"] += 1
        if calls["n"] == 1:
            return real_write(fd, bytes(data[:3]))
        raise OSError(errno.ENOSPC, "No space left on device")

    def fsync_fails(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(os, "write", write_then_fail)
    else:
        monkeypatch.setattr(os, "fsync", fsync_fails)

    with pytest.raises(StoreError) as raised:
        write_atomic(target, b"new content that does not fit")

    assert str(raised.value) == DISK_FULL
    assert isinstance(raised.value.__cause__, OSError)
    assert target.read_bytes() == b"old content"
    assert _names(tmp_path) == ["settings.json"]


def test_a_failed_rename_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def replace_fails(source: Any, target: Any) -> None:
        raise OSError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", replace_fails)

    with pytest.raises(StoreError, match="not allowed to write"):
        write_atomic(tmp_path / "image.png", b"data")

    assert _names(tmp_path) == []


def test_an_interrupt_mid_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def interrupted(fd: int, data: Any) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "write", interrupted)

    with pytest.raises(KeyboardInterrupt):
        write_atomic(tmp_path / "image.png", b"data")

    assert _names(tmp_path) == []


def test_unique_path_never_names_an_existing_file(tmp_path: Path) -> None:
    first = unique_path(tmp_path, "poster", ".png")
    first.write_bytes(b"1")
    second = unique_path(tmp_path, "poster", "png")
    second.write_bytes(b"2")
    third = unique_path(tmp_path, "poster", ".png")

    assert [first.name, second.name, third.name] == ["poster.png", "poster-2.png", "poster-3.png"]


def test_write_unique_never_overwrites(tmp_path: Path) -> None:
    (tmp_path / "poster.png").write_bytes(b"someone else's")

    written = [write_unique(tmp_path, "poster", ".png", f"image {i}".encode()) for i in range(3)]

    assert [path.name for path in written] == ["poster-2.png", "poster-3.png", "poster-4.png"]
    assert (tmp_path / "poster.png").read_bytes() == b"someone else's"
    assert [path.read_bytes() for path in written] == [b"image 0", b"image 1", b"image 2"]
    assert len(_names(tmp_path)) == 4  # no temporary file left


def test_write_unique_without_hard_links_still_never_overwrites(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_links(source: Any, target: Any) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    (tmp_path / "poster.png").write_bytes(b"kept")

    written = write_unique(tmp_path, "poster", ".png", b"new")

    assert written.name == "poster-2.png"
    assert written.read_bytes() == b"new"
    assert (tmp_path / "poster.png").read_bytes() == b"kept"
    assert _names(tmp_path) == ["poster-2.png", "poster.png"]


def test_write_unique_reports_a_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def fsync_fails(fd: int) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", fsync_fails)

    with pytest.raises(StoreError, match="disk is full"):
        write_unique(tmp_path, "poster", ".png", b"data")
    assert _names(tmp_path) == []


def test_stale_temporary_files_are_removed_and_fresh_ones_kept(tmp_path: Path) -> None:
    nested = tmp_path / "2026" / "11"
    nested.mkdir(parents=True)
    stale = nested / ".image.png.0123456789abcdef.tmp"
    fresh = tmp_path / ".settings.json.fedcba9876543210.tmp"
    unrelated = [tmp_path / ".hidden", tmp_path / "notes.tmp", nested / "image.png"]
    for path in [stale, fresh, *unrelated]:
        path.write_bytes(b"x")
    an_hour_ago = time.time() - 3600
    os.utime(stale, (an_hour_ago, an_hour_ago))
    for path in unrelated:
        os.utime(path, (an_hour_ago, an_hour_ago))

    assert remove_stale_temp_files(tmp_path) == []  # not recursive: the stale one is deeper
    removed = remove_stale_temp_files(tmp_path, recursive=True)

    assert removed == [stale]
    assert not stale.exists()
    assert fresh.exists()
    assert all(path.exists() for path in unrelated)
    assert remove_stale_temp_files(tmp_path / "missing") == []


def test_temporary_names_are_recognised_as_temporary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[str] = []
    real_replace = os.replace

    def spy(source: Any, target: Any) -> None:
        seen.append(Path(source).name)
        real_replace(source, target)

    monkeypatch.setattr(os, "replace", spy)
    write_atomic(tmp_path / "image.png", b"data")

    assert len(seen) == 1
    assert seen[0].startswith(".") and seen[0].endswith(".tmp")
    assert files._TEMP_NAME.match(seen[0])


def test_process_lock_is_exclusive_until_released(tmp_path: Path) -> None:
    path = tmp_path / "owners" / "me.lock"
    lock = ProcessLock.try_acquire(path)

    assert lock is not None
    assert ProcessLock.try_acquire(path) is None
    assert ProcessLock.is_held(path)

    lock.release()
    lock.release()

    assert not path.exists()
    assert not ProcessLock.is_held(path)


def test_link_or_copy_links_and_copies_where_links_are_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "a.background.png"
    source.write_bytes(b"background")
    linked = tmp_path / "sub" / "b.background.png"
    files.link_or_copy(source, linked)
    assert linked.samefile(source)  # one file, nothing copied
    files.link_or_copy(source, linked)  # already there: nothing to do

    def refuse(*_: object) -> None:
        raise OSError(errno.EXDEV, "Invalid cross-device link")

    monkeypatch.setattr(os, "link", refuse)
    copied = tmp_path / "c.background.png"
    files.link_or_copy(source, copied)
    assert copied.read_bytes() == b"background" and not copied.samefile(source)
