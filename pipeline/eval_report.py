"""Rendering eval results: rich terminal tables and self-contained HTML pages (built with the batch report's kit)."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table

from .eval_metrics import SourceMetrics, Stat
from .eval_run import JudgeEvalResult, PipelineEvalResult
from .htmlkit import Raw, esc, section, stat_cards
from .reports import grouped_bar_chart_svg, html_page, searchable_table_html
from .rubric import CRITERIA_IDS


def _pct(x: float | None) -> str:
    return "n/a" if x is None else f"{100 * x:.1f}%"


def _k(x: float | None) -> str:
    return "n/a" if x is None else f"{round(x, 2) + 0.0:+.2f}"


def _sources(result: JudgeEvalResult) -> dict[str, SourceMetrics]:
    found = {"rules": result.rules, "llm": result.llm, "merged": result.merged}
    return {k: v for k, v in found.items() if v is not None}


def print_judge(console: Console, result: JudgeEvalResult) -> None:
    """Per-criterion accuracy and κ for rules, LLM and merged, the macro row, and dev/test rules accuracy."""
    srcs = _sources(result)
    model = f"model {result.model}" if result.model else "rules only"
    t = Table(title=f"Judge agreement with human labels — {result.n_messages} messages ({result.split}), "
                    f"{model}, variant {result.variant} [{result.mode}]", box=box.SIMPLE_HEAD, pad_edge=False)
    t.add_column("criterion", no_wrap=True)
    for s in srcs:
        t.add_column(f"{s[0].upper()} acc", justify="right", no_wrap=True, min_width=6)
        t.add_column(f"{s[0].upper()} κ", justify="right", no_wrap=True, min_width=5)
    last = list(srcs.values())[-1]
    t.add_column("FP", justify="right", no_wrap=True)
    t.add_column("FF", justify="right", no_wrap=True)
    for cid in CRITERIA_IDS:
        cells = []
        for m in srcs.values():
            cells += [_pct(m.criteria[cid].accuracy), _k(m.criteria[cid].kappa)]
        t.add_row(cid, *cells, str(last.criteria[cid].false_pass), str(last.criteria[cid].false_fail))
    macro = []
    for m in srcs.values():
        macro += [_pct(m.macro_accuracy), _k(m.macro_kappa)]
    t.add_row("[b]macro[/]", *macro, str(last.false_pass), str(last.false_fail), end_section=True)
    console.print(t)
    legend = "R = rules alone" + (", L = LLM judge alone, M = merged (what amends reports)" if len(srcs) > 1 else "")
    console.print(f"{legend}. FP/FF = {last.source} false passes (labelled fail, judged pass) / false fails. "
                  + (f"The LLM answered on {result.llm_answered} of {result.n_messages} messages (LLM-only figures "
                     "use those); " if result.llm else "") + "κ n/a = undefined (one class only).", soft_wrap=True)
    if len(result.rules_by_split) > 1:
        st = Table(title="Rules-only accuracy by split")
        st.add_column("criterion")
        for name, sm in result.rules_by_split.items():
            st.add_column(f"{name} (n={sm.n_messages})", justify="right")
        for cid in CRITERIA_IDS:
            st.add_row(cid, *(_pct(m.criteria[cid].accuracy) for m in result.rules_by_split.values()))
        st.add_row("[b]macro[/]", *(_pct(m.macro_accuracy) for m in result.rules_by_split.values()))
        console.print(st)
    lat = f", recorded model time {result.recorded_latency_s:.0f} s" if result.recorded_latency_s else ""
    console.print(f"{result.mode} took {result.elapsed_s:.1f} s{lat}", soft_wrap=True)


PIPELINE_ROWS: list[tuple[str, str, float, int, str]] = [
    ("required-pass rate", "required_pass_rate", 100.0, 1, "%"),
    ("accepted (+ grounded)", "accepted_rate", 100.0, 1, "%"),
    ("mean weighted score", "mean_score", 1.0, 1, ""),
    ("grounding violations", "grounding_violations", 1.0, 1, ""),
    ("mean rounds", "mean_rounds", 1.0, 2, ""),
    ("LLM calls / scenario", "llm_calls", 1.0, 2, ""),
    ("tokens / scenario", "tokens", 1.0, 0, ""),
    ("latency / scenario (s)", "latency_s", 1.0, 1, ""),
]


def _stat(v: object, attr: str) -> Stat:
    value = getattr(v, attr)
    assert isinstance(value, Stat)
    return value


def print_pipeline(console: Console, result: PipelineEvalResult) -> None:
    """The variants side by side: one column per variant, one row per figure (mean ± SE over repeats)."""
    n = result.variants[0].n_scenarios if result.variants else 0
    t = Table(title=f"Pipeline eval — {n} scenarios × {result.repeats} repeat(s), model {result.model} [{result.mode}]")
    t.add_column("figure", no_wrap=True)
    for v in result.variants:
        t.add_column(f"{v.variant} ({v.digest})", justify="right")
    for label, attr, scale, digits, unit in PIPELINE_ROWS:
        t.add_row(label, *(_stat(v, attr).fmt(digits, scale, unit) for v in result.variants))
    console.print(t)
    sources = {v.latency_source for v in result.variants}
    console.print(f"latency: {'/'.join(sorted(sources))} (replay shows the latency measured when recording); "
                  f"{result.mode} took {result.elapsed_s:.1f} s", soft_wrap=True)


def _verdict_cell(label: str, pred: str | None) -> Raw:
    cls = "pass" if pred == "pass" else "fail"
    mark = "" if pred == label else " ✗"
    return Raw(f'<span class="{cls}">{esc(pred or "—")}{mark}</span>', sort=f"{pred}{mark}")


def judge_html(result: JudgeEvalResult) -> str:
    """A self-contained HTML page for the judge eval."""
    srcs = _sources(result)
    cards = stat_cards({"messages": result.n_messages, "LLM answered": result.llm_answered if result.llm else "—",
                        **{f"{s} macro acc": _pct(m.macro_accuracy) for s, m in srcs.items()},
                        **{f"{s} macro κ": _k(m.macro_kappa) for s, m in srcs.items()}})
    chart = grouped_bar_chart_svg(list(CRITERIA_IDS), {s: [100 * (m.criteria[c].accuracy or 0) for c in CRITERIA_IDS]
                                                       for s, m in srcs.items()},
                                  max_value=100, unit="%", title="Accuracy per criterion")
    rows = []
    for cid in CRITERIA_IDS:
        row: list[object] = [cid]
        for sm in srcs.values():
            m = sm.criteria[cid]
            row += [round(100 * (m.accuracy or 0), 1), _k(m.kappa), m.false_pass, m.false_fail]
        rows.append(row)
    cols = ["criterion"] + [f"{s} {x}" for s in srcs for x in ("acc %", "κ", "FP", "FF")]
    per = searchable_table_html(cols, rows, table_id="criteria")
    msg_rows = []
    shown = "merged" if result.merged else "rules"
    for o in result.messages:
        verdicts = o.merged or o.rules
        wrong = [c for c in CRITERIA_IDS if verdicts[c] != o.labels[c]]
        msg_rows.append([o.id, o.split, o.channel, len(wrong), ", ".join(wrong), "yes" if o.judge_ok else "no",
                         *(_verdict_cell(o.labels[c], verdicts[c]) for c in CRITERIA_IDS)])
    msgs = searchable_table_html(["id", "split", "channel", "errors", "wrong on", "judge ok", *CRITERIA_IDS],
                                 msg_rows, table_id="messages")
    sections = [section("Headline", cards), section("Per criterion", chart + per),
                section(f"Messages ({shown} verdicts; ✗ = disagrees with the label)", msgs)]
    if len(result.rules_by_split) > 1:
        split_rows = [[cid, *(round(100 * (m.criteria[cid].accuracy or 0), 1) for m in result.rules_by_split.values())]
                      for cid in CRITERIA_IDS]
        sections.append(section("Rules-only accuracy by split", searchable_table_html(
            ["criterion", *(f"{k} acc %" for k in result.rules_by_split)], split_rows, table_id="splits")))
    return html_page("amends eval judge", sections, subtitle=f"model {result.model or 'none (rules only)'}, "
                     f"variant {result.variant} "
                     f"({result.digest}), split {result.split}, {result.mode}")


def pipeline_html(result: PipelineEvalResult) -> str:
    """A self-contained HTML page comparing prompt variants on the pipeline eval."""
    names = [v.variant for v in result.variants]
    table_rows = [[label, *(_stat(v, attr).fmt(digits, scale, unit) for v in result.variants)]
                  for label, attr, scale, digits, unit in PIPELINE_ROWS]
    compare = searchable_table_html(["figure", *names], table_rows, table_id="variants")
    chart = grouped_bar_chart_svg(["required-pass rate %", "accepted %", "mean score"],
                                  {v.variant: [100 * v.required_pass_rate.mean, 100 * v.accepted_rate.mean,
                                               v.mean_score.mean] for v in result.variants},
                                  max_value=100, title="Variants side by side")
    rows = [[o.id, o.variant, o.repeat, "yes" if o.required_pass else "no", o.score, o.grounding, o.rounds, o.llm_calls,
             o.tokens, round(o.latency_s, 1), ", ".join(o.failed), o.final_text] for o in result.scenarios]
    cols = ["scenario", "variant", "repeat", "required pass", "score", "grounding", "rounds", "LLM calls", "tokens",
            "latency s", "failed", "final text"]
    scen = searchable_table_html(cols, rows, table_id="scenarios")
    return html_page("amends eval pipeline", [section("Variants", chart + compare), section("Scenarios", scen)],
                     subtitle=f"model {result.model}, {result.repeats} repeat(s), {result.mode}")
