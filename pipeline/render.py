"""Terminal rendering with rich: rounds, verdict tables, diffs, the rubric. Kept out of cli.py so it stays thin."""

from __future__ import annotations

import difflib
import re

from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from .rubric import Rubric
from .schema import Critique, Review, Round

_MARK = {"pass": "[green]pass[/]", "fail": "[red]FAIL[/]"}


def verdict_table(crit: Critique) -> Table:
    """One row per criterion: verdict, where it came from, evidence and the suggested fix."""
    table = Table(show_lines=False, expand=True, title_justify="left")
    table.add_column("criterion", no_wrap=True)
    table.add_column("", no_wrap=True)
    table.add_column("by", no_wrap=True, style="dim")
    table.add_column("evidence / fix", ratio=1)
    for r in crit.criteria.values():
        name = f"{r.id}{'' if r.required else ' [dim](rec.)[/]'}"
        bits = []
        if r.evidence:
            bits.append(f'"{r.evidence[0].quote[:90]}"')
        if r.verdict == "fail" and r.fix:
            bits.append(f"[yellow]→ {r.fix[:140]}[/]")
        if r.note:
            bits.append(f"[dim]{r.note}[/]")
        table.add_row(name, _MARK[r.verdict], r.source, Text.from_markup(" ".join(bits)) if bits else "")
    return table


_SENT = re.compile(r"(?<=[.!?])\s+|\n+")


def diff_text(before: str, after: str) -> Text:
    """A sentence-level diff, readable without colour: '- ' removed, '+ ' added, unchanged runs counted."""
    a = [x for x in _SENT.split(before) if x.strip()]
    b = [x for x in _SENT.split(after) if x.strip()]
    out = Text()
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(f"  … {i2 - i1} unchanged\n", style="dim")
            continue
        for line in a[i1:i2]:
            out.append(f"- {line}\n", style="red")
        for line in b[j1:j2]:
            out.append(f"+ {line}\n", style="green")
    return out if a != b else Text("(no change to the text)", style="dim")


def round_panel(rnd: Round, previous: Round | None) -> Panel:
    """A round: its text (or a diff to the previous round), the verdicts, grounding, repairs and cost."""
    crit = rnd.critique
    parts: list = [Text(rnd.text) if previous is None else diff_text(previous.text, rnd.text), Text("")]
    parts.append(verdict_table(crit))
    for g in crit.grounding:
        parts.append(Text.from_markup(f'[red]not in your input:[/] "{g.quote}" ({g.kind})'))
    for rep in rnd.repairs:
        parts.append(Text.from_markup(f"[cyan]repair:[/] {rep}"))
    for w in crit.warnings:
        parts.append(Text.from_markup(f"[yellow]warning:[/] {w}"))
    calls = [c for c in rnd.calls if not c.cached]
    tokens = sum(c.input_tokens + c.output_tokens for c in calls)
    status = "[green]accepted[/]" if crit.accepted else "[red]needs revision[/]"
    title = (f"round {rnd.index} · {rnd.step} · {status} · score {crit.score:.0f} · {len(calls)} call(s), "
             f"{tokens} tokens, {rnd.latency_s:.1f} s")
    return Panel(Group(*parts), title=title, title_align="left")


def print_first_draft(console: Console, text: str) -> None:
    """The first draft, shown as soon as it exists (the critique is still running)."""
    console.print(Panel(Text(text), title="first draft · critiquing…", title_align="left", border_style="dim"))


def print_round(console: Console, rnd: Round, previous: Round | None) -> None:
    """One finished round."""
    console.print(round_panel(rnd, previous))


def print_outcome(console: Console, review: Review) -> None:
    """Why the loop stopped, its cost, and what the user must fill in (the final text is printed by the caller)."""
    colour = "green" if review.accepted else "yellow"
    console.print(f"[{colour}]{review.stop_reason}[/] · model {review.model} · {review.llm_calls} LLM call(s) · "
                  f"{review.tokens} tokens · {review.latency_s:.1f} s")
    if review.placeholders:
        console.print("[yellow]Fill in before sending:[/]")
        for p in review.placeholders:
            console.print(f"  {p.token}  — {p.question}")


def print_critique(console: Console, crit: Critique) -> None:
    """A critique of an existing message."""
    console.print(verdict_table(crit))
    for w in crit.warnings:
        console.print(f"[yellow]warning:[/] {w}")
    verdict = "[green]all required criteria pass[/]" if crit.required_pass else \
        f"[red]failing required:[/] {', '.join(c for c in crit.failed if crit.criteria[c].required)}"
    console.print(f"{verdict} · score {crit.score:.0f}/100 · judge: {crit.judge_model or 'rules only'}")


def print_rubric(console: Console, rubric: Rubric) -> None:
    """The rubric as a table."""
    table = Table(title=f"amends rubric v{rubric.version}", show_lines=True, expand=True)
    table.add_column("id", no_wrap=True)
    table.add_column("req.", no_wrap=True)
    table.add_column("weight", justify="right")
    table.add_column("what pass means", ratio=1)
    for c in rubric.criteria:
        table.add_row(c.id, "yes" if c.required else "", f"{c.weight:g}",
                      f"[bold]{c.title}[/]. {c.description}\n[green]✓[/] {c.pass_example}\n[red]✗[/] {c.fail_example}")
    console.print(table)
