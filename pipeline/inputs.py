"""Reading user input safely: summaries and messages (size, encoding, binary) and facts files."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from .config import MAX_INPUT_BYTES
from .errors import FactsError, InputError
from .schema import Facts


def decode_text(data: bytes, source: str = "input", *, limit: int = MAX_INPUT_BYTES) -> str:
    """Bytes from a file or stdin as clean text; raise InputError for binary, non-UTF-8, empty or oversized input."""
    if len(data) > limit:
        raise InputError(f"input is {len(data):,} bytes, over the {limit:,}-byte limit", source=source,
                         hint="pass one message at a time (use `amends batch` for many)")
    if b"\x00" in data:
        raise InputError("input looks binary (it contains NUL bytes)", source=source,
                         hint="pass a plain-text UTF-8 file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"input is not UTF-8 (bad byte at offset {exc.start})", source=source,
                         hint="convert it with `iconv -t UTF-8` and try again") from None
    return check_text(text, source, limit=limit)


def check_text(text: str, source: str = "input", *, limit: int = MAX_INPUT_BYTES) -> str:
    """A stripped text, or InputError when it is empty or too long."""
    if len(text.encode("utf-8", "surrogatepass")) > limit:
        raise InputError(f"input is over the {limit:,}-byte limit", source=source,
                         hint="shorten it to the facts of the mistake")
    stripped = text.strip()
    if not stripped:
        raise InputError("input is empty", source=source, hint="say in a sentence what went wrong")
    return stripped


def read_text_file(path: str | Path) -> str:
    """Read and check a text file given on the command line."""
    p = Path(path)
    try:
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError("no such file", source=str(p), hint="check the path") from None
    except IsADirectoryError:
        raise InputError("is a directory, not a file", source=str(p), hint="pass a text file") from None
    except OSError as exc:
        raise InputError(f"cannot read it ({exc.strerror})", source=str(p), hint="check the path") from None
    return decode_text(data, str(p))


def load_facts(path: str | Path | None) -> Facts:
    """Load a facts file (YAML or JSON); unknown keys and wrong types are one-line FactsErrors."""
    if path is None:
        return Facts()
    p = Path(path)
    text = read_text_file(p)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FactsError(f"not valid YAML{where}", source=str(p), hint="fix the syntax (key: value per line)") from None
    if raw is None:
        return Facts()
    if not isinstance(raw, dict):
        raise FactsError("must be a mapping of fields (recipient: …, fix: …)", source=str(p),
                         hint="see `amends draft --help` for the fields")
    raw = {k: (str(v) if isinstance(v, int | float) and not isinstance(v, bool) else v) for k, v in raw.items()}
    try:
        return Facts.model_validate(raw)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(map(str, err["loc"])) or "file"
        allowed = ", ".join(Facts.model_fields)
        hint = f"allowed fields: {allowed}" if err["type"] == "extra_forbidden" else "fix that field"
        raise FactsError(f"{field}: {err['msg']}", source=str(p), hint=hint) from None
