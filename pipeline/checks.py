"""Deterministic rubric checks: one fast, explainable finding per criterion.

``run_rules`` returns a :class:`RuleFinding` for every criterion id. A ``fail`` carries the offending span as
evidence, or (an *absence* fail: nothing of the kind was found) no evidence and a ``fix`` that says what is
missing. Negative criteria (no_blame, no_excuses, proportionate, calm_courteous) pass weakly when no violation
is seen; positive criteria pass strongly only on positive evidence and are ``unknown`` when the rules see
something they cannot judge. Text inside [bracketed placeholders] and sentences that try to instruct the judge
(see ``detect_injection``) are masked out first, so neither can change a result.

Patterns are written from the rubric and general usage, compiled once, and run on a lower-cased copy of the text
of the same length, so every match offset is an offset into the caller's text. They live by concept in
``patterns_apology`` (apology, admission), ``patterns_tone`` (blame, excuses, tone, injections), ``patterns_repair``
(fix, timeline, prevention) and ``patterns_offer`` (make-good, forgiveness, contact); ``rule_context.Ctx`` prepares a
message. Speed: each pattern is registered with key words (``textspan.gate``) and searched only in sentences that
contain one, which skips most of the ~50 patterns on a typical message, and each search is done once per message
(detectors share results). Target 10,000 messages/s on one core; ``bench/bench_rules.py`` measures it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import patterns_apology as ap
from . import patterns_offer as po
from . import patterns_repair as pr
from . import patterns_tone as pt
from . import textspan as ts
from .rubric import CRITERIA_IDS
from .rule_context import CLAUSE_END, Ctx
from .schema import Evidence, RuleFinding
from .textspan import rx
from .textspan import split_sentences as split_sentences  # re-exported: tests and callers import it from here

MAX_EVIDENCE = 3


_rx = rx

# --- the detectors ---------------------------------------------------------------------------------------------
_NOT_MEASURE_BEFORE = _rx(r"didn't", r"did\s+not", r"should(?:\s+have|'ve)", r"forgot\s+to", r"failed\s+to", r"without",
                          r"neglected\s+to", r"skipped", r"instead\s+of")
_YOU_BEFORE = re.compile(r"\byou(?:'ve|\s+have|\s+had|'d)?\s+$")


_CAPS2 = re.compile(r"[A-Z][A-Z]")
_BETTER = re.compile(pr.BETTER)


def _pass(cid: str, strong: bool, *evidence: Evidence) -> RuleFinding:
    return RuleFinding(criterion=cid, verdict="pass", strong=strong, evidence=list(evidence))


def _fail(cid: str, fix: str, *evidence: Evidence) -> RuleFinding:
    return RuleFinding(criterion=cid, verdict="fail", evidence=list(evidence[:MAX_EVIDENCE]), fix=fix)


def _unknown(cid: str, *evidence: Evidence) -> RuleFinding:
    return RuleFinding(criterion=cid, verdict="unknown", evidence=list(evidence))


def _placeholder(cid: str, c: Ctx, kind: str) -> RuleFinding:
    return _pass(cid, False, c.ev(*c.holes[kind], "placeholder", "placeholder to fill in"))


def _clear_apology(c: Ctx) -> RuleFinding:
    cid, low, real, generic = "clear_apology", c.low, [], []
    for m in c.apologies:
        cond = ap.CONDITIONAL.match(low, m.end())
        if cond:
            s, e = c.clause(m.start(), cond.end())
            return _fail(cid, f"Replace '{c.text[s:e]}' with an unconditional 'I am sorry that I ...' naming what you "
            f"did.",
                         c.ev(s, e, "conditional_apology", "conditional or feelings-focused apology"))
        gen = ap.GENERIC.match(low, m.end())
        if gen:
            generic.append((m.start(), gen.end()))
        else:
            real.append(m)
    if real:
        return _pass(cid, True, c.ev(*real[0].span(), "apology", "plain, unconditional apology"))
    generic += [m.span() for m in c.find_all(ap.DISTANCED)]
    if generic:
        s, e = c.clause(*min(generic))
        return _fail(cid, f"Replace '{c.text[s:e]}' with a plain 'I am sorry for ...' that names the mistake.",
                     c.ev(s, e, "non_apology", "generic or distanced apology"))
    regret = c.find(ap.REGRET)
    if regret:
        return _unknown(cid, c.ev(*c.clause(*regret.span()), "regret", "expresses regret but no plain apology"))
    return _fail(cid, "No apology found: add one plain sentence, e.g. 'I am sorry for ...'.")


def _proportionate(c: Ctx) -> RuleFinding:
    cid = "proportionate"
    grovel = c.find(ap.GROVEL)
    if grovel:
        return _fail(cid, f"Remove '{grovel.group()}': apologise once, then move on to the fix.",
                     c.ev(*grovel.span(), "self_abasement", "grovelling or self-abasement"))
    spans = [m.span() for m in c.apologies] + [m.span() for m in c.find_all(ap.FORGIVE_ME)]
    if len(spans) > 3:
        spans.sort()
        return _fail(cid, f"Apologise once or twice, not {len(spans)} times; then move on to the fix.",
                     *(c.ev(s, e, "apology_count", f"apology {i + 4} of {len(spans)}")
                       for i, (s, e) in enumerate(spans[3:])))
    return _pass(cid, False)


def _owns_mistake(c: Ctx) -> RuleFinding:
    cid, low = "owns_mistake", c.low
    for m in c.find_all(ap.ADMIT):
        if not ap.NOT_ADMIT_BEFORE.search(low, max(0, m.start() - 30), m.start()):
            return _pass(cid, True, c.ev(*m.span(), "first_person_admission", "first-person, active admission"))
    candidates = []
    for m in ap.FP_PAST.finditer(low):
        if ap.NOT_ADMIT_BEFORE.search(low, max(0, m.start() - 30), m.start()):
            continue
        end = c.sents.at(m.start())[1]
        if m.group(1) in ap.NOT_MISTAKE_VERBS:
            stop = CLAUSE_END.search(low, m.end(), end)
            if m.group(1) in ap.NEUTRAL_VERBS and ap.STRONG_CUE.search(low, m.end(), stop.start() if stop else end):
                return _pass(cid, True, c.ev(*c.sentence_tail(m.start()), "first_person_admission",
                                             "first-person, active account of what went wrong"))
            continue
        if ap.CUE.search(low, m.end(), end):
            return _pass(cid, True, c.ev(*c.sentence_tail(m.start()), "first_person_admission",
                                         "first-person, active account of what went wrong"))
        candidates.append(m)
    passive = c.find(ap.PASSIVE)
    if passive:
        return _fail(cid, f"Replace '{passive.group()}' with a first-person, active admission ('I sent ...', 'I missed "
        f"...').",
                     c.ev(*passive.span(), "passive_evasion", "passive or impersonal wording hides who did it"))
    if candidates:
        return _unknown(cid, c.ev(*c.sentence_tail(candidates[0].start()), "first_person_statement",
                                  "first-person statement; rules cannot tell if it names the mistake"))
    return _fail(cid, "No first-person admission found: say plainly what you did wrong, e.g. 'I sent you the wrong "
    "file.'")


_NEGATED = re.compile(r"\b(?:not|no|wasn't|isn't|never)\s+(?:a\s+|an\s+|the\s+|our\s+|my\s+|any\s+)?$")


def _unnegated(found: list[re.Match[str]], text: str) -> re.Match[str] | None:
    """The first match not directly negated ("not a system problem" is not blame)."""
    for m in found:
        if not _NEGATED.search(text, max(0, m.start() - 14), m.start()):
            return m
    return None


def _negative(cid: str, c: Ctx, found: re.Match[str] | None, detector: str, note: str, advice: str) -> RuleFinding:
    if found is None:
        return _pass(cid, False)
    return _fail(cid, f"Remove '{found.group()}': {advice}", c.ev(*found.span(), detector, note))


def _no_blame(c: Ctx) -> RuleFinding:
    found = _unnegated(c.find_all(pt.BLAME), c.low) or _unnegated(c.find_all(pt.BLAME_OTHER), c.low)
    if found is None and "IT" in c.cased:
        found = _unnegated(list(pt.BLAME_IT.finditer(c.cased)), c.low)
    return _negative("no_blame", c, found, "blame_shift", "shifts fault onto someone or something else",
                     "take the fault yourself, even if others played a part.")


def _no_excuses(c: Ctx) -> RuleFinding:
    return _negative("no_excuses", c, _unnegated(c.find_all(pt.EXCUSE), c.low), "excuse", "minimises or deflects the "
    "mistake",
                     "state the cause plainly without playing the mistake down.")


def _calm_courteous(c: Ctx) -> RuleFinding:
    found = c.find(pt.RUDE) or (pt.RUDE_MARKS.search(c.low) if "!" in c.low or not c.low.isascii() else None)
    if found is None:
        found = next((m for m in (pt.SHOUT.finditer(c.cased) if _CAPS2.search(c.cased) else ())
                      if sum(len(w) for w in m.group().split()) >= 6
                      and not all(w in ts.ACRONYMS for w in m.group().split())), None)
    return _negative("calm_courteous", c, found, "tone", "flippant, slangy, hostile or shouting",
                     "keep a calm, polite register.")


def _concrete_fix(c: Ctx) -> RuleFinding:
    cid = "concrete_fix"
    m = c.first(pr.FIX_DONE_PARTS) or c.find(pr.FIX_WILL) or c.find(pr.FIX_NOUN)
    if m:
        return _pass(cid, True, c.ev(*c.clause(*m.span()), "concrete_fix", "names a concrete repair"))
    weak = c.find_all(pr.FIX_WEAK)
    better = next((w for w in weak if _BETTER.search(w.group())), None)
    if better:
        return _pass(cid, True, c.ev(*better.span(), "concrete_fix", "sends or delivers the corrected item"))
    if "fix" in c.holes:
        return _placeholder(cid, c, "fix")
    for w in weak:
        s, e = c.sents.at(w.start())
        if not pr.WEAK_NOT_FIX.search(c.low, s, e) and not pr.VAGUE_FIX.search(c.low, s, e) \
                and not pr.NOT_REPAIR_SENTENCE.search(c.low, s, e):
            return _pass(cid, True, c.ev(*w.span(), "concrete_fix", "sends, delivers or arranges the repair"))
    action = _repair_action(c)
    if action:
        return _pass(cid, True, c.ev(*c.clause(*action), "repair_action", "an action taken to put it right"))
    vague = c.find(pr.VAGUE_FIX)
    if vague:
        return _fail(cid, f"Replace '{vague.group()}' with what you are doing or have done, e.g. 'I have re-sent the "
                     "corrected invoice.'", c.ev(*vague.span(), "vague_fix", "vague promise, no concrete action"))
    if weak:
        return _unknown(cid, c.ev(*weak[0].span(), "possible_fix", "an action, but not clearly the repair"))
    return _fail(cid, "No fix found: say what you have done or will do to put it right.")


def _repair_action(c: Ctx) -> tuple[int, int] | None:
    """Span of a general repair action ("I have filed a corrected return", "the printer is reprinting …"), or None.

    The listed repair verbs miss most plain repairs; this accepts any first-person perfect, progressive or future
    action verb with an object, except verbs that report, feel, investigate or commit the mistake, and except in
    sentences that describe the mistake, a standing rule or a condition.
    """
    low = c.low
    for s, e in c.bounds:
        if pr.NOT_REPAIR_SENTENCE.search(low, s, e) or pr.VAGUE_FIX.search(low, s, e):
            continue
        way = pr.REPAIR_STATE.search(low, s, e)
        if way:
            return way.span()
        found = _repair_action_in(c, s, e)
        if found:
            return found
    return None


def _repair_action_in(c: Ctx, s: int, e: int) -> tuple[int, int] | None:
    """The first repair-like action verb (with an object) in ``low[s:e]``, as a span, or None."""
    low = c.low
    for m in pr.REPAIR_SUBJECT.finditer(low, s, e):
        if pr.CONDITION.search(low, s, m.start()):
            continue
        for v in [m, *pr.AND_VERB.finditer(low, m.end(), e)]:
            verb = v.group("verb")
            after = low[v.end("verb"):e].split()
            if verb == "have" and m.group("fut") and after and after[0] in ("the", "your", "it", "them", "all"):
                return m.start(), v.end("verb")  # "I will have the site on staging for you"
            if verb in pr.NOT_REPAIR or (after and after[0] == "to"):
                continue
            if v is m and m.group("perf") and not verb.endswith(("ed", "en")) and verb not in pr.IRREGULAR_DONE:
                continue  # "we have a …": not a perfect tense
            if len(after) >= 2:  # an object: "filed a corrected return"
                return m.start(), v.end("verb")
    return None


def _forward(c: Ctx, m: re.Match[str]) -> bool:
    phrase, low = m.group(), c.low
    if phrase in ts.MONTHS or low.startswith("'s", m.end()):
        return False  # a bare month name ("December is busy") or an event ("Tuesday's visit") is not a deadline
    if phrase.startswith(("tomorrow", "tonight", "next", "within", "in the next", "over the next", "later", "this aft",
                          "this even", "end of", "the end", "first thing", "eod", "cob", "close of", "by", "before")):
        return True
    if _FWD_BEFORE.search(low, max(0, m.start() - 30), m.start()):
        return True
    s, e = c.sents.at(m.start())
    return pr.FUTURE.search(low, s, e) is not None


_FWD_BEFORE = pr.FWD_BEFORE


def _timeline(c: Ctx) -> RuleFinding:
    cid, low = "timeline", c.low
    done = c.first(pr.FIX_DONE_PARTS) or c.find(pr.DONE)
    if done:
        return _pass(cid, True, c.ev(*done.span(), "completed", "says the fix is already done"))
    for m in c.find_all(pr.ALREADY):
        if not _YOU_BEFORE.search(low, max(0, m.start() - 12), m.start()):
            return _pass(cid, True, c.ev(*c.clause(*m.span(), cap=40), "completed", "says it is already done"))
    seen = None
    for pattern in (ts.DATE_RE, ts.TIME_RE, ts.RELTIME_RE, ts.MONTH_PREP):
        for m in c.find_all(pattern):
            if _forward(c, m):
                return _pass(cid, True, c.ev(*m.span(), "date_time", "says when the fix will be done"))
            seen = seen or m
    if "date" in c.holes:
        return _placeholder(cid, c, "date")
    vague = c.find(pr.VAGUE_TIME)
    if vague:
        return _fail(cid, f"Replace '{vague.group()}' with when it will be done (a day or time), or say it is done.",
                     c.ev(*vague.span(), "vague_time", "no date or time, only a vague promise"))
    now = c.find(pr.NOW_TIME) or seen
    if now:
        return _unknown(cid, c.ev(*now.span(), "time_mention", "a time word, but not clearly when the fix is done"))
    return _fail(cid, "No timeline found: say when the fix will be done (a day or time), or that it already is.")


def _prevention(c: Ctx) -> RuleFinding:
    cid, low = "prevention", c.low
    for m in c.find_all(pr.MEASURE):
        s = c.sents.at(m.start())[0]
        if not _NOT_MEASURE_BEFORE.search(low, s, m.start()):
            return _pass(cid, True, c.ev(*m.span(), "safeguard", "names a concrete safeguard"))
    for m in c.find_all(pr.NOW_RULE):
        s, e = c.sents.at(m.start())
        if pr.RULE_SCOPE.search(low, s, e) and not _NOT_MEASURE_BEFORE.search(low, s, m.start()) \
                and not pr.FIX_DONE.search(low, m.start(), m.end()):
            return _pass(cid, True, c.ev(*c.sentence_tail(m.start()), "standing_rule", "names a rule that now applies"))
    setting = c.find(pr.SETTING_OR_TRAINING)
    if setting:
        return _pass(cid, True, c.ev(*c.sentence_tail(setting.start()), "safeguard", "changes a setting or trains"))
    for m in c.find_all(pr.MAY_RECUR):
        s, e = c.sents.at(m.start())
        if _repair_action_in(c, m.end(), e):
            return _pass(cid, True, c.ev(s, e, "warning_and_safeguard", "honest warning plus a safeguard"))
    for pattern in (pr.FORWARD, pr.PURPOSE):
        for m in c.find_all(pattern):
            s, e = c.sents.at(m.start())
            acts = pattern is pr.FORWARD or pr.ACTION.search(low, s, e) is not None
            if acts and not pr.VAGUE_PREVENT.search(low, s, e) and not pr.EMPTY_PREVENT.search(low, s, e):
                return _pass(cid, True, c.ev(*c.sentence_tail(m.start()), "prevention_step", "says what changes"))
    if "prevention" in c.holes:
        return _placeholder(cid, c, "prevention")
    empty = c.find(pr.EMPTY_PREVENT)
    if empty:
        return _fail(cid, f"Back up '{empty.group()}' with the step that stops it recurring (a check, a reminder, a "
                     "second reviewer).", c.ev(*empty.span(), "empty_promise", "a promise with no measure"))
    soft = c.find(pr.SOFT_MEASURE)
    if soft and pr.FUTURE.search(low, *c.sents.at(soft.start())):
        return _unknown(cid, c.ev(*c.sentence_tail(c.sents.at(soft.start())[0]), "possible_measure",
                                  "mentions a process, not clearly a safeguard"))
    return _fail(cid, "No prevention found: name the step that stops this happening again.")


def _present(cid: str, pattern: re.Pattern[str], detector: str, note: str,
             advice: str) -> Callable[[Ctx], RuleFinding]:
    def check(c: Ctx) -> RuleFinding:
        m = c.find(pattern)
        if m:
            return _pass(cid, True, c.ev(*m.span(), detector, note))
        return _fail(cid, advice)
    return check


def _make_good(c: Ctx) -> RuleFinding:
    cid, low = "make_good", c.low
    on_us = [m for m in c.find_all(po.ON_US) if not po.ON_US_NOT_AFTER.search(low, max(0, m.start() - 8), m.start())]
    for m in sorted(c.find_all(po.MAKE_GOOD) + on_us, key=lambda m: m.start()):
        word = m.group()
        if word.startswith(("at no", "no ", "free")) and po.FIX_AT_NO_COST.search(low, c.sents.at(m.start())[0],
                                                                                 m.start()):
            continue  # "we will reprint them at no cost": the repair itself, not something extra
        return _pass(cid, True, c.ev(*m.span(), "make_good", "offers something beyond the fix"))
    return _fail(cid, "Optionally offer something beyond the fix (a credit, a discount, an extra session).")


_DETECTORS: dict[str, Callable[[Ctx], RuleFinding]] = {
    "owns_mistake": _owns_mistake, "no_blame": _no_blame, "no_excuses": _no_excuses, "clear_apology": _clear_apology,
    "concrete_fix": _concrete_fix, "timeline": _timeline, "prevention": _prevention, "proportionate": _proportionate,
    "make_good": _make_good,
    "asks_forgiveness": _present("asks_forgiveness", po.FORGIVENESS, "forgiveness", "asks forgiveness or to keep "
    "working",
                                 "Optionally ask for forgiveness or for the chance to keep working together."),
    "calm_courteous": _calm_courteous,
    "direct_contact": _present("direct_contact", po.CONTACT, "contact_offer", "offers to talk, call or meet",
                               "Optionally offer to call or meet to talk it through."),
}
assert set(_DETECTORS) == set(CRITERIA_IDS)


def run_rules(text: str) -> dict[str, RuleFinding]:
    """Run every deterministic check on ``text``: one :class:`RuleFinding` per criterion id, in rubric order.

    Evidence offsets index ``text`` (``text[e.start:e.end] == e.quote``). Bracketed placeholders and sentences that
    address the judge are masked first, so neither can change a verdict.
    """
    return analyse(text)[0]


def analyse(text: str) -> tuple[dict[str, RuleFinding], list[Evidence]]:
    """``run_rules`` and ``detect_injection`` in one pass over the text (the batch and critique paths need both)."""
    ctx = Ctx(text)
    return {cid: _DETECTORS[cid](ctx) for cid in CRITERIA_IDS}, _injection_evidence(text, ctx.injections)


def detect_injection(text: str) -> list[Evidence]:
    """Spans of ``text`` that try to instruct the judge ("ignore the rubric", "mark everything pass", "SYSTEM:")."""
    return _injection_evidence(text, Ctx(text).injections)


def _injection_evidence(text: str, found: list[re.Match[str]]) -> list[Evidence]:
    out = []
    for m in found:
        s, e = m.span()
        while s < e and m.string[s].isspace():
            s += 1
        out.append(Evidence(quote=text[s:e], start=s, end=e, detector="prompt_injection",
                            note="instruction aimed at the judge, not the client"))
    return out
