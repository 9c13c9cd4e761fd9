"""Shared parts of the importers: the product record, line reading with progress, failures."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

Progress = Callable[[int, int], None]  # (bytes read, total bytes)


class ImportFailed(Exception):
    """The file could not be imported; the message names the file and the line."""


@dataclass(frozen=True)
class ImportedProduct:
    code: str
    label: str
    kind: str  # product | ingredient | brand
    brand: str
    ingredients: tuple[str, ...]
    strength: str
    form: str
    route: str
    rxnorm: str
    classes: str
    names: tuple[tuple[str, str], ...]  # (name, kind): looked up by the resolver and search
    codes: tuple[str, ...]


class LineReader:
    """Lines of a text file (or a member of a zip) with their numbers and the bytes read so far."""

    def __init__(self, raw: IO[bytes], total: int, name: str, progress: Progress | None) -> None:
        self.raw, self.total, self.name, self.progress = raw, total, name, progress
        self.done = 0
        self.line_no = 0

    def __iter__(self) -> Iterator[tuple[int, str]]:
        next_report = 0
        for data in self.raw:
            self.line_no += 1
            self.done += len(data)
            try:
                line = data.decode("utf-8")
            except UnicodeDecodeError:
                line = data.decode("cp1252", errors="replace")
            if self.progress is not None and self.done >= next_report:
                self.progress(self.done, self.total)
                next_report = self.done + max(self.total // 100, 1)
            yield self.line_no, line.rstrip("\r\n")
        if self.progress is not None:
            self.progress(self.total, self.total)

    def fail(self, message: str, line: int | None = None) -> ImportFailed:
        return ImportFailed(f"{self.name}: line {line or self.line_no}: {message}")


@contextmanager
def open_lines(path: Path, member_suffix: str, progress: Progress | None) -> Iterator[LineReader]:
    """Open ``path`` (text, or a zip holding a member whose name ends with ``member_suffix``)."""
    if not path.is_file():
        raise ImportFailed(f"{path.name}: no such file")
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            members = [i for i in zf.infolist() if i.filename.lower().endswith(member_suffix)]
            if not members:
                raise ImportFailed(f"{path.name}: the zip holds no {member_suffix}")
            info = members[0]
            with zf.open(info) as raw:
                yield LineReader(io.BufferedReader(raw), info.file_size,  # type: ignore[arg-type]
                                 f"{path.name}:{info.filename}", progress)
        return
    with open(path, "rb") as raw:
        yield LineReader(raw, path.stat().st_size, path.name, progress)
