"""Recorded model calls for the eval suite: one vcrpy cassette per kind × variant × model × case.

Replay (the default) answers every request from ``evals/cassettes/<kind>/<variant>/<model-slug>/<case>.yaml``
and never reaches a model: ``local`` is pointed at a closed port, so a request without a recording (a prompt
edit, a rules change that alters a revise prompt, a new case) fails with :class:`CassetteMissError`, one line
saying how to re-record. ``--record`` starts the embedded server through the normal ``resolve_model`` path and
rewrites each case's cassette. Requests match on method, path and body; auth headers are never written.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import AmendsError
from .models import ModelHandle, resolve_model

#: Where replay points ``local``: port 9 (discard) on loopback, which nothing answers.
REPLAY_LOCAL_URL = "http://127.0.0.1:9/v1"
FILTER_HEADERS = ["authorization", "x-api-key", "api-key", "openai-organization", "openai-project", "cookie",
                  "set-cookie"]
EMPTY_CASSETTE = "interactions: []\nversion: 1\n"
TIMINGS_FILE = "timings.json"
#: Per-request timeout while recording (unless AMENDS_TIMEOUT is set): a timeout would only repeat the call.
RECORD_TIMEOUT_S = "900"


class CassetteMissError(AmendsError):
    """Replay met a model request that no cassette holds: prompts, rules or data changed without re-recording."""


def model_slug(spec: str) -> str:
    """A folder name for a model spec: ``local`` → ``local``, ``openai:gpt-4o-mini`` → ``openai-gpt-4o-mini``."""
    return re.sub(r"[^A-Za-z0-9._-]+", "-", spec).strip("-") or "model"


def _cassette_miss(exc: BaseException) -> BaseException | None:
    """vcrpy's CannotOverwriteExistingCassetteException somewhere in ``exc``'s cause chain, or None."""
    seen = 0
    cur: BaseException | None = exc
    while cur is not None and seen < 10:
        if type(cur).__name__ == "CannotOverwriteExistingCassetteException":
            return cur
        cur = cur.__cause__ or cur.__context__
        seen += 1
    return None


def _which_request(miss: BaseException) -> str:
    """The tool the unrecorded request asked for (RubricVerdicts = critique, Admission/Message = draft/revise)."""
    request = getattr(miss, "failed_request", None)
    try:
        body = json.loads(getattr(request, "body", b"") or b"{}")
        return str(body["tools"][0]["function"]["name"])
    except (ValueError, KeyError, IndexError, TypeError):
        return "model"


@contextlib.contextmanager
def model_env(record: bool, spec: str) -> Iterator[None]:
    """Environment for resolving and calling the model.

    Replay: ``local`` → a closed port and no SDK retries (a miss fails at once). Record: a long request timeout.
    """
    changes: dict[str, str] = {}
    if record and not os.environ.get("AMENDS_TIMEOUT"):
        changes["AMENDS_TIMEOUT"] = RECORD_TIMEOUT_S  # a busy 2-core machine can take minutes per judge call
    if not record:
        changes = {"AMENDS_LOCAL_URL": REPLAY_LOCAL_URL, "AMENDS_MAX_RETRIES": "0"}
        if spec.startswith("openai:") and not os.environ.get("OPENAI_API_KEY"):
            changes["OPENAI_API_KEY"] = "sk-replay-no-key"
    saved = {k: os.environ.get(k) for k in changes}
    os.environ.update(changes)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@dataclass
class Recorder:
    """Cassettes for one eval kind, prompt variant and model; ``case()`` wraps the calls of one case."""

    kind: str
    variant: str
    spec: str
    record: bool
    root: Path
    only_missing: bool = False

    @property
    def folder(self) -> Path:
        """``<root>/<kind>/<variant>/<model-slug>``."""
        return self.root / self.kind / self.variant / model_slug(self.spec)

    def cassette(self, case_id: str) -> Path:
        """The cassette file for one case."""
        return self.folder / f"{model_slug(case_id)}.yaml"

    def rerecord_hint(self) -> str:
        """The command that re-records this kind and variant."""
        model = "" if self.spec == "local" else f" --model {self.spec}"
        variant = f" --variant {self.variant}"
        return f"re-record with `amends eval {self.kind}{variant}{model} --record`"

    def resolve(self) -> ModelHandle:
        """The model handle (call inside :func:`model_env`): starts the embedded server only when recording."""
        return resolve_model(self.spec)

    @contextlib.contextmanager
    def case(self, case_id: str) -> Iterator[bool]:
        """Record or replay every HTTP request made inside the block; yields True when this case is recorded.

        With ``only_missing`` a recording run replays the cases that already have a cassette (resuming).
        """
        try:
            import vcr  # type: ignore[import-untyped]
        except ImportError:
            raise AmendsError("the eval suite needs vcrpy", hint="run `pip install vcrpy` (or `pip install "
                              "amends[test]`)") from None
        path = self.cassette(case_id)
        recording = self.record and not (self.only_missing and path.is_file())
        if recording:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.unlink(missing_ok=True)
        elif not path.is_file():
            raise CassetteMissError(f"no recording for {self.kind} case {case_id!r} ({self.variant}, {self.spec})",
                                    hint=self.rerecord_hint())
        recorder = vcr.VCR(record_mode="all" if recording else "none", match_on=["method", "path", "body"],
                           filter_headers=FILTER_HEADERS, decode_compressed_response=True)
        try:
            with recorder.use_cassette(str(path)):
                yield recording
        except Exception as exc:
            miss = _cassette_miss(exc)
            if miss is not None:
                raise CassetteMissError(f"{self.kind} case {case_id!r} ({self.variant}, {self.spec}) made a "
                                        f"{_which_request(miss)} request its cassette does not hold (prompt, code, "
                                        "rules or data changed)", hint=self.rerecord_hint()) from None
            raise
        if recording and not path.exists():  # the case made no request (e.g. judged by the rules alone)
            path.write_text(EMPTY_CASSETTE, encoding="utf-8")

    def load_timings(self) -> dict[str, float]:
        """Latencies (seconds) measured when each case was recorded."""
        path = self.folder / TIMINGS_FILE
        try:
            data: Any = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return {str(k): float(v) for k, v in data.items()} if isinstance(data, dict) else {}

    def save_timings(self, measured: dict[str, float]) -> None:
        """Merge freshly recorded latencies into the folder's timings file."""
        data = self.load_timings() | {k: round(v, 3) for k, v in measured.items()}
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / TIMINGS_FILE).write_text(json.dumps(dict(sorted(data.items())), indent=1) + "\n",
                                                encoding="utf-8")
