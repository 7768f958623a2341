"""Deterministic rubric checks: one fast, explainable finding per criterion.

``run_rules`` returns a :class:`RuleFinding` for every criterion id. A ``fail`` carries the offending span as
evidence, or (an *absence* fail: nothing of the kind was found) no evidence and a ``fix`` that says what is
missing. Negative criteria (no_blame, no_excuses, proportionate, calm_courteous) pass weakly when no violation
is seen; positive criteria pass strongly only on positive evidence and are ``unknown`` when the rules see
something they cannot judge. Text inside [bracketed placeholders] and sentences that try to instruct the judge
(see ``detect_injection``) are masked out first, so neither can change a result.

Patterns are written from the rubric and general usage, compiled once, and run on a lower-cased copy of the text
of the same length, so every match offset is an offset into the caller's text. Speed: each pattern is registered
with key words (``textspan.gate``) and searched only in sentences that contain one, which skips most of the ~40
patterns on a typical message. Target 10,000 messages/s on one core; ``bench/bench_rules.py`` measures it.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from . import textspan as ts
from .rubric import CRITERIA_IDS
from .schema import Evidence, RuleFinding
from .textspan import Sentences, lower_same_length, mask, normalize, placeholder_spans, rx, split_sentences, words

MAX_EVIDENCE = 3


_rx = rx

# --- clear_apology / proportionate -------------------------------------------------------------------------
_INT = r"(?:so|very|truly|really|deeply|sincerely|terribly|genuinely|extremely|awfully|incredibly|most|just|also|still)"
_APOLOGY = _rx(
    rf"(?:i|we)(?:'m|'re|\s+am|\s+are|\s+was|\s+were)\s+(?:{_INT}[\s,]+)*sorry",
    r"(?:i|we)(?:'d|'ll)?(?:\s+(?:do|would|must|sincerely|truly|deeply|unreservedly|wholeheartedly|humbly|also|again"
    r"|really|genuinely|fully|want\s+to|wish\s+to|like\s+to|need\s+to|have\s+to))*\s+apologi[sz]e",
    r"(?:my|our)\s+(?:(?:sincere|sincerest|deepest|heartfelt|genuine|humble|honest|unreserved|profound|full|deep)\s+)*"
    r"apolog(?:y|ies)",
    r"please\s+accept\s+(?:my|our|this)\s+(?:\w+\s+)?apolog(?:y|ies)", r"sorry", r"apologies", r"apologi[sz]e")
_FEEL = (r"(?:upset|unhappy|disappointed|offended|frustrated|annoyed|angry|confused|bothered|dissatisfied|"
         r"inconvenienced|displeased|hurt|not\s+happy)")
_CONDITIONAL = re.compile(
    r"\s*,?\s*(?:(?:for\s+)?(?:if|in\s+case|should|whether)\b"
    r"|(?:that\s+|to\s+hear\s+(?:that\s+)?)?you(?:'ve|\s+have|\s+had|\s+may|\s+might|\s+must)?(?:\s+have)?"
    rf"(?:\s+been)?\s+(?:feel|felt|think|thought|found|find|see|saw|perceived?|took|view(?:ed)?|consider(?:ed)?"
    rf"|believed?|may|might|feeling|{_FEEL})\b"
    rf"|(?:that\s+)?you(?:'re|\s+are|\s+were|\s+got)\s+(?:so\s+|very\s+|a\s+bit\s+|feeling\s+)?{_FEEL}\b"
    r"|(?:that\s+)?(?:this|it|that)\s+(?:may|might|could)\s+have\b)")
_NOUNS = (r"(?:inconvenience|confusion|trouble|frustration|issues?|problems?|misunderstanding|disruption|hassle"
          r"|difficult(?:y|ies)|discomfort|concerns?|upset|distress)")
_GENERIC = re.compile(rf"\s*,?\s*(?:for|about)\s+(?:(?:any|whatever)\s+(?:\w+\s+){{0,2}}?{_NOUNS}"
                      r"|(?:the|this|all\s+the)\s+(?:\w+\s+)?(?:inconvenience|confusion)(?!\s+(?:i|we)\b))\b")
_DISTANCED = _rx(
    rf"regrets?\s+(?:any|all|the)\s+(?:\w+\s+)?{_NOUNS}", r"(?:it\s+is|it's|this\s+is)\s+(?:most\s+"
    r"|very\s+)?regrettable",
    r"apologies\s+(?:are|were|have\s+been)\s+(?:made|offered|extended|issued)", r"an\s+apology\s+is\s+(?:owed|due)",
    r"(?:the|our)\s+(?:company|firm|team|management|business|agency|store|studio|shop|organi[sz]ation|department"
    r"|practice|office|staff)\s+(?:sincerely\s+|deeply\s+|would\s+like\s+to\s+|wishes\s+to\s+)?(?:regrets|apologi[sz]es"
    r"|is\s+sorry)")
_REGRET = _rx(r"(?:i|we)\s+(?:\w+ly\s+)?regret")
_FORGIVE_ME = _rx(r"forgive\s+(?:me|us)", r"pardon\s+(?:me|us)")
_GROVEL = _rx(
    r"i(?:'m|\s+am)\s+(?:such\s+an?\s+|an?\s+|the\s+|so\s+|completely\s+|utterly\s+|totally\s+|absolutely\s+)?"
    r"(?:complete\s+|total\s+|absolute\s+|utter\s+)?(?:idiot|moron|fool|useless|hopeless|incompetent|terrible|awful"
    r"|(?:the\s+)?worst|stupid|pathetic|an\s+embarrassment|(?:a\s+)?failure|disaster|ashamed|mortified|devastated"
    r"|beyond\s+embarrassed|gutted)",
    r"i\s+(?:hate|despise)\s+myself", r"(?:can't|cannot|will\s+never|could\s+never|won't\s+ever)\s+forgive\s+myself",
    r"i\s+feel\s+(?:so\s+|really\s+|absolutely\s+|just\s+)?(?:awful|terrible|horrible|sick|dreadful|wretched|ashamed"
    r"|like\s+an?\s+(?:idiot|fool|failure))",
    r"(so|very|truly|really|deeply|terribly)[\s,]+\1", r"sorry[\s,!.]+(?:so\s+|truly\s+|really\s+|very\s+)+sorry",
    r"beg(?:ging)?\s+(?:you|for|your\s+forgiveness)", r"grovel\w*", r"on\s+my\s+knees", r"(?:i|we)\s+don't\s+deserve",
    r"unforgivable", r"words\s+(?:cannot|can't)\s+express")

# --- owns_mistake -------------------------------------------------------------------------------------------
_SUBJ = r"(?:i|we)(?:'ve|'d|\s+have|\s+had)?"
_ADV = (r"(?:(?:completely|totally|simply|just|clearly|also|then|accidentally|mistakenly|wrongly|carelessly"
        r"|inadvertently|somehow|actually|really|stupidly|badly)\s+)?")
_ADMIT = _rx(
    r"(?:it|that|this)(?:'s|\s+is|\s+was)\s+(?:entirely\s+|completely\s+|all\s+|fully\s+|totally\s+|squarely\s+)?"
    r"(?:(?:my|our)\s+(?:own\s+)?(?:mistake|error|fault|oversight|doing|responsibility|blunder|slip)|on\s+(?:me|us))",
    r"the\s+(?:mistake|error|fault|blame|responsibility)\s+(?:is|was|lies|rests)\s+(?:entirely\s+|all\s+)?"
    r"(?:mine|ours|with\s+(?:me|us)|on\s+(?:me|us))",
    r"my\s+(?:own\s+)?(?:mistake|error|fault|oversight|blunder|mix-?up|slip-?up|bad)",
    r"(?:i|we)\s+(?:take|accept|own)\s+(?:full\s+|complete\s+|total\s+|sole\s+)?(?:responsibility|the\s+blame"
    r"|ownership|accountability|(?:this|that|the|my|our)\s+(?:mistake|error))",
    rf"{_SUBJ}\s+{_ADV}(?:made|make)\s+(?:a|an|the|this|that|two|several|some|another|one)\s+(?:\w+\s+)?"
    r"(?:mistake|error|blunder|oversight|slip|miscalculation|mess|typo)",
    r"(?:i|we)\s+(?:was|were)\s+(?:wrong|at\s+fault|careless|responsible|to\s+blame|mistaken|late|sloppy)",
    rf"{_SUBJ}\s+{_ADV}(?:forgot|forgotten|missed|overlooked|neglected|failed\s+to|misread|misunderstood|misjudged"
    r"|miscalculated|misspel(?:led|t)|mislabell?ed|misplaced|misfiled|misquoted|misaddressed|mistyped|mixed\s+up"
    r"|messed\s+up|screwed\s+up|slipped\s+up|dropped\s+the\s+ball|got\s+(?:\w+\s+){0,3}?wrong|double-?(?:booked"
    r"|charged|billed|counted|sent|paid)|overcharged|undercharged|over-?billed|lost|deleted|broke|omitted"
    r"|left\s+(?:out|off)|let\s+you\s+down|should(?:\s+have|'ve)|did\s+not|didn't|never)"
    r"(?!\s+(?:receive|get|got|hear|heard|have|had|mean|meant|intend)\b)",
    rf"{_SUBJ}\s+(?:accidentally|mistakenly|wrongly|incorrectly|inadvertently|carelessly|erroneously)\s+\w+")
_NOT_ADMIT_BEFORE = re.compile(r"(?:\b(?:if|whether|unless)\s+(?:\w+\s+)?|(?:don't|do\s+not|didn't)\s+(?:think|believe)"
                               r"\s+(?:that\s+)?)$")
_FP_PAST = re.compile(r"\b(?:i|we)(?:'ve|\s+have|\s+had|'d)?\s+(?:(?:\w+ly|also|then|just|already)\s+)?"
                      r"(\w+ed|sent|made|gave|took|put|left|wrote|told|let|ran|brought|got|set|paid|built|kept|cut"
                      r"|spent|sold|did|hit|shown|given|taken|written|done)\b")
_NOT_MISTAKE_VERBS = words("refunded corrected resent replaced rebooked credited fixed restored reissued reversed "
"cancelled canceled "
    "updated added issued attached included arranged introduced asked hoped wanted noticed realised realized "
    "called emailed contacted informed looked reviewed learned apologised apologized confirmed received heard "
    "tried started decided discussed talked needed wished appreciated valued enjoyed worked planned expected "
    "implemented processed removed amended rectified redone rewritten rebuilt dispatched scheduled rescheduled "
    "booked")
_CUE = _rx(r"wrong(?:ly)?", r"incorrect\w*", r"twice", r"double\w*", r"duplicate\w*", r"instead\s+of", r"by\s+mistake",
           r"in\s+error", r"by\s+accident", r"accidentally", r"mistaken\w*", r"outdated", r"out\s+of\s+date",
           r"last\s+(?:year|month|week)'s", r"previous", r"old", r"late", r"too\s+(?:early|late|soon)",
           r"without\s+\w+", r"before\s+(?:checking|confirming|testing|reading|proofreading|you)", r"missing",
           r"error", r"mistake", r"typo", r"rather\s+than", r"not\s+the", r"no\s+longer", r"expired", r"broken",
           r"faulty", r"damaged", r"incomplete", r"overdue")
_PASSIVE = _rx(
    r"(?:mistakes?|errors?)\s+(?:were|was|have\s+been|had\s+been)\s+(?:made|introduced)",
    r"(?:an?|the|some)\s+(?:\w+\s+)?(?:error|mistake|issue|problem|glitch|mix-?up|oversight|discrepancy)\s+"
    r"(?:has\s+)?(?:occurred|occured|arose|arisen|happened|crept\s+in|was\s+(?:made|identified|found|introduced))",
    r"there\s+(?:was|were|has\s+been|have\s+been|had\s+been|seems\s+to\s+have\s+been|appears\s+to\s+have\s+been)\s+"
    r"(?:an?\s+|some\s+|a\s+few\s+)?(?:\w+\s+)?(?:issue|problem|error|mistake|mix-?up|glitch|oversight"
    r"|miscommunication|misunderstanding|hiccup|discrepancy)s?",
    r"(?:was|were|got|has\s+been|have\s+been|had\s+been)\s+(?:\w+ly\s+)?(?:\w+ed|sent|made|given|taken|put|left"
    r"|written)\s+(?:in\s+error|by\s+mistake|incorrectly|wrongly|erroneously|twice|by\s+accident|accidentally)",
    r"(?:incorrect|wrong|erroneous|duplicate|inaccurate|outdated)\s+(?:\w+\s+){0,3}?(?:was|were|got|has\s+been"
    r"|had\s+been)\s+\w+(?:ed|en|t)",
    r"got\s+(?:sent|charged|lost|deleted|mixed\s+up|missed|forgotten|double-?\w+|overlooked|booked|cancelled"
    r"|shipped|billed|entered|posted|published|dropped)",
    r"(?:was|were)\s+(?:inadvertently|accidentally|mistakenly|unfortunately)\s+\w+(?:ed|en|t)")

ts.gate(_APOLOGY, "sorry apologise apologize apologies apology")
ts.gate(_DISTANCED, "regret regrets regrettable apologies apology apologises apologizes sorry")
ts.gate(_REGRET, "regret")
ts.gate(_FORGIVE_ME, "forgive pardon")
ts.gate(_GROVEL, "so very truly really deeply terribly idiot moron fool useless hopeless incompetent terrible awful "
        "worst "
        "stupid pathetic embarrassment failure disaster ashamed mortified devastated embarrassed gutted hate despise "
        "forgive horrible sick dreadful wretched sorry beg begging grovel grovelling groveling grovels grovelled "
        "groveled knees deserve unforgivable words")
ts.gate(_ADMIT, "mistake mistakes error errors fault oversight doing responsibility blunder slip slipup me us mine ours"
        " "
        "blame bad mix mixup take accept own ownership accountability made make wrong careless responsible mistaken "
        "late sloppy forgot forgotten missed overlooked neglected failed misread misunderstood misjudged miscalculated "
        "misspelled misspelt mislabeled mislabelled misplaced misfiled misquoted misaddressed mistyped mixed messed "
        "screwed slipped dropped got double doublebooked doublecharged doublebilled doublecounted doublesent doublepaid"
        " "
        "overcharged undercharged over overbilled billed lost deleted broke omitted left let should didn not never "
        "accidentally mistakenly wrongly incorrectly inadvertently carelessly erroneously")
ts.gate(_PASSIVE, "mistake mistakes error errors issue issues problem problems glitch glitches mix mixup oversight "
        "discrepancy discrepancies miscommunication misunderstanding hiccup there incorrectly wrongly erroneously twice"
        " "
        "accident accidentally incorrect wrong erroneous duplicate inaccurate outdated got inadvertently mistakenly "
        "unfortunately")


# --- the detectors ---------------------------------------------------------------------------------------------
_NOT_MEASURE_BEFORE = _rx(r"didn't", r"did\s+not", r"should(?:\s+have|'ve)", r"forgot\s+to", r"failed\s+to", r"without",
                          r"neglected\s+to", r"skipped", r"instead\s+of")
_YOU_BEFORE = re.compile(r"\byou(?:'ve|\s+have|\s+had|'d)?\s+$")


class _Ctx:
    """One message prepared for the detectors: lower-cased, placeholders and injected instructions masked, and the
    words of each sentence (a gated pattern is searched only in sentences holding one of its key words)."""

    __slots__ = ("text", "low", "cased", "sents", "bounds", "index", "words", "holes", "apologies")

    def __init__(self, text: str) -> None:
        self.text = text
        self.cased = normalize(text)
        self.low = lower_same_length(self.cased)
        self.bounds = split_sentences(self.low)
        self.sents = Sentences(self.low, self.bounds)
        self.index = _word_index(self.low, self.bounds)
        self.words: set[str] = set().union(*self.index)
        self.holes: dict[str, tuple[int, int]] = {}
        spans = placeholder_spans(self.low)
        inj = self.find_all(ts.INJECTION)
        if spans or inj:
            # Mask in place (same length): sentence bounds stay valid and the word index stays a superset.
            for s, e in reversed(spans):
                self.holes[_hole_kind(self.low, s, e, self.sents)] = (s, e)
            spans += [self.sents.at(m.start()) for m in inj]
            self.cased, self.low = mask(self.cased, spans), mask(self.low, spans)
        self.apologies = self.find_all(_APOLOGY)

    def _mask(self, pattern: re.Pattern[str]) -> int:
        """Bit set of the sentences to search for ``pattern`` (-1: not gated, search the whole text)."""
        keys = ts.GATES.get(pattern)
        if keys is None:
            return -1
        if keys.isdisjoint(self.words):
            return 0
        bits = 0
        for i, sentence_words in enumerate(self.index):
            if not keys.isdisjoint(sentence_words):
                bits |= 1 << i
        return bits

    def find(self, pattern: re.Pattern[str]) -> re.Match[str] | None:
        """First match of ``pattern`` in text order, searching only the sentences its gate words allow."""
        bits = self._mask(pattern)
        if bits < 0:
            return pattern.search(self.low)
        while bits:
            low_bit = bits & -bits
            s, e = self.bounds[low_bit.bit_length() - 1]
            m = pattern.search(self.low, s, e)
            if m:
                return m
            bits ^= low_bit
        return None

    def find_all(self, pattern: re.Pattern[str]) -> list[re.Match[str]]:
        """Every match of ``pattern`` in text order (gated like ``find``)."""
        bits = self._mask(pattern)
        if bits < 0:
            return list(pattern.finditer(self.low))
        out: list[re.Match[str]] = []
        while bits:
            low_bit = bits & -bits
            s, e = self.bounds[low_bit.bit_length() - 1]
            out += pattern.finditer(self.low, s, e)
            bits ^= low_bit
        return out

    def ev(self, start: int, end: int, detector: str, note: str) -> Evidence:
        """Evidence for ``text[start:end]``."""
        return Evidence(quote=self.text[start:end], start=start, end=end, detector=detector, note=note)

    def clause(self, start: int, end: int, cap: int = 60) -> tuple[int, int]:
        """(start, end) widened to the end of the clause (next , . ; ! ? or newline), at most ``cap`` more chars."""
        m = _CLAUSE_END.search(self.low, end, min(len(self.low), end + cap))
        stop = m.start() if m else min(len(self.low), end + cap)
        return start, max(end, len(self.text[:stop].rstrip()))

    def sentence_tail(self, start: int, cap: int = 120) -> tuple[int, int]:
        """From ``start`` to the end of its sentence, at most ``cap`` chars."""
        return start, min(self.sents.at(start)[1], start + cap)


_DIGIT = re.compile(r"\d")
_CAPS2 = re.compile(r"[A-Z][A-Z]")
_BETTER = re.compile(ts.BETTER)


def _word_index(low: str, bounds: list[tuple[int, int]]) -> list[set[str]]:
    """The words of each sentence; "#" stands for "has a digit"."""
    words = low.translate(ts.WORD_SEP)
    index = [set(words[s:e].split()) for s, e in bounds]
    if _DIGIT.search(low):
        for (s, e), found in zip(bounds, index, strict=True):
            if _DIGIT.search(low, s, e):
                found.add("#")
    return index


_CLAUSE_END = re.compile(r"[,.;!?\n]")


def _hole_kind(low: str, start: int, end: int, sents: Sentences) -> str:
    inner = low[start:end]
    s, e = sents.at(start)
    around = low[s:start] + low[end:e]
    for kind, pattern in (("date", ts.HOLE_DATE), ("prevention", ts.HOLE_PREVENT), ("fix", ts.HOLE_FIX)):
        if pattern.search(inner):
            return kind
    for kind, pattern in (("prevention", ts.HOLE_PREVENT), ("date", ts.HOLE_DATE), ("fix", ts.HOLE_FIX)):
        if pattern.search(around):
            return kind
    return "other"


def _pass(cid: str, strong: bool, *evidence: Evidence) -> RuleFinding:
    return RuleFinding(criterion=cid, verdict="pass", strong=strong, evidence=list(evidence))


def _fail(cid: str, fix: str, *evidence: Evidence) -> RuleFinding:
    return RuleFinding(criterion=cid, verdict="fail", evidence=list(evidence[:MAX_EVIDENCE]), fix=fix)


def _unknown(cid: str, *evidence: Evidence) -> RuleFinding:
    return RuleFinding(criterion=cid, verdict="unknown", evidence=list(evidence))


def _placeholder(cid: str, c: _Ctx, kind: str) -> RuleFinding:
    return _pass(cid, False, c.ev(*c.holes[kind], "placeholder", "placeholder to fill in"))


def _clear_apology(c: _Ctx) -> RuleFinding:
    cid, low, real, generic = "clear_apology", c.low, [], []
    for m in c.apologies:
        cond = _CONDITIONAL.match(low, m.end())
        if cond:
            s, e = c.clause(m.start(), cond.end())
            return _fail(cid, f"Replace '{c.text[s:e]}' with an unconditional 'I am sorry that I ...' naming what you "
            f"did.",
                         c.ev(s, e, "conditional_apology", "conditional or feelings-focused apology"))
        gen = _GENERIC.match(low, m.end())
        if gen:
            generic.append((m.start(), gen.end()))
        else:
            real.append(m)
    if real:
        return _pass(cid, True, c.ev(*real[0].span(), "apology", "plain, unconditional apology"))
    generic += [m.span() for m in c.find_all(_DISTANCED)]
    if generic:
        s, e = c.clause(*min(generic))
        return _fail(cid, f"Replace '{c.text[s:e]}' with a plain 'I am sorry for ...' that names the mistake.",
                     c.ev(s, e, "non_apology", "generic or distanced apology"))
    regret = c.find(_REGRET)
    if regret:
        return _unknown(cid, c.ev(*c.clause(*regret.span()), "regret", "expresses regret but no plain apology"))
    return _fail(cid, "No apology found: add one plain sentence, e.g. 'I am sorry for ...'.")


def _proportionate(c: _Ctx) -> RuleFinding:
    cid = "proportionate"
    grovel = c.find(_GROVEL)
    if grovel:
        return _fail(cid, f"Remove '{grovel.group()}': apologise once, then move on to the fix.",
                     c.ev(*grovel.span(), "self_abasement", "grovelling or self-abasement"))
    spans = [m.span() for m in c.apologies] + [m.span() for m in c.find_all(_FORGIVE_ME)]
    if len(spans) > 3:
        spans.sort()
        return _fail(cid, f"Apologise once or twice, not {len(spans)} times; then move on to the fix.",
                     *(c.ev(s, e, "apology_count", f"apology {i + 4} of {len(spans)}")
                       for i, (s, e) in enumerate(spans[3:])))
    return _pass(cid, False)


def _owns_mistake(c: _Ctx) -> RuleFinding:
    cid, low = "owns_mistake", c.low
    for m in c.find_all(_ADMIT):
        if not _NOT_ADMIT_BEFORE.search(low, max(0, m.start() - 30), m.start()):
            return _pass(cid, True, c.ev(*m.span(), "first_person_admission", "first-person, active admission"))
    candidates = []
    for m in _FP_PAST.finditer(low):
        if m.group(1) in _NOT_MISTAKE_VERBS or _NOT_ADMIT_BEFORE.search(low, max(0, m.start() - 30), m.start()):
            continue
        end = c.sents.at(m.start())[1]
        if _CUE.search(low, m.end(), end):
            return _pass(cid, True, c.ev(*c.sentence_tail(m.start()), "first_person_admission",
                                         "first-person, active account of what went wrong"))
        candidates.append(m)
    passive = c.find(_PASSIVE)
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


def _negative(cid: str, c: _Ctx, found: re.Match[str] | None, detector: str, note: str, advice: str) -> RuleFinding:
    if found is None:
        return _pass(cid, False)
    return _fail(cid, f"Remove '{found.group()}': {advice}", c.ev(*found.span(), detector, note))


def _no_blame(c: _Ctx) -> RuleFinding:
    found = _unnegated(c.find_all(ts.BLAME), c.low) or _unnegated(c.find_all(ts.BLAME_OTHER), c.low)
    if found is None and "IT" in c.cased:
        found = _unnegated(list(ts.BLAME_IT.finditer(c.cased)), c.low)
    return _negative("no_blame", c, found, "blame_shift", "shifts fault onto someone or something else",
                     "take the fault yourself, even if others played a part.")


def _no_excuses(c: _Ctx) -> RuleFinding:
    return _negative("no_excuses", c, _unnegated(c.find_all(ts.EXCUSE), c.low), "excuse", "minimises or deflects the "
    "mistake",
                     "state the cause plainly without playing the mistake down.")


def _calm_courteous(c: _Ctx) -> RuleFinding:
    found = c.find(ts.RUDE) or (ts.RUDE_MARKS.search(c.low) if "!" in c.low or not c.low.isascii() else None)
    if found is None:
        found = next((m for m in (ts.SHOUT.finditer(c.cased) if _CAPS2.search(c.cased) else ())
                      if sum(len(w) for w in m.group().split()) >= 6
                      and not all(w in ts.ACRONYMS for w in m.group().split())), None)
    return _negative("calm_courteous", c, found, "tone", "flippant, slangy, hostile or shouting",
                     "keep a calm, polite register.")


def _concrete_fix(c: _Ctx) -> RuleFinding:
    cid = "concrete_fix"
    m = c.find(ts.FIX_DONE) or c.find(ts.FIX_WILL) or c.find(ts.FIX_NOUN)
    if m:
        return _pass(cid, True, c.ev(*c.clause(*m.span()), "concrete_fix", "names a concrete repair"))
    weak = c.find_all(ts.FIX_WEAK)
    better = next((w for w in weak if _BETTER.search(w.group())), None)
    if better:
        return _pass(cid, True, c.ev(*better.span(), "concrete_fix", "sends or delivers the corrected item"))
    if "fix" in c.holes:
        return _placeholder(cid, c, "fix")
    vague = c.find(ts.VAGUE_FIX)
    if vague:
        return _fail(cid, f"Replace '{vague.group()}' with what you are doing or have done, e.g. 'I have re-sent the "
                     "corrected invoice.'", c.ev(*vague.span(), "vague_fix", "vague promise, no concrete action"))
    if weak:
        return _unknown(cid, c.ev(*weak[0].span(), "possible_fix", "an action, but not clearly the repair"))
    return _fail(cid, "No fix found: say what you have done or will do to put it right.")


def _forward(c: _Ctx, m: re.Match[str]) -> bool:
    phrase, low = m.group(), c.low
    if phrase.startswith(("tomorrow", "tonight", "next", "within", "in the next", "over the next", "later", "this aft",
                          "this even", "end of", "the end", "first thing", "eod", "cob", "close of", "by", "before")):
        return True
    if _FWD_BEFORE.search(low, max(0, m.start() - 30), m.start()):
        return True
    s, e = c.sents.at(m.start())
    return ts.FUTURE.search(low, s, e) is not None


_FWD_BEFORE = ts.FWD_BEFORE


def _timeline(c: _Ctx) -> RuleFinding:
    cid, low = "timeline", c.low
    done = c.find(ts.FIX_DONE) or c.find(ts.DONE)
    if done:
        return _pass(cid, True, c.ev(*done.span(), "completed", "says the fix is already done"))
    for m in c.find_all(ts.ALREADY):
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
    vague = c.find(ts.VAGUE_TIME)
    if vague:
        return _fail(cid, f"Replace '{vague.group()}' with when it will be done (a day or time), or say it is done.",
                     c.ev(*vague.span(), "vague_time", "no date or time, only a vague promise"))
    now = c.find(ts.NOW_TIME) or seen
    if now:
        return _unknown(cid, c.ev(*now.span(), "time_mention", "a time word, but not clearly when the fix is done"))
    return _fail(cid, "No timeline found: say when the fix will be done (a day or time), or that it already is.")


def _prevention(c: _Ctx) -> RuleFinding:
    cid, low = "prevention", c.low
    for m in c.find_all(ts.MEASURE):
        s = c.sents.at(m.start())[0]
        if not _NOT_MEASURE_BEFORE.search(low, s, m.start()):
            return _pass(cid, True, c.ev(*m.span(), "safeguard", "names a concrete safeguard"))
    for pattern in (ts.FORWARD, ts.PURPOSE):
        for m in c.find_all(pattern):
            s, e = c.sents.at(m.start())
            acts = pattern is ts.FORWARD or ts.ACTION.search(low, s, e) is not None
            if acts and not ts.VAGUE_PREVENT.search(low, s, e) and not ts.EMPTY_PREVENT.search(low, s, e):
                return _pass(cid, True, c.ev(*c.sentence_tail(m.start()), "prevention_step", "says what changes"))
    if "prevention" in c.holes:
        return _placeholder(cid, c, "prevention")
    empty = c.find(ts.EMPTY_PREVENT)
    if empty:
        return _fail(cid, f"Back up '{empty.group()}' with the step that stops it recurring (a check, a reminder, a "
                     "second reviewer).", c.ev(*empty.span(), "empty_promise", "a promise with no measure"))
    soft = c.find(ts.SOFT_MEASURE)
    if soft and ts.FUTURE.search(low, *c.sents.at(soft.start())):
        return _unknown(cid, c.ev(*c.sentence_tail(c.sents.at(soft.start())[0]), "possible_measure",
                                  "mentions a process, not clearly a safeguard"))
    return _fail(cid, "No prevention found: name the step that stops this happening again.")


def _present(cid: str, pattern: re.Pattern[str], detector: str, note: str,
             advice: str) -> Callable[[_Ctx], RuleFinding]:
    def check(c: _Ctx) -> RuleFinding:
        m = c.find(pattern)
        if m:
            return _pass(cid, True, c.ev(*m.span(), detector, note))
        return _fail(cid, advice)
    return check


_DETECTORS: dict[str, Callable[[_Ctx], RuleFinding]] = {
    "owns_mistake": _owns_mistake, "no_blame": _no_blame, "no_excuses": _no_excuses, "clear_apology": _clear_apology,
    "concrete_fix": _concrete_fix, "timeline": _timeline, "prevention": _prevention, "proportionate": _proportionate,
    "make_good": _present("make_good", ts.MAKE_GOOD, "make_good", "offers something beyond the fix",
                          "Optionally offer something beyond the fix (a credit, a discount, an extra session)."),
    "asks_forgiveness": _present("asks_forgiveness", ts.FORGIVENESS, "forgiveness", "asks forgiveness or to keep "
    "working",
                                 "Optionally ask for forgiveness or for the chance to keep working together."),
    "calm_courteous": _calm_courteous,
    "direct_contact": _present("direct_contact", ts.CONTACT, "contact_offer", "offers to talk, call or meet",
                               "Optionally offer to call or meet to talk it through."),
}
assert set(_DETECTORS) == set(CRITERIA_IDS)


def run_rules(text: str) -> dict[str, RuleFinding]:
    """Run every deterministic check on ``text``: one :class:`RuleFinding` per criterion id, in rubric order.

    Evidence offsets index ``text`` (``text[e.start:e.end] == e.quote``). Bracketed placeholders and sentences that
    address the judge are masked first, so neither can change a verdict.
    """
    ctx = _Ctx(text)
    return {cid: _DETECTORS[cid](ctx) for cid in CRITERIA_IDS}


def detect_injection(text: str) -> list[Evidence]:
    """Spans of ``text`` that try to instruct the judge ("ignore the rubric", "mark everything pass", "SYSTEM:")."""
    low = lower_same_length(normalize(text))
    out = []
    for m in ts.INJECTION.finditer(low):
        s, e = m.span()
        while s < e and low[s].isspace():
            s += 1
        out.append(Evidence(quote=text[s:e], start=s, end=e, detector="prompt_injection",
                            note="instruction aimed at the judge, not the client"))
    return out
