"""Files of a batch run: streamed input readers, the append-only results file (with resume) and the errors file.

Inputs (JSONL, CSV with a header, or a folder of ``.txt``/``.eml`` files) are read lazily, one message at a
time, so memory stays flat however big the input is. Every message becomes an :class:`Item` with a stable id
(the id field, else a content hash); every unusable one becomes a :class:`Problem` with its line number and
a reason, and the run goes on.

Kill safety: each result is one ``os.write`` of the whole line (JSON + ``\\n``) on an ``O_APPEND`` descriptor,
so after a SIGKILL a line is either complete or torn at the very end of the file; :func:`scan_results`
truncates a torn tail on resume. Data handed to ``write`` lives in the page cache and survives the death of
the process, so fsync is only needed against power loss: :class:`JsonlAppender` fsyncs at most once a
second and on close (per-line fsync measured at ~1-4 ms per line here, which would cap rules-only runs far
below 10,000 messages/s; see docs/performance.md).
"""

from __future__ import annotations

import csv
import email
import email.policy
import fcntl
import hashlib
import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from .config import MAX_INPUT_BYTES
from .errors import InputError

#: Longest JSONL line read in one go; longer lines are skipped in chunks and reported as oversized.
MAX_LINE_BYTES = 8 * MAX_INPUT_BYTES + 65_536
#: How often (seconds) appended results are fsynced; SIGKILL safety does not depend on it, power loss does.
FSYNC_INTERVAL_S = 1.0
MESSAGE_SUFFIXES = (".txt", ".eml")
_CONTROL_RE = re.compile(r"[\x00-\x08\x0e-\x1f]")
_UNDECODABLE_RE = re.compile("[\udc80-\udcff]")  # bytes that were not UTF-8, kept by errors="surrogateescape"


@dataclass(slots=True)
class Item:
    """One message to critique: stable id, text, and where it came from (input line or file)."""

    id: str
    text: str
    line: int | None = None
    source: str | None = None


@dataclass(slots=True)
class Problem:
    """An input record that cannot be critiqued, with the line (or file) and a one-line reason."""

    reason: str
    line: int | None = None
    source: str | None = None
    id: str | None = None

    def as_record(self) -> dict[str, Any]:
        """The errors-file line for this problem."""
        rec: dict[str, Any] = {"line": self.line, "source": self.source, "id": self.id, "reason": self.reason}
        return {k: v for k, v in rec.items() if v is not None}


def content_id(text: str) -> str:
    """A stable id for a message without one: the first 16 hex digits of the SHA-256 of its text."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def clean_message(text: str, *, limit: int = MAX_INPUT_BYTES) -> str:
    """The stripped message, or InputError when it is empty, binary-looking, not UTF-8 or over ``limit`` bytes."""
    if len(text) * 4 > limit and len(text.encode("utf-8", "surrogatepass")) > limit:
        raise InputError(f"message is over the {limit:,}-byte limit", hint="split it or drop it")
    if "\x00" in text or len(_CONTROL_RE.findall(text)) > 2:
        raise InputError("message looks binary (NUL or control characters)", hint="pass plain UTF-8 text")
    if _UNDECODABLE_RE.search(text):
        raise InputError("message is not valid UTF-8", hint="convert the file with `iconv -t UTF-8`")
    stripped = text.strip()
    if not stripped:
        raise InputError("message is empty", hint="drop the record or fill in the text")
    return stripped


def _item(text: Any, raw_id: Any, *, line: int | None, source: str | None) -> Item | Problem:
    if not isinstance(text, str):
        return Problem(f"text is {type(text).__name__}, not a string", line=line, source=source)
    try:
        clean = clean_message(text)
    except InputError as exc:
        return Problem(exc.message, line=line, source=source, id=None if raw_id in (None, "") else str(raw_id))
    ident = str(raw_id).strip() if isinstance(raw_id, str | int) and not isinstance(raw_id, bool) else ""
    return Item(ident or content_id(clean), clean, line=line, source=source)


def iter_jsonl(path: Path, text_field: str, id_field: str) -> Iterator[Item | Problem]:
    """Messages from a JSON Lines file: one object per line with ``text_field`` (and optionally ``id_field``)."""
    with path.open("rb") as f:
        lineno = 0
        while True:
            raw = f.readline(MAX_LINE_BYTES)
            if not raw:
                return
            lineno += 1
            if len(raw) == MAX_LINE_BYTES and not raw.endswith(b"\n"):
                while (more := f.readline(MAX_LINE_BYTES)) and not more.endswith(b"\n"):
                    pass
                yield Problem(f"line is over {MAX_LINE_BYTES:,} bytes", line=lineno)
                continue
            if not raw.strip():
                continue
            try:
                obj = orjson.loads(raw)
            except orjson.JSONDecodeError:  # rare: let the stdlib parse or name the problem (NaN, big ints…)
                try:
                    obj = json.loads(raw)
                except UnicodeDecodeError:
                    yield Problem("line is not valid UTF-8", line=lineno)
                    continue
                except ValueError as exc:
                    yield Problem(f"malformed JSON ({str(exc).split(':')[0]})", line=lineno)
                    continue
            if not isinstance(obj, dict):
                yield Problem(f"expected a JSON object, got {type(obj).__name__}", line=lineno)
            elif text_field not in obj:
                yield Problem(f"no {text_field!r} field (use --text-field)", line=lineno)
            else:
                yield _item(obj[text_field], obj.get(id_field), line=lineno, source=None)


def iter_csv(path: Path, text_field: str, id_field: str) -> Iterator[Item | Problem]:
    """Messages from a CSV file with a header row; line numbers are physical lines (header is line 1).

    The header is checked now (a missing text column is a usage error); rows are read lazily.
    """
    csv.field_size_limit(MAX_LINE_BYTES)
    f = path.open("r", encoding="utf-8-sig", errors="surrogateescape", newline="")
    try:
        reader = csv.reader(f)
        header = [h.strip() for h in next(reader, [])]
        if header and text_field not in header:
            raise InputError(f"the CSV header has no {text_field!r} column (columns: {', '.join(header)[:200]})",
                             source=str(path), hint="name the message column with --text-field")
    except csv.Error as exc:
        f.close()
        raise InputError(f"cannot read the CSV header ({exc})", source=str(path), hint="check the file") from None
    except BaseException:
        f.close()
        raise
    ti = header.index(text_field) if header else 0
    ii = header.index(id_field) if id_field in header else -1
    return _csv_rows(f, reader, ti, ii)


def _csv_rows(f: Any, reader: Any, ti: int, ii: int) -> Iterator[Item | Problem]:
    with f:
        while True:
            line = reader.line_num + 1
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                yield Problem(f"malformed CSV row ({exc})", line=line)
                continue
            if not row or row == [""]:
                continue
            if ti >= len(row):
                yield Problem(f"row has {len(row)} fields and no text column", line=line)
                continue
            yield _item(row[ti], row[ii] if 0 <= ii < len(row) else None, line=line, source=None)


def eml_body(data: bytes) -> str:
    """The plain-text body of an email (the text/plain part, else text/html with tags stripped)."""
    msg = email.message_from_bytes(data, policy=email.policy.default)
    part = msg.get_body(preferencelist=("plain", "html"))  # type: ignore[attr-defined]
    if part is None:
        return ""
    body = part.get_content()
    if part.get_content_subtype() == "html":
        body = re.sub(r"<[^>]+>", " ", re.sub(r"(?is)<(script|style).*?</\1>", " ", body))
    return str(body)


def iter_folder(path: Path) -> Iterator[Item | Problem]:
    """Messages from the ``.txt`` and ``.eml`` files under a folder (recursively, in sorted order)."""
    for file in sorted(p for p in path.rglob("*") if p.suffix.lower() in MESSAGE_SUFFIXES and p.is_file()):
        rel = str(file.relative_to(path))
        try:
            data = file.read_bytes()
        except OSError as exc:
            yield Problem(f"cannot read it ({exc.strerror})", source=rel)
            continue
        if len(data) > MAX_INPUT_BYTES * 4:
            yield Problem(f"file is {len(data):,} bytes, over the {MAX_INPUT_BYTES:,}-byte limit", source=rel)
            continue
        if file.suffix.lower() == ".eml":
            try:
                text = eml_body(data)
            except Exception as exc:  # the email package raises many kinds of errors on broken mail
                yield Problem(f"cannot parse the email ({type(exc).__name__})", source=rel)
                continue
        else:
            if b"\x00" in data:
                yield Problem("file looks binary (it contains NUL bytes)", source=rel)
                continue
            text = data.decode("utf-8-sig", errors="surrogateescape")
        yield _item(text, None, line=None, source=rel)


def iter_input(path: Path, *, text_field: str = "text", id_field: str = "id") -> Iterator[Item | Problem]:
    """Items and problems from ``path``: a folder, a ``.csv`` file, or JSON Lines (any other file)."""
    if path.is_dir():
        return iter_folder(path)
    if not path.is_file():
        raise InputError("no such file or folder", source=str(path), hint="check the path")
    if path.suffix.lower() == ".csv":
        return iter_csv(path, text_field, id_field)
    return iter_jsonl(path, text_field, id_field)


def count_records(path: Path) -> int | None:
    """A quick estimate of how many records ``path`` holds (for the progress bar's ETA), or None."""
    if path.is_dir():
        return sum(1 for p in path.rglob("*") if p.suffix.lower() in MESSAGE_SUFFIXES)
    try:
        with path.open("rb") as f:
            n = sum(chunk.count(b"\n") for chunk in iter(lambda: f.read(1 << 20), b""))
    except OSError:
        return None
    return max(0, n - 1) if path.suffix.lower() == ".csv" else n


def errors_path(out: Path) -> Path:
    """The errors file next to the results: ``results.jsonl`` → ``results.errors.jsonl``."""
    stem = out.name[: -len(".jsonl")] if out.name.endswith(".jsonl") else out.name
    return out.with_name(stem + ".errors.jsonl")


@dataclass
class ResultsState:
    """What a results file already holds: the ids done, outcome counts, and whether a torn tail was cut."""

    done: set[str] = field(default_factory=set)
    ok: int = 0
    failed: int = 0
    repaired_bytes: int = 0
    bad_lines: int = 0


def scan_results(path: Path) -> ResultsState:
    """Read an existing results file (streamed): collect ids and truncate a torn last line in place."""
    state = ResultsState()
    if not path.exists():
        return state
    good_end = 0
    with path.open("r+b") as f:
        for raw in f:
            complete = raw.endswith(b"\n")
            try:
                rec = json.loads(raw) if complete else None
            except ValueError:
                rec = None
            if rec is None or not isinstance(rec, dict) or "id" not in rec:
                if not complete or f.tell() == os.fstat(f.fileno()).st_size:
                    break  # the torn or broken tail: cut it below
                state.bad_lines += 1
                good_end = f.tell()
                continue
            good_end = f.tell()
            state.done.add(str(rec["id"]))
            if rec.get("required_pass"):
                state.ok += 1
            else:
                state.failed += 1
        size = os.fstat(f.fileno()).st_size
        if good_end < size:
            f.truncate(good_end)
            state.repaired_bytes = size - good_end
    return state


class JsonlAppender:
    """Append-only JSON Lines writer: one ``os.write`` per line on an O_APPEND fd, fsync at most once a second."""

    def __init__(self, path: Path, *, lock: bool = False, truncate: bool = False) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        flags = os.O_WRONLY | os.O_APPEND | os.O_CREAT | (os.O_TRUNC if truncate else 0)
        self.path = path
        self.fd = os.open(path, flags, 0o644)
        self.lines = 0
        self._synced = time.monotonic()
        if lock:
            try:
                fcntl.flock(self.fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                os.close(self.fd)
                raise InputError("another amends batch is writing to this file", source=str(path),
                                 hint="wait for it to finish or use another --out") from None

    @staticmethod
    def encode(record: dict[str, Any]) -> bytes:
        """One record as the bytes of one line (compact JSON, UTF-8, trailing newline)."""
        try:
            return orjson.dumps(record, option=orjson.OPT_APPEND_NEWLINE)
        except TypeError:  # a lone surrogate from a lenient decode: the stdlib path replaces it
            return (json.dumps(record, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8", "replace")

    def write(self, record: dict[str, Any]) -> None:
        """Append one record as a single line; returns once the line is in the file (page cache)."""
        self.write_line(self.encode(record))

    def write_line(self, data: bytes) -> None:
        """Append one encoded line with a single ``os.write`` (looping only on a short write)."""
        written = os.write(self.fd, data)
        while written < len(data):  # only on a full disk or a signal; the torn tail is repaired on resume
            written += os.write(self.fd, data[written:])
        self.lines += 1
        now = time.monotonic()
        if now - self._synced >= FSYNC_INTERVAL_S:
            os.fsync(self.fd)
            self._synced = now

    def close(self) -> None:
        """Fsync and close the file."""
        if self.fd >= 0:
            os.fsync(self.fd)
            os.close(self.fd)
            self.fd = -1

    def __enter__(self) -> JsonlAppender:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
