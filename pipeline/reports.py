"""Reports on a batch results file: terminal summary (rich), self-contained HTML, and CSV.

Everything is streamed: the results file is read line by line and only counters, the N worst messages and
the rows of the HTML table (at most ``table_limit``, worst first) are kept. The generic HTML pieces live
in :mod:`pipeline.htmlkit` and are re-exported here (``html_page``, ``bar_chart_svg``,
``grouped_bar_chart_svg``, ``searchable_table_html``) for the eval suite's comparison pages.
"""

from __future__ import annotations

import csv
import heapq
import json
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn
from rich.table import Table
from rich.text import Text

from .batch_io import errors_path
from .errors import InputError
from .htmlkit import (
    Raw,
    bar_chart_svg,
    esc,
    grouped_bar_chart_svg,
    html_page,
    searchable_table_html,
    section,
    stat_cards,
)
from .rubric import load_rubric

__all__ = ["ReportData", "bar_chart_svg", "batch_progress", "grouped_bar_chart_svg", "html_page", "iter_results",
           "print_batch_summary", "print_report", "render_html", "searchable_table_html", "summarize", "write_csv"]

BINS = [f"{lo}–{lo + 9}" if lo < 90 else "90–100" for lo in range(0, 100, 10)]


def iter_results(path: Path) -> Iterator[dict[str, Any]]:
    """The records of a results file, skipping a torn or invalid line."""
    if not path.is_file():
        raise InputError("no such results file", source=str(path), hint="run `amends batch … --out` first")
    with path.open("rb") as f:
        for raw in f:
            try:
                rec = json.loads(raw)
            except ValueError:
                continue
            if isinstance(rec, dict) and "verdicts" in rec:
                yield rec


def _badness(rec: dict[str, Any]) -> tuple[int, float, str]:
    """Sort key: failing required criteria first, then lower score (negated for a max-heap of the worst)."""
    return (1 if rec.get("required_pass") else 0, float(rec.get("score", 0.0)), str(rec.get("id")))


@dataclass
class ReportData:
    """What a report shows, gathered in one streamed pass over the results file."""

    total: int = 0
    ok: int = 0
    score_sum: float = 0.0
    passes: Counter[str] = field(default_factory=Counter)
    judged: Counter[str] = field(default_factory=Counter)
    unconfirmed: Counter[str] = field(default_factory=Counter)
    bins: list[int] = field(default_factory=lambda: [0] * 10)
    models: Counter[str] = field(default_factory=Counter)
    cached: int = 0
    llm_calls: int = 0
    tokens: int = 0
    worst: list[dict[str, Any]] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)
    errors: int = 0
    error_reasons: Counter[str] = field(default_factory=Counter)

    @property
    def failed(self) -> int:
        """Messages failing at least one required criterion."""
        return self.total - self.ok

    def pass_rate(self, cid: str) -> float:
        """Percentage of messages passing ``cid``."""
        return 100.0 * self.passes[cid] / self.judged[cid] if self.judged[cid] else 0.0


def _keep(heap: list[tuple[Any, ...]], rec: dict[str, Any], limit: int, seq: int) -> None:
    b = _badness(rec)
    item = ((-b[0], -b[1], b[2]), seq, rec)  # heap top = the least bad kept record
    if len(heap) < limit:
        heapq.heappush(heap, item)
    elif limit and item[0] > heap[0][0]:
        heapq.heapreplace(heap, item)


def summarize(path: Path, *, worst: int = 10, table_limit: int = 5000) -> ReportData:
    """Read a results file (and its errors file if present) into a ReportData, in one streamed pass."""
    data = ReportData()
    worst_heap: list[tuple[Any, ...]] = []
    row_heap: list[tuple[Any, ...]] = []
    for seq, rec in enumerate(iter_results(path)):
        data.total += 1
        data.ok += bool(rec.get("required_pass"))
        score = float(rec.get("score", 0.0))
        data.score_sum += score
        data.bins[min(9, int(score // 10))] += 1
        for cid, verdict in rec["verdicts"].items():
            data.judged[cid] += 1
            data.passes[cid] += verdict == "pass"
        for cid in rec.get("defaulted", []):
            data.unconfirmed[cid] += 1
        data.models[str(rec.get("model") or "rules only")] += 1
        data.cached += bool(rec.get("cached"))
        data.llm_calls += int(rec.get("llm_calls", 0))
        data.tokens += sum(int(v) for v in (rec.get("tokens") or {}).values())
        _keep(worst_heap, rec, worst, seq)
        slim = {k: v for k, v in rec.items() if k not in ("verdicts",)}
        _keep(row_heap, slim, table_limit, seq)
    data.worst = [r for _, _, r in sorted(worst_heap, key=lambda t: (t[0], -t[1]), reverse=True)]
    data.rows = [r for _, _, r in sorted(row_heap, key=lambda t: (t[0], -t[1]), reverse=True)]
    epath = errors_path(path)
    if epath.is_file():
        with epath.open("rb") as f:
            for raw in f:
                try:
                    reason = str(json.loads(raw).get("reason", "?"))
                except (ValueError, AttributeError):
                    continue
                data.errors += 1
                data.error_reasons[reason.split(" (")[0][:70]] += 1
    return data


def _evidence_lines(rec: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(criterion, quote, fix) for each failed criterion of a record."""
    ev, fixes = rec.get("evidence") or {}, rec.get("fixes") or {}
    return [(cid, (ev.get(cid) or [{}])[0].get("quote", ""), fixes.get(cid, "")) for cid in rec.get("failed", [])]


def print_report(console: Console, data: ReportData, *, worst: int = 10) -> None:
    """The terminal summary: totals, per-criterion pass rates, score distribution, the worst messages."""
    rubric = load_rubric()
    if not data.total:
        console.print("no results yet")
        return
    console.print(f"[bold]{data.total:,} messages[/]: [green]{data.ok:,} ok[/], [red]{data.failed:,} failed the "
                  f"rubric[/], {data.errors:,} errored · mean score {data.score_sum / data.total:.1f} · "
                  f"{data.cached:,} cached · {data.llm_calls:,} LLM calls · {data.tokens:,} tokens")
    table = Table(title="Per criterion", title_justify="left")
    for col, just in (("criterion", "left"), ("req", "center"), ("pass rate", "left"), ("%", "right"),
                      ("fails", "right"), ("unconfirmed", "right")):
        table.add_column(col, justify=just)  # type: ignore[arg-type]
    for c in rubric.criteria:
        rate = data.pass_rate(c.id)
        colour = "green" if rate >= 80 else "yellow" if rate >= 50 else "red"
        table.add_row(c.id, "*" if c.required else "", Text("█" * round(rate / 5), style=colour), f"{rate:.0f}",
                      f"{data.judged[c.id] - data.passes[c.id]:,}", f"{data.unconfirmed[c.id]:,}")
    console.print(table)
    dist = Table(title="Score distribution", title_justify="left", show_header=False, box=None)
    top = max(data.bins) or 1
    for label, n in zip(BINS, data.bins, strict=True):
        dist.add_row(label, Text("█" * round(30 * n / top), style="cyan"), f"{n:,}")
    console.print(dist)
    if data.worst and worst:
        console.print(f"[bold]{min(worst, len(data.worst))} worst messages[/]")
        for rec in data.worst[:worst]:
            console.print(f"[bold]{rec['id']}[/] score {rec.get('score', 0):g}, failed: "
                          f"{', '.join(rec.get('failed', [])) or '-'}", soft_wrap=True)
            console.print(Text("  " + str(rec.get("preview", ""))[:120], style="dim"), soft_wrap=True)
            for cid, quote, fix in _evidence_lines(rec)[:4]:
                console.print(f"  - {cid}: " + (f"“{quote}” " if quote else "") + (f"→ {fix}" if fix else ""),
                              soft_wrap=True, markup=False)
    if data.errors:
        reasons = ", ".join(f"{n} {r}" for r, n in data.error_reasons.most_common(4))
        console.print(f"[yellow]{data.errors:,} records errored[/] ({reasons})", soft_wrap=True)


def _failed_html(rec: dict[str, Any]) -> Raw:
    items = "".join(f"<li><b>{esc(cid)}</b>" + (f" <q>{esc(quote)}</q>" if quote else "")
                    + (f" → {esc(fix)}" if fix else "") + "</li>" for cid, quote, fix in _evidence_lines(rec))
    return Raw(f'<ul class="ev">{items}</ul>' if items else "", sort=len(rec.get("failed", [])))


def render_html(data: ReportData, *, title: str = "amends batch report", source: str = "") -> str:
    """The self-contained HTML report: headline cards, per-criterion chart, score histogram, searchable table."""
    rubric = load_rubric()
    labels = [f"{c.id}{' *' if c.required else ''}" for c in rubric.criteria]
    cards = stat_cards({"messages": f"{data.total:,}", "ok": f"{data.ok:,}", "failed the rubric": f"{data.failed:,}",
                        "errored": f"{data.errors:,}",
                        "mean score": f"{data.score_sum / data.total:.1f}" if data.total else "-",
                        "cached": f"{data.cached:,}", "LLM calls": f"{data.llm_calls:,}",
                        "model": ", ".join(data.models) or "-"})
    chart = bar_chart_svg(labels, [round(data.pass_rate(c.id), 1) for c in rubric.criteria], max_value=100, unit="%")
    hist = bar_chart_svg(BINS, data.bins, label_width=80, color="#6b7a8f")
    rows = []
    for rec in data.rows:
        ok = bool(rec.get("required_pass"))
        verdict = Raw(f'<span class="{"pass" if ok else "fail"}">{"ok" if ok else "failed"}</span>', sort=int(ok))
        rows.append([rec.get("id"), float(rec.get("score", 0.0)), verdict, _failed_html(rec),
                     rec.get("preview", ""), rec.get("model") or "rules", bool(rec.get("cached"))])
    shown = f"the {len(rows):,} worst of {data.total:,} messages" if len(rows) < data.total else \
        f"all {data.total:,} messages"
    table = searchable_table_html(["id", "score", "required", "failed criteria (evidence → fix)", "message",
                                   "model", "cached"], rows, table_id="messages",
                                  placeholder="Search ids, criteria, evidence, text…")
    errors = ""
    if data.errors:
        errors = section("Errors", searchable_table_html(["reason", "count"], data.error_reasons.most_common(),
                                                         table_id="errors"))
    return html_page(title, [
        cards,
        section("Pass rate per criterion (* required)", chart, section_id="criteria"),
        section("Score distribution", hist, section_id="scores"),
        section(f"Messages ({shown}, worst first)", table, section_id="table"),
        errors,
    ], subtitle=source)


CSV_FIELDS = ["id", "line", "source", "score", "required_pass", "failed", "model", "cached", "llm_calls",
              "input_tokens", "output_tokens", "latency_s"]


def _csv_safe(value: Any) -> Any:
    """Defuse spreadsheet formulas in text cells (a leading = + - @ is prefixed with a quote)."""
    return "'" + value if isinstance(value, str) and value[:1] in ("=", "+", "-", "@") else value


def write_csv(results: Path, dest: Path) -> int:
    """Write one CSV row per result (flat columns plus one verdict column per criterion); return the row count."""
    ids = [c.id for c in load_rubric().criteria]
    n = 0
    with dest.open("w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_FIELDS + ids + ["preview"])
        for rec in iter_results(results):
            tokens = rec.get("tokens") or {}
            flat = {**rec, "failed": ";".join(rec.get("failed", [])), "input_tokens": tokens.get("input", 0),
                    "output_tokens": tokens.get("output", 0)}
            writer.writerow([_csv_safe(flat.get(k, "")) for k in CSV_FIELDS]
                            + [rec["verdicts"].get(cid, "") for cid in ids] + [_csv_safe(rec.get("preview", ""))])
            n += 1
    return n


class _RateColumn(ProgressColumn):
    """Messages/s and ETA from the run's average rate (stable under chunked updates, unlike rich's window)."""

    def render(self, task: Task) -> Text:
        elapsed = task.elapsed or 0.0
        rate = task.completed / elapsed if elapsed > 0 and task.completed else 0.0
        eta = "-:--:--"
        if rate and task.total is not None:
            left = max(0.0, (task.total - task.completed) / rate)
            eta = f"{int(left // 3600)}:{int(left % 3600 // 60):02d}:{int(left % 60):02d}"
        return Text(f"{rate:,.1f} msg/s  ETA {eta}" if rate else "– msg/s", style="cyan")


@contextmanager
def batch_progress(console: Console) -> Iterator[Callable[[int | None], Callable[[int], None]]]:
    """A rich progress bar (rate, ETA) for ``run_batch``; disabled when the console is not a terminal."""
    bar = Progress(TextColumn("critiquing"), BarColumn(), MofNCompleteColumn(), _RateColumn(), console=console,
                   disable=not console.is_terminal, transient=False)

    def start(total: int | None) -> Callable[[int], None]:
        task = bar.add_task("batch", total=total)
        return lambda n: bar.advance(task, n)

    with bar:
        yield start


def print_batch_summary(console: Console, s: Any) -> None:
    """The end-of-run summary of ``amends batch`` (a pipeline.batch.BatchSummary)."""
    console.print(f"[bold]{s.new:,} new[/] in {s.elapsed_s:.1f}s ({s.rate:,.0f} msg/s): [green]{s.ok:,} ok[/], "
                  f"[red]{s.failed:,} failed the rubric[/], [yellow]{s.errored:,} errored[/]"
                  + (f", {s.skipped:,} already done" if s.skipped else "")
                  + (f", {s.duplicates:,} duplicate ids" if s.duplicates else ""), soft_wrap=True)
    if s.model:
        console.print(f"model {s.model}: {s.llm_calls:,} LLM calls, {s.cached:,} cached, "
                      f"{s.input_tokens + s.output_tokens:,} tokens", soft_wrap=True)
    if s.repaired_bytes:
        console.print(f"repaired a torn last line ({s.repaired_bytes} bytes) left by an interrupted run")
    console.print(f"results: {s.out} ({s.total_ok:,} ok, {s.total_failed:,} failed in total)", soft_wrap=True)
    if s.errored or s.duplicates:
        top = ", ".join(f"{n} {r}" for r, n in sorted(s.reasons.items(), key=lambda kv: -kv[1])[:3])
        console.print(f"errors: {s.errors}" + (f" ({top})" if top else ""), soft_wrap=True)
