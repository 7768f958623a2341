"""The rules-only batch path: no LLM, no model resolved, ≥10,000 messages/s.

Each record is built straight from ``run_rules`` with the same merge semantics as ``pipeline.judge.merge``
without a judge (building the pydantic ``Critique`` per message halved the throughput; a test checks both
give identical records). Large inputs are spread over worker processes: the parent reads, dedups and
writes in input order, workers run the rules and encode chunks of lines. Workers exit on their own when
the parent dies (even by SIGKILL), so a killed run leaves no orphans.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import TYPE_CHECKING, Any

from .batch_io import Item, JsonlAppender, Problem
from .rubric import Rubric, load_rubric

if TYPE_CHECKING:
    from .batch import _Run

PREVIEW_CHARS = 160
#: Messages per chunk sent to a worker process, and the smallest input (estimated) worth starting workers for.
CHUNK = 500
POOL_MIN_RECORDS = 8_000
MAX_WORKERS = 4

Row = tuple[str, str, int | None, str | None]


def evidence_dict(ev: Any) -> dict[str, Any]:
    """An Evidence as a results-file dict (``note`` only when set)."""
    rec = {"quote": ev.quote, "detector": ev.detector, "start": ev.start, "end": ev.end}
    if ev.note:
        rec["note"] = ev.note
    return rec


def base_record(item: Item) -> dict[str, Any]:
    """The id and provenance fields every results and errors line starts with."""
    rec: dict[str, Any] = {"id": item.id}
    if item.line is not None:
        rec["line"] = item.line
    if item.source is not None:
        rec["source"] = item.source
    return rec


class RulesRecorder:
    """Rules-only records without pydantic: ``pipeline.judge.merge`` with no judge, inlined for speed."""

    def __init__(self, rubric: Rubric) -> None:
        from .checks import analyse

        self._analyse = analyse
        self.criteria = [(c.id, c.required, c.weight) for c in rubric.criteria]
        self.total_weight = sum(c.weight for c in rubric.criteria)

    def record(self, item: Item) -> dict[str, Any]:
        """Critique ``item`` by the rules alone and build its results-file line."""
        start = time.perf_counter()
        rules, injection = self._analyse(item.text)
        verdicts: dict[str, str] = {}
        evidence: dict[str, list[dict[str, Any]]] = {}
        fixes: dict[str, str] = {}
        failed: list[str] = []
        defaulted: list[str] = []
        got = 0.0
        required_pass = True
        for cid, required, weight in self.criteria:
            rule = rules[cid]
            if rule.verdict == "pass":
                verdicts[cid] = "pass"
                got += weight
            else:
                verdicts[cid] = "fail"
                failed.append(cid)
                required_pass = required_pass and not required
                if rule.verdict != "fail":
                    defaulted.append(cid)
                if rule.fix:
                    fixes[cid] = rule.fix
            if rule.evidence:
                evidence[cid] = [evidence_dict(e) for e in rule.evidence]
        rec = base_record(item) | {
            "score": round(100.0 * got / self.total_weight, 1) if self.total_weight else 0.0,
            "required_pass": required_pass, "failed": failed, "verdicts": verdicts, "evidence": evidence,
            "fixes": fixes, "defaulted": defaulted, "model": None, "judge_ok": False, "llm_calls": 0,
            "tokens": {"input": 0, "output": 0}, "latency_s": 0.0, "cached": False,
            "preview": item.text[:PREVIEW_CHARS],
        }
        if injection:
            rec["warnings"] = [f"the message contains instructions to the judge ({injection[0].quote[:60]!r}); "
                               "judged by the rules alone"]
        rec["latency_s"] = round(time.perf_counter() - start, 6)
        return rec


_recorder: RulesRecorder | None = None


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)


def _init_worker(parent: int) -> None:
    global _recorder
    _recorder = RulesRecorder(load_rubric())
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _record_chunk(rows: list[Row]) -> list[tuple[bytes, bool]]:
    """In a worker: the encoded line and required_pass of each message of a chunk."""
    assert _recorder is not None
    out = []
    for ident, text, line, source in rows:
        rec = _recorder.record(Item(ident, text, line, source))
        out.append((JsonlAppender.encode(rec), bool(rec["required_pass"])))
    return out


def pool_size(estimated: int | None) -> int:
    """How many worker processes to use for an input of about ``estimated`` messages (0: stay in-process)."""
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    if cpus < 2 or (estimated or 0) < POOL_MIN_RECORDS:
        return 0
    return min(cpus, MAX_WORKERS)


def run_rules(items: Iterator[Item | Problem], run: _Run, workers: int = 0) -> None:
    """Critique every admitted item by the rules, in-process (``workers`` 0) or over worker processes."""
    if workers <= 0:
        recorder = RulesRecorder(load_rubric())
        for x in items:
            item = run.admit(x)
            if item is not None:
                rec = recorder.record(item)
                run.result_line(JsonlAppender.encode(rec), rec["required_pass"])
        return
    # spawn, not fork: the parent may run rich's refresh thread, and forking a threaded process is unsafe
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=ctx, initializer=_init_worker, initargs=(os.getpid(),)) as pool:
        pending: deque[Future[list[tuple[bytes, bool]]]] = deque()
        chunk: list[Row] = []

        def drain(limit: int) -> None:
            while len(pending) > limit:
                for data, ok in pending.popleft().result():
                    run.result_line(data, ok)

        for x in items:
            item = run.admit(x)
            if item is None:
                continue
            chunk.append((item.id, item.text, item.line, item.source))
            if len(chunk) >= CHUNK:
                pending.append(pool.submit(_record_chunk, chunk))
                chunk = []
                drain(2 * workers)  # bounded read-ahead: at most 2 chunks per worker in flight
        if chunk:
            pending.append(pool.submit(_record_chunk, chunk))
        drain(0)
