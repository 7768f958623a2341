"""amends command line: thin Typer commands that parse, call one library function, and render."""

from __future__ import annotations

import contextlib
import json
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, TypeVar

import typer
from rich.console import Console

from pipeline import config
from pipeline.errors import AmendsError

T = TypeVar("T")

app = typer.Typer(
    name="amends",
    help="Write the apology to a client after a mistake: draft, critique against the rubric, revise.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    add_completion=False,
)
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def reset_consoles() -> None:
    """Make the consoles anew for this process's stdout/stderr (a warm child of `amends serve` inherits them)."""
    global out, err
    out = Console(highlight=False)
    err = Console(stderr=True, highlight=False)

ModelOpt = Annotated[str | None, typer.Option("--model", "-m", help="local, openai:<model>, or provider:model "
                                                                    "[env AMENDS_MODEL; default local]")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _read_arg_or_stdin(value: str | None, what: str) -> str:
    from pipeline.inputs import decode_text, read_text_file

    if value is None or value == "-":
        if sys.stdin.isatty():
            raise AmendsError(f"no {what} given", hint=f"pass the {what} as an argument, a file, or on stdin")
        return decode_text(sys.stdin.buffer.read(), "stdin")
    if what == "message":
        return read_text_file(value)
    from pipeline.inputs import check_text

    return check_text(value, what)


def _prestart_if_local(spec: str | None) -> None:
    """Let the embedded model load while the heavy imports run (saves ~1 s before the first draft)."""
    if (spec or config.default_model()) == "local":
        from pipeline.local_server import prestart

        prestart()


def _ask_placeholders(text: str, placeholders: list) -> str:
    """When stdin and stdout are terminals, ask for each placeholder and fill it in."""
    if not placeholders or not (sys.stdin.isatty() and sys.stdout.isatty()):
        return text
    for p in placeholders:
        answer = typer.prompt(f"{p.question} (Enter to keep {p.token})", default="", show_default=False).strip()
        if answer:
            text = text.replace(p.token, answer)
    return text


@app.command()
def draft(
    summary: Annotated[str | None, typer.Argument(
        help="What went wrong, in a sentence or two ('-' or omit: stdin).")] = None,
    facts: Annotated[Path | None, typer.Option(
        "--facts", "-f",
        help="YAML facts: recipient, sender, impact, fix, deadline, prevention, make_good, channel, tone.")] = None,
    model: ModelOpt = None,
    judge_model: Annotated[str | None, typer.Option("--judge-model", help="Judge with a different model.")] = None,
    max_rounds: Annotated[int, typer.Option("--max-rounds", min=1, max=10, help="Most draft/revise rounds.")] = 3,
    variant: Annotated[str, typer.Option("--variant", help="Prompt variant (folder under prompts/).")] = "default",
    as_json: JsonOpt = False,
) -> None:
    """Draft an apology, critique it against the rubric, and revise it until it passes."""
    from pipeline.inputs import load_facts

    text = _read_arg_or_stdin(summary, "summary")
    fact_data = load_facts(facts)
    _prestart_if_local(model)
    from pipeline.loop import review
    from pipeline.render import print_first_draft, print_outcome, print_round

    if as_json:
        result = review(text, fact_data, model=model, judge_model=judge_model, max_rounds=max_rounds, variant=variant)
        out.print_json(json.dumps(result.model_dump(mode="json") | {"llm_calls": result.llm_calls}))
        return
    console = out if sys.stdout.isatty() else err  # rounds go to stderr when stdout is piped: keep it clean
    rounds: list = []
    with err.status("starting…") as status:
        def on_event(kind: str, payload: object) -> None:
            if kind == "status":
                status.update(str(payload) + "…")
            elif kind == "first_text":
                print_first_draft(console, str(payload))
            elif kind == "round":
                print_round(console, payload, rounds[-1] if rounds else None)  # type: ignore[arg-type]
                rounds.append(payload)

        result = review(text, fact_data, model=model, judge_model=judge_model, max_rounds=max_rounds,
                        variant=variant, on_event=on_event)
    print_outcome(console, result)
    final = _ask_placeholders(result.final_text, result.placeholders)
    if sys.stdout.isatty():
        out.rule("final apology")
    print(final)


@app.command()
def check(
    file: Annotated[str | None, typer.Argument(help="Message file, or '-' / omit for stdin.")] = None,
    model: ModelOpt = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Deterministic checks only; no LLM call.")] = False,
    as_json: JsonOpt = False,
) -> None:
    """Critique an existing message. Exit 0 when every required criterion passes, 1 when some fail."""
    import pipeline
    from pipeline.render import print_critique

    text = _read_arg_or_stdin(file, "message")
    with err.status("judging…"):
        crit = pipeline.critique(text, model=model, rules_only=rules_only)
    if as_json:
        out.print_json(crit.model_dump_json())
    else:
        print_critique(out, crit)
    raise typer.Exit(0 if crit.required_pass else 1)


@app.command()
def rubric(as_json: JsonOpt = False) -> None:
    """Print the rubric the critique uses."""
    from pipeline.render import print_rubric
    from pipeline.rubric import load_rubric

    r = load_rubric()
    if as_json:
        out.print_json(r.model_dump_json())
    else:
        print_rubric(out, r)


@app.command()
def serve(
    port: Annotated[int | None, typer.Option("--port", help="Port on 127.0.0.1 (default: a free one).")] = None,
) -> None:
    """Keep the embedded model and a warm, pre-imported amends running so repeated calls start instantly."""
    from pipeline.local_server import serve_forever

    serve_forever(port, on_ready=lambda url: err.print(f"embedded model serving at {url} — Ctrl-C to stop"))


@app.command()
def batch(
    input_path: Annotated[Path, typer.Argument(metavar="INPUT", help="JSONL file, CSV file with a header row, or a "
                                                                      "folder of .txt/.eml files.")],
    out_path: Annotated[Path, typer.Option("--out", "-o", help="Results JSONL; appended, so re-running resumes.")],
    model: ModelOpt = None,
    concurrency: Annotated[int | None, typer.Option("--concurrency", "-c", min=1, help="Judge calls in flight "
                                                    "(default: 1 for local, 8 for remote models).")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="Deterministic checks only; no LLM call.")] = False,
    text_field: Annotated[str, typer.Option("--text-field", help="JSONL field / CSV column of the message.")] = "text",
    id_field: Annotated[str, typer.Option("--id-field", help="Field / column of the id (else a content hash).")] = "id",
    timeout: Annotated[float | None, typer.Option("--timeout", min=1.0, help="Seconds per message, retries included "
                                                  "(default: 180; 600 for local).")] = None,
    variant: Annotated[str, typer.Option("--variant", help="Prompt variant (folder under prompts/).")] = "default",
) -> None:
    """Critique many past messages into a results file: concurrent, cached, resumable (re-run to resume)."""
    from pipeline.batch import BatchOptions, run_batch
    from pipeline.reports import batch_progress, print_batch_summary

    opts = BatchOptions(input=input_path, out=out_path, model=model, concurrency=concurrency, rules_only=rules_only,
                        text_field=text_field, id_field=id_field, timeout_s=timeout, variant=variant)
    with batch_progress(err) as progress:
        summary = run_batch(opts, progress=progress)
    print_batch_summary(out, summary)


@app.command()
def report(
    results: Annotated[Path, typer.Argument(help="Results JSONL written by `amends batch`.")],
    html: Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")] = None,
    csv_path: Annotated[Path | None, typer.Option("--csv", help="Write one CSV row per message here.")] = None,
    worst: Annotated[int, typer.Option("--worst", min=0, help="How many of the worst messages to show.")] = 10,
) -> None:
    """Summarise a batch results file: pass rate per criterion, score distribution, the worst messages."""
    from pipeline.reports import print_report, render_html, summarize, write_csv

    data = summarize(results, worst=worst)
    print_report(out, data, worst=worst)
    if html is not None:
        html.write_text(render_html(data, source=str(results)), encoding="utf-8")
        err.print(f"HTML report: {html}")
    if csv_path is not None:
        rows = write_csv(results, csv_path)
        err.print(f"CSV: {csv_path} ({rows:,} rows)")


eval_app = typer.Typer(help="Recorded evals: judge agreement with human labels; prompt variants side by side.",
                       no_args_is_help=True)
app.add_typer(eval_app, name="eval")
RecordOpt = Annotated[bool, typer.Option("--record", help="Call the model and rewrite the cassettes (default: "
                                                          "replay them, offline).")]
MissingOpt = Annotated[bool, typer.Option("--record-missing", help="Record only cases without a cassette (resume an "
                                                                  "interrupted --record); replay the rest.")]
BaselineOpt = Annotated[bool, typer.Option("--update-baseline", help="Accept these figures into evals/baseline.json.")]
HtmlOpt = Annotated[Path | None, typer.Option("--html", help="Write a self-contained HTML report here.")]
EvalJsonOpt = Annotated[Path | None, typer.Option("--json", help="Write the full results as JSON here.")]


def _eval_finish(result, html: Path | None, json_path: Path | None, update: bool) -> None:
    """Write the HTML/JSON outputs, then update the baseline or report regressions against it."""
    from pipeline.eval_baseline import incomparable, load_baseline, regressions, update_baseline
    from pipeline.eval_report import judge_html, pipeline_html

    if html is not None:
        html.write_text(judge_html(result) if result.kind == "judge" else pipeline_html(result), encoding="utf-8")
        err.print(f"HTML report: {html}")
    if json_path is not None:
        json_path.write_text(result.model_dump_json(indent=1), encoding="utf-8")
        err.print(f"JSON: {json_path}")
    if update:
        err.print(f"baseline updated: {update_baseline(result)}")
        return
    baseline = load_baseline()
    reason = incomparable(result, baseline)
    if reason:
        err.print(f"not compared with the baseline: {reason}")
    worse = regressions(result, baseline)
    for line in worse:
        err.print(f"[yellow]below baseline:[/] {line}", soft_wrap=True)


def _with_progress(label: str, run: Callable[[Callable[[int, int, str], None]], T]) -> T:
    """Call ``run(progress)`` under a transient rich progress bar on stderr; ``progress(done, total, label)``."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TextColumn("{task.description}"), console=err, transient=True) as bar:
        task = bar.add_task("", total=None)
        return run(lambda d, n, lab: bar.update(task, completed=d, total=n, description=lab))


@eval_app.command("judge")
def eval_judge(
    model: Annotated[str, typer.Option("--model", "-m", help="Judge model spec (cassettes are per model).")] = "local",
    variant: Annotated[str, typer.Option("--variant", help="Prompt variant whose critique prompt judges.")] = "default",
    split: Annotated[str, typer.Option("--split", help="dev, test or all.")] = "all",
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N messages of the split.")] = None,
    rules_only: Annotated[bool, typer.Option("--rules-only", help="The deterministic checks alone: no model, no "
                                                                  "cassettes.")] = False,
    record: RecordOpt = False,
    record_missing: MissingOpt = False,
    calibrate: Annotated[bool, typer.Option("--calibrate", help="Save the judge's per-criterion κ on the dev split; "
                                            "the merge then counts its verdict only where κ ≥ 0.4.")] = False,
    update_baseline: BaselineOpt = False,
    html: HtmlOpt = None,
    json_path: EvalJsonOpt = None,
) -> None:
    """Critique the labelled messages; accuracy, Cohen's κ, false passes/fails for rules, LLM and merged."""
    from pipeline.eval_report import print_judge
    from pipeline.eval_run import calibrate_judge, run_judge_eval

    if split not in ("dev", "test", "all"):
        raise typer.BadParameter("use dev, test or all", param_hint="--split")
    result = _with_progress("judging", lambda progress: run_judge_eval(
        model=None if rules_only else model, variant=variant, split=split, limit=limit,
        record=record or record_missing, only_missing=record_missing, progress=progress))
    if calibrate:
        err.print(f"judge calibration written to {calibrate_judge(result)}; merged figures below use it")
        result = _with_progress("judging", lambda progress: run_judge_eval(
            model=None if rules_only else model, variant=variant, split=split, limit=limit, progress=progress))
    print_judge(out, result)
    _eval_finish(result, html, json_path, update_baseline)


@eval_app.command("pipeline")
def eval_pipeline(
    variant: Annotated[list[str] | None, typer.Option("--variant", help="Prompt variant; repeat to compare "
                                                                         "(default: every variant).")] = None,
    model: Annotated[str, typer.Option("--model", "-m", help="Model spec (cassettes are per model).")] = "local",
    repeats: Annotated[int, typer.Option("--repeats", min=1, help="Runs per scenario: mean ± standard error.")] = 1,
    limit: Annotated[int | None, typer.Option("--limit", min=1, help="Only the first N scenarios.")] = None,
    record: RecordOpt = False,
    record_missing: MissingOpt = False,
    update_baseline: BaselineOpt = False,
    html: HtmlOpt = None,
    json_path: EvalJsonOpt = None,
) -> None:
    """Draft → critique → revise over the scenarios for each prompt variant, compared side by side."""
    from pipeline.eval_report import print_pipeline
    from pipeline.eval_run import run_pipeline_eval
    from pipeline.prompts import list_variants

    result = _with_progress("reviewing", lambda progress: run_pipeline_eval(
        variants=variant or list_variants(), model=model, repeats=repeats, limit=limit,
        record=record or record_missing, only_missing=record_missing, progress=progress))
    print_pipeline(out, result)
    _eval_finish(result, html, json_path, update_baseline)


def _exit(code: int) -> None:
    """Leave the process: flush output, run the atexit handlers (they stop the embedded server), then skip
    the interpreter's module teardown, which costs ~0.3-0.4 s after importing langchain (see docs/performance.md)."""
    import atexit
    import os

    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(Exception):
            stream.flush()
    atexit._run_exitfuncs()
    os._exit(code)


def main(delegate_to_warm: bool = True) -> None:
    """Console-script entry point: run the app, turning AmendsError into one clean line (AMENDS_DEBUG=1: traceback).

    While `amends serve` runs, draft/check/rubric/report are handed to its warm, pre-imported process
    (``pipeline.warm``), which saves the ~1.2 s of imports before the first model request.
    """
    from pipeline.warm import delegate

    if delegate_to_warm:  # False in the warm child itself
        code = delegate(sys.argv[1:])
        if code is not None:
            _exit(code)
    try:
        code = app(standalone_mode=False)  # click returns typer.Exit's code instead of raising here
        _exit(code if isinstance(code, int) else 0)
    except AmendsError as exc:
        if config.debug():
            raise
        err.print(f"[red]error:[/] {exc.one_line()}", soft_wrap=True)
        _exit(exc.exit_code)
    except typer.Exit as exc:
        _exit(exc.exit_code)
    except typer.Abort:
        err.print("aborted")
        _exit(130)
    except KeyboardInterrupt:
        err.print("interrupted")
        _exit(130)
    except Exception as exc:
        # Usage errors arrive as click's ClickException in standalone_mode=False; typer >= 0.29 bundles its own
        # click (typer._click), so match the interface rather than a class.
        if callable(getattr(exc, "show", None)) and isinstance(getattr(exc, "exit_code", None), int):
            exc.show()  # type: ignore[attr-defined]
            _exit(exc.exit_code)  # type: ignore[attr-defined]
        if config.debug():
            raise
        from pipeline.models import redact

        err.print(f"[red]internal error:[/] {type(exc).__name__}: {redact(str(exc))[:300]} — "
                  "set AMENDS_DEBUG=1 for the traceback and please report it", soft_wrap=True)
        _exit(3)


if __name__ == "__main__":
    main()
