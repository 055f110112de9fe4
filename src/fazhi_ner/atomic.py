"""Atomic file writes: write to a temporary sibling, then rename, so readers never see half a file."""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from fazhi_ner.results import Record


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> None:
    """Write ``data`` to ``path`` via a temporary sibling and a rename; the file gets the usual
    ``0666 & ~umask`` mode (mkstemp alone would leave it 0600)."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_output(path: str | os.PathLike[str]) -> Iterator[TextIO]:
    """A UTF-8 text handle (``\\n`` line ends) whose file replaces ``path`` only when the block completes, with
    the usual ``0666 & ~umask`` mode; for outputs written in a stream rather than held in memory."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            yield handle
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike[str], text: str) -> None:
    atomic_write_bytes(path, text.encode("utf-8"))


@contextmanager
def atomic_directory(path: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a fresh staging directory; on success it replaces ``path`` whole, on error it is removed.

    The previous contents of ``path`` stay intact until the new tree is complete.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".staging", dir=target.parent))
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    backup = target.with_name(f".{target.name}.old")
    if backup.exists():
        shutil.rmtree(backup)
    if target.exists():
        os.replace(target, backup)
    os.replace(staging, target)
    shutil.rmtree(backup, ignore_errors=True)


def atomic_write_files(files: Mapping[Path, str | bytes]) -> None:
    """Write several files as one set: stage every file first, then rename them all.

    An error or interruption while staging leaves every previous file untouched (the staged
    copies are removed); only the final renames, which do not fail half-written, replace them.
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for path, text in files.items():
            stage = path.with_name(f".{path.name}.staged")
            atomic_write_bytes(stage, text if isinstance(text, bytes) else text.encode("utf-8"))
            staged.append((stage, path))
    except BaseException:
        for stage, _ in staged:
            stage.unlink(missing_ok=True)
        raise
    for stage, path in staged:
        os.replace(stage, path)


def _bytes(content: str | bytes) -> bytes:
    return content.encode("utf-8") if isinstance(content, str) else content


def _plain_equal(path: Path, wanted: bytes) -> bool:
    return path.read_bytes() == wanted


def stale_paths(
    files: Mapping[Path, str | bytes], *, same: Callable[[Path, bytes], bool] = _plain_equal
) -> list[Path]:
    """The files whose committed content is missing or differs from ``files`` (``same`` compares a present file
    with the wanted bytes: byte equality, or e.g. equal tables for Parquet): what a ``--check`` reports."""
    return [path for path, content in files.items() if not path.is_file() or not same(path, _bytes(content))]


def write_or_check(
    files: Mapping[Path, str | bytes],
    *,
    check: bool,
    command: str,
    same: Callable[[Path, bytes], bool] = _plain_equal,
    extra: Iterable[Path] = (),
) -> list[Path]:
    """The one write-or-check of generated files: every ``--check`` and every writer of a committed file uses it.

    Without ``check``: write the files that differ as one set (staged, then renamed; unchanged files keep their
    mtime) and delete ``extra`` (generated files no longer produced); returns the paths written or deleted.
    With ``check``: write nothing; raise :class:`~fazhi_ner.errors.StaleError` naming every stale or extra file
    and ``command``, the one that regenerates them (exit 1).
    """
    stale = stale_paths(files, same=same)
    extra = sorted(p for p in extra if p.exists() and p not in files)
    if check:
        if stale or extra:
            from fazhi_ner.errors import StaleError

            names = [*(str(p) for p in stale), *(f"{p} (no longer generated)" for p in extra)]
            raise StaleError(f"{names[0]}: stale; expected the output of `{command}`, found other content"
                             + (f" (and {len(names) - 1} more: {', '.join(names[1:])})" if len(names) > 1 else ""))  # fmt: skip
        return []
    atomic_write_files({path: files[path] for path in stale})
    for path in extra:
        path.unlink()
    return [*stale, *extra]


def result_files(record: Record, json_path: Path, markdown_path: Path, markdown: str) -> dict[Path, str]:
    """A JSON result (keys sorted, as every committed result file has them) and its Markdown rendering."""
    return {json_path: record.to_json(sort_keys=True), markdown_path: markdown}


def write_or_check_result(record: Record, json_path: Path, markdown_path: Path, markdown: str, *, check: bool,
                          command: str) -> None:  # fmt: skip
    """Write a JSON result and its Markdown rendering as one set, or with ``check`` fail when either is stale."""
    write_or_check(result_files(record, json_path, markdown_path, markdown), check=check, command=command)
