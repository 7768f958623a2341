"""amends report: streamed summary, CSV, and a self-contained HTML report checked in headless Chromium."""

from __future__ import annotations

import csv
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.batch import BatchOptions, run_batch
from pipeline.htmlkit import Raw, grouped_bar_chart_svg, html_page, searchable_table_html
from pipeline.reports import render_html, summarize, write_csv
from pipeline.rubric import CRITERIA_IDS

ROOT = Path(__file__).resolve().parents[1]
TEXTS = [
    "I sent you last year's invoice instead of this year's. I am sorry. I have sent the right one today.",
    "We regret any inconvenience. Mistakes were made, and your brief was unclear.",
    "Sorry if you were upset!!! These things happen. <script>alert('x')</script>",
    "I missed the Friday deadline. I apologise. I will deliver by Monday and have added a checklist.",
]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def record(ident: str, score: float, required_pass: bool, failed: list[str], quote: str = "") -> dict:
    return {"id": ident, "score": score, "required_pass": required_pass, "failed": failed,
            "verdicts": {c: "fail" if c in failed else "pass" for c in CRITERIA_IDS},
            "evidence": {failed[0]: [{"quote": quote, "detector": "t", "start": 0, "end": 1}]} if quote else {},
            "fixes": {c: f"fix {c}" for c in failed}, "defaulted": [], "model": "openai:m", "judge_ok": True,
            "llm_calls": 1, "tokens": {"input": 10, "output": 5}, "latency_s": 0.1, "cached": False,
            "preview": f"message {ident}"}


@pytest.fixture
def results(tmp_path: Path) -> Path:
    out = tmp_path / "results.jsonl"
    recs = [record(f"a{i}", 100.0 - i, True, []) for i in range(40)]
    recs += [record("worst", 5.0, False, ["owns_mistake", "no_blame"], quote="<script>alert('x')</script>"),
             record("bad", 40.0, False, ["clear_apology"], quote="sorry if"),
             record("meh", 30.0, True, ["make_good"]),
             record("=cmd", 90.0, True, [])]
    out.write_text("".join(json.dumps(r) + "\n" for r in recs) + '{"id": "torn", "verd', encoding="utf-8")
    (tmp_path / "results.errors.jsonl").write_text(json.dumps({"line": 3, "reason": "malformed JSON (x)"}) + "\n")
    return out


def test_summary_counts_rates_and_worst(results: Path) -> None:
    data = summarize(results, worst=3)
    assert (data.total, data.ok, data.failed, data.errors) == (44, 42, 2, 1)  # the torn line is skipped
    assert [r["id"] for r in data.worst] == ["worst", "bad", "meh"]
    assert data.pass_rate("owns_mistake") == pytest.approx(100 * 43 / 44)
    assert sum(data.bins) == 44 and data.bins[0] == 1 and data.bins[9] == 12  # 100..91 and 90 -> last bin
    assert [r["id"] for r in summarize(results, worst=1, table_limit=2).rows] == ["worst", "bad"]


def test_csv_has_one_row_per_message_and_defuses_formulas(results: Path, tmp_path: Path) -> None:
    dest = tmp_path / "out.csv"
    assert write_csv(results, dest) == 44
    rows = list(csv.DictReader(dest.open(encoding="utf-8")))
    assert len(rows) == 44 and set(CRITERIA_IDS) <= set(rows[0])
    worst = next(r for r in rows if r["id"] == "worst")
    assert worst["failed"] == "owns_mistake;no_blame" and worst["owns_mistake"] == "fail"
    assert any(r["id"] == "'=cmd" for r in rows)


def test_html_is_self_contained_and_escaped(results: Path) -> None:
    page = render_html(summarize(results))
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)  # no network assets
    assert page.count('class="bar"') == 12 + 10  # criteria chart + score histogram


def test_generic_html_pieces() -> None:
    chart = grouped_bar_chart_svg(["a", "b"], {"v1": [10, 20], "v2": [30, 40.5]}, max_value=100, unit="%")
    assert chart.count('class="bar"') == 4 and "legend" in chart and "40.5%" in chart
    table = searchable_table_html(["name", "n", "html"], [["x<y", 3, Raw("<b>ok</b>", sort=1)], ["z", 1.5, None]])
    assert 'data-type="num"' in table and "x&lt;y" in table and "<b>ok</b>" in table
    assert html_page("T & t", [table]).startswith("<!DOCTYPE html>")


def chromium(*args: str, tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                           "--no-first-run", "--disable-background-networking", "--disable-component-update",
                           "--disable-sync", f"--user-data-dir={tmp_path / 'chromium-profile'}", *args],
                          capture_output=True, text=True, timeout=90)


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (apt-get install chromium; CI installs it)")
def test_html_report_renders_in_headless_chromium(results: Path, tmp_path: Path) -> None:
    html = tmp_path / "report.html"
    proc = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "report", str(results), "--html", str(html),
                           "--csv", str(tmp_path / "r.csv"), "--worst", "2"], cwd=ROOT, capture_output=True,
                          text=True, timeout=60, env=dict(os.environ))
    assert proc.returncode == 0, proc.stderr
    assert "44 messages" in proc.stdout and "worst" in proc.stdout and "Per criterion" in proc.stdout

    dom = chromium("--dump-dom", html.as_uri(), tmp_path=tmp_path).stdout
    assert 'data-ready="1"' in dom  # our script ran
    assert "44 of 44 rows" in dom and dom.count('class="bar"') == 22
    filtered = chromium("--dump-dom", html.as_uri() + "?q_messages=clear_apology", tmp_path=tmp_path).stdout
    assert "1 of 44 rows" in filtered and 'data-shown="1"' in filtered

    shot = tmp_path / "report.png"
    chromium("--window-size=1200,1400", f"--screenshot={shot}", html.as_uri(), tmp_path=tmp_path)
    assert shot.is_file() and shot.stat().st_size > 20_000


def test_report_from_a_real_batch_run(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps({"id": f"m{i}", "text": TEXTS[i % 4]}) + "\n" for i in range(8)))
    run_batch(BatchOptions(input=inp, out=tmp_path / "out.jsonl", rules_only=True))
    data = summarize(tmp_path / "out.jsonl")
    assert data.total == 8 and sum(data.judged.values()) == 8 * 12
    assert "rules only" in data.models
    missing = subprocess.run([sys.executable, "-c", "import cli; cli.main()", "report", str(tmp_path / "nope.jsonl")],
                             cwd=ROOT, capture_output=True, text=True, timeout=60, env=dict(os.environ))
    assert missing.returncode == 2 and "no such results file" in missing.stderr
