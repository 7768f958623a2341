"""Shared text helpers for the deterministic checks and the grounding guard: sentences, placeholders, dates, times.

Everything here works on *offsets into the original text*: helpers that rewrite text (``normalize``, ``mask``)
keep its length, so a span found in the rewritten copy quotes the original exactly. Regexes are compiled once
at import; the batch path runs these on 10,000+ messages a second.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable

# A sentence: a run of text up to terminal punctuation that is followed by whitespace (or the end), or up to a line
# break; "$240.50" and "example.com" stay whole; titles such as "Dr." are re-joined in split_sentences.
# A compiled regex rather than pysbd/nltk: pysbd takes ~1 ms per message, about 1000x the whole rules budget
# (10,000 messages/s).
_SENTENCE = re.compile(r"[^\s.!?][^.!?\n]*(?:[.!?]+(?=[^\s\"')\]])[^.!?\n]*)*[.!?\u2026]*[\"')\]]*")
_CURLY = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})

def words_list(text: str) -> list[str]:
    """A space-separated word list as a list (keeps vocabularies readable in source)."""
    return text.split()


def words(text: str) -> frozenset[str]:
    """A space-separated word list as a frozenset."""
    return frozenset(text.split())


#: A fill-in gap such as "[date the fix will be done]" (compose mode leaves these for the user).
PLACEHOLDER_RE = re.compile(r"\[[^\[\]\n]{2,100}\]")

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
          "november", "december")
#: Month name or abbreviation -> month number (1..12).
MONTH_NUM = {m: i + 1 for i, m in enumerate(MONTHS)} | {
    m[:3]: i + 1 for i, m in enumerate(MONTHS)} | {"sept": 9}

_WD = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MON = (r"(?:january|february|march|april|may|june|july|august|september|october|november|december"
        r"|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec)")
_MON_FULL = r"(?:january|february|april|june|july|august|september|october|november|december)"  # not may/march
_DAY = r"(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?(?!\s*(?:[ap]\.?m\b|[ap]\.m\.|:\d|o'clock))"
_MD = (rf"(?:{_DAY}\s+(?:of\s+)?{_MON}\b\.?(?:,?\s+\d{{4}})?|{_MON}\.?\s+{_DAY}\b(?:,?\s+\d{{4}})?"
       rf"|{_MON}\s+\d{{4}})")
_NUMDATE = r"(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\.\d{1,2}\.\d{2,4})"

#: A calendar date in *lower-cased* text: weekday (+ date), day+month, month+day, numeric date, full month name.
DATE_RE = re.compile(rf"\b(?:{_WD}(?:,?\s+(?:the\s+)?(?:{_MD}|{_DAY}\b))?|{_MD}|{_NUMDATE}|{_MON_FULL})\b")
#: A clock time in lower-cased text: "5 pm", "5:30pm", "17:00", "5 p.m.", "noon".
TIME_RE = re.compile(r"\b(?:(?:[01]?\d|2[0-3])(?:[:.][0-5]\d)?\s*(?:a\.m\.|p\.m\.|am\b|pm\b)"
                     r"|(?:[01]?\d|2[0-3]):[0-5]\d\b"
                     r"|noon\b|midday\b|midnight\b|\d{1,2}\s+o'clock\b)")
_QTY = r"(?:\d+|a|an|one|two|three|four|five|six|seven|ten|twelve|twenty-four|forty-eight|a\s+couple\s+of|a\s+few)"
#: Relative time expressions that name when something happens (lower-cased text).
RELTIME_RE = re.compile(
    rf"\b(?:today|tomorrow|tonight|overnight|this\s+(?:morning|afternoon|evening|week|weekend|month)"
    rf"|next\s+(?:week|month|weekend|business\s+day|working\s+day|{_WD})|(?:later|earlier)\s+today"
    r"|(?:the\s+)?end\s+of\s+(?:the\s+)?(?:day|week|month|business\s+day|working\s+day|play|today|tomorrow)"
    rf"|eod|cob|close\s+of\s+(?:business|play)|first\s+thing|(?:within|in\s+the\s+next|over\s+the\s+next)\s+"
    rf"(?:the\s+next\s+)?{_QTY}\s+(?:working\s+|business\s+)?(?:minutes?|hours?|days?|weeks?)"
    r"|(?:by|before)\s+(?:the\s+)?(?:weekend|lunch(?:time)?|noon|midday))\b")


def normalize(text: str) -> str:
    """Curly quotes and dashes to ASCII, same length (so offsets still point into the original)."""
    return text.translate(_CURLY) if not text.isascii() else text


def lower_same_length(text: str) -> str:
    """``text.lower()`` when that keeps the length (almost always); else an ASCII-only lower-casing."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


_TITLE_END = re.compile(r"\b(?:Mrs|Mr|Ms|Mx|Dr|Prof|St)\.$")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) of each sentence or line, whitespace trimmed, empty pieces dropped.

    A title such as "Ms." does not end a sentence ("I charged Ms. Rivera twice." stays whole).
    """
    spans = [m.span() for m in _SENTENCE.finditer(text)]
    merged: list[tuple[int, int]] = []
    for span in spans:
        if merged and text[merged[-1][1] - 1] == "." and "\n" not in text[merged[-1][1]:span[0]] \
                and _TITLE_END.search(text, max(0, merged[-1][1] - 5), merged[-1][1]):
            merged[-1] = (merged[-1][0], span[1])
        else:
            merged.append(span)
    return merged


class Sentences:
    """Sentence lookup by offset for one text (split lazily on first use unless bounds are given)."""

    __slots__ = ("_text", "_bounds", "_starts")

    def __init__(self, text: str, bounds: list[tuple[int, int]] | None = None) -> None:
        self._text = text
        self._bounds = bounds
        self._starts = [s for s, _ in bounds] if bounds is not None else []

    def at(self, pos: int) -> tuple[int, int]:
        """The (start, end) of the sentence holding ``pos`` (or the nearest one before it)."""
        if self._bounds is None:
            self._bounds = split_sentences(self._text)
            self._starts = [s for s, _ in self._bounds]
        i = bisect_right(self._starts, pos) - 1
        return self._bounds[i] if i >= 0 else (0, 0)


def mask(text: str, spans: Iterable[tuple[int, int]]) -> str:
    """``text`` with each span replaced by spaces (same length), so detectors skip it but offsets hold."""
    chars = list(text)
    for s, e in spans:
        chars[s:e] = " " * (e - s)
    return "".join(chars)


def placeholder_spans(text: str) -> list[tuple[int, int]]:
    """Spans of [bracketed] placeholders."""
    return [m.span() for m in PLACEHOLDER_RE.finditer(text)] if "[" in text else []


def rx(*alternatives: str) -> re.Pattern[str]:
    """One word-bounded alternation, for lower-cased text."""
    return re.compile(r"\b(?:" + "|".join(alternatives) + r")\b")


# --- no_blame / no_excuses ---------------------------------------------------------------------------------
AGENT = (r"(?:(?:new|junior|temporary|external|third-party|previous)\s+)?(?:\w+\s+)?(?:courier|supplier|vendor"
          r"|contractor|freelancer|partner|intern|developer|designer|accountant|bank|printers?|provider|subcontractor"
          r"|delivery\s+(?:company|partner|driver|service|firm)|driver|warehouse|it\s+(?:team|department)|system"
          r"|software"
          r"|server|website|app|platform|database|computer|network|processor|carrier|distributor|agency|assistant|temp"
          r"|hire|colleague|team\s+member|junior|manufacturer|post\s+office|postal\s+service|spam\s+filter|automation"
          r"|spreadsheet|autocorrect|receptionist|office\s+manager|editor|photographer|writer|staff\s+member|employee"
          r"|engineer|technician)")
#: Fault shifted onto the client.
BLAME = rx(
    r"your\s+(?:\w+\s+)?(?:brief|instructions?|spec(?:ification)?s?|e-?mail|request|schedule|order|form|note|message"
    r"|details|information|requirements|address|files?|data|notes|timeline|paperwork|team|staff|assistant|system)\s+"
    r"(?:(?:wasn't|weren't|was\s+not|were\s+not|isn't|aren't)\s+(?:very\s+|entirely\s+|totally\s+)?(?:clear|correct"
    r"|complete|right|accurate|specific)|(?:was|were|seemed|is|are)\s+(?:\w+\s+)?(?:unclear|confusing|vague|ambiguous"
    r"|late|incomplete|wrong|incorrect|missing|contradictory|misleading|inaccurate|outdated))",
    r"you\s+(?:didn't|did\s+not|never|failed\s+to|forgot\s+to|neglected\s+to)\s+(?:\w+\s+)?(?:tell|mention|say|specify"
    r"|let\s+(?:us|me)\s+know|inform|confirm|clarify|ask|request|send\s+(?:us|me)|give\s+(?:us|me)|provide|reply"
    r"|respond|check|read|notice|approve|sign|answer|flag|warn|include|attach|pay)",
    r"you\s+(?:should|could|might)(?:\s+have|'ve)\s+(?:\w+\s+)?(?:told|let|said|mentioned|checked|asked|read|sent"
    r"|given|specified|called|informed|noticed|clarified|contacted|warned|flagged|replied|confirmed|been\s+clearer)",
    r"(?:since|as|because|given\s+that|seeing\s+as)\s+you\s+(?:\w+\s+)?(?:changed|asked|requested|sent|moved"
    r"|switched|didn't|did\s+not|never|forgot|failed|only|were\s+late|gave|left)",
    r"(?:had|if)\s+you\s+(?:had\s+|only\s+)?(?:told|let\s+(?:us|me)|sent|mentioned|given|specified|replied"
    r"|confirmed|checked|read|been\s+clearer|clarified)",
    r"(?:due\s+to|because\s+of|owing\s+to|thanks\s+to)\s+your", r"(?:on|from)\s+your\s+(?:end|side)",
    r"your\s+(?:own\s+)?(?:fault|mistake|error|oversight|doing)",
    r"(?:the|this)\s+(?:brief|instructions?|spec(?:ification)?|schedule|request|requirements"
    r"|details)\s+(?:you\s+\w+\s+)?"
    r"(?:(?:wasn't|weren't|was\s+not|were\s+not)\s+(?:very\s+|entirely\s+|totally\s+)?(?:clear|specific|complete)"
    r"|(?:was|were)\s+(?:\w+\s+)?(?:unclear|confusing|vague|ambiguous|incomplete|contradictory|misleading))",
    r"you\s+(?:sent|gave|provided|supplied|wrote)\s+(?:\w+\s+){0,6}?(?:wasn't|was\s+not|weren't|were\s+not|isn't)\s+"
    r"(?:\w+\s+)?(?:clear|correct|right|complete|accurate|specific)",
)
#: Fault shifted onto colleagues, suppliers, systems or circumstances.
BLAME_OTHER = rx(
    rf"(?:our|the|my|a|an)\s+{AGENT}s?(?:'s?)?\s+(?:\w+\s+){{0,2}}?(?:let\s+(?:us|me|you)\s+down|failed|messed\s+up"
    r"|mixed\s+up|screwed\s+up|glitch\w*|crashed|went\s+down|was\s+down|broke|lost|dropped|forgot|didn't|did\s+not"
    r"|never|was\s+late|were\s+late|delayed|had\s+(?:an?\s+)?(?:\w+\s+)?(?:problem|issue|glitch|bug|outage|error)"
    r"|made\s+(?:an?\s+)?(?:\w+\s+)?(?:error|mistake)|(?:is|was|are|were)\s+(?:to\s+blame|at\s+fault|responsible)"
    r"|sent\s+(?:\w+\s+)?(?:the\s+)?wrong|malfunction\w*|misrouted|mislabell?ed|overbooked|double-?\w+|corrupted"
    r"|charged\s+(?:you\s+)?twice|(?:was|were)\s+(?:sick|ill|off|away))",
    rf"(?:caused|made|sent|done|introduced|created|generated)\s+by\s+(?:our|the|a|an|my)\s+{AGENT}",
    rf"(?:issue|problem|glitch|bug|error|fault|outage|failure|mix-?up)s?\s+(?:with|in|on|at)\s+(?:our|the"
    rf"|my)\s+{AGENT}",
    r"(?:technical|system|software|computer|server|it)\s+(?:issue|glitch|problem|error|hitch|difficult(?:y|ies)"
    r"|fault|failure|outage)s?", r"a\s+(?:\w+\s+)?(?:glitch|bug)\s+in",
    r"(?:due\s+to|because\s+of|owing\s+to|thanks\s+to|blame\s+(?:it\s+on\s+)?)\s+(?:the\s+)?(?:bad\s+|heavy\s+)?"
    r"(?:weather|traffic|snow|storms?|strikes?|rail\s+strike|holidays?|flu|illness|sickness|covid|pandemic"
    r"|staff(?:ing)?"
    r"\s+shortages?|high\s+(?:demand|volume)|workload|roadworks|power\s+(?:cut|outage)|internet\s+outage)",
    r"(?:one\s+of\s+(?:our|my)|someone\s+(?:in|on)\s+(?:our|my|the))\s+(?:\w+\s+){1,3}?(?:forgot|failed|messed"
    r"|didn't|did\s+not|made|sent\s+the\s+wrong|mixed)")
BLAME_IT = re.compile(r"\bIT\b(?i:\s+(?:team|department|dept|guys|people|support))?(?i:\s+\w+){0,2}?"
                       r"(?i:\s+(?:messed|failed|broke|forgot|didn't|made\s+an?\s+(?:error|mistake)|crashed|screwed"
                       r"|lost))")
EXCUSE = rx(
    r"(?:beyond|outside\s+(?:of\s+)?)\s*(?:our|my|anyone's|anybody's)\s+control", r"out\s+of\s+(?:our|my)\s+hands",
    r"(?:these|such|those)\s+things\s+(?:do\s+|can\s+|will\s+)?happen", r"(?:stuff|shit|things|mistakes|errors"
    r"|accidents)\s+(?:do\s+|will\s+|can\s+)?happens?", r"(?:it|this|that)\s+happens(?=\s*[.,;!-]|\s+to\s+)",
    r"happens\s+to\s+(?:the\s+best\s+of\s+us|everyone|all\s+of\s+us|us\s+all|anyone)",
    r"it\s+(?:was|is|'s)\s+only(?!\s+(?:when|after|then|later|once|because|at|on|now|fair|right)\b)",
    r"(?:was|were|is|it's|being|by)\s+(?:just|only)\s+(?:a\s+few|a\s+couple\s+of|\d+|one|two|three|five|ten|a)\s+"
    r"(?:minutes?|mins?|hours?|days?|seconds?|pounds?|dollars?|euros?|cents?|pence|pages?|lines?|words?|items?)",
    r"(?:just|only)\s+(?:a\s+few|a\s+couple\s+of|\d+|one|two|a)\s+(?:minutes?|mins?|hours?|days?)\s+(?:late|behind"
    r"|delay|off)",
    r"(?:we|i)(?:'ve|\s+have)?(?:\s+been|\s+were|\s+was|'re|\s+are|'m|\s+am)\s+(?:(?:very|really|extremely|incredibly"
    r"|so|super|completely|absolutely|a\s+bit|rather|quite)\s+)?(?:busy|swamped|slammed|overwhelmed|stretched"
    r"|short-?staffed|understaffed|snowed\s+under|flat\s+out|rushed|overloaded|overworked|inundated)",
    r"(?:a|our|the)\s+(?:very\s+|really\s+|particularly\s+|especially\s+)?(?:busy|hectic|crazy|manic)\s+(?:season"
    r"|period"
    r"|time|week|month|day|spell)", r"unforeseen\s+(?:circumstances|events|issues|problems|difficulties)",
    r"unforeseeable", r"unavoidabl[ey]", r"(?:not|hardly|isn't|wasn't|no)\s+(?:really\s+)?(?:such\s+)?(?:a|that)?\s*"
    r"(?:big|huge|major)\s+deal", r"no\s+(?:big|real|lasting)\s+harm", r"no\s+harm\s+done", r"to\s+be\s+fair",
    r"in\s+(?:our|my)\s+defen[cs]e", r"(?:anyone|everyone|anybody|everybody)\s+(?:could|would|can"
    r"|makes?)\s+(?:have\s+)?"
    r"(?:made|make)", r"honest\s+mistake", r"human\s+error", r"(?:just|simply|only)\s+(?:an?\s+)?(?:simple|small"
    r"|minor|tiny|little)\s+(?:error|mistake|slip|oversight|typo)",
    r"(?:a|the|this|one)\s+(?:minor|slight|tiny|little|brief)\s+(?:\w+\s+)?(?:issue|error|hiccup|glitch|delay"
    r"|inconvenience|mistake|oversight|mix-?up|blip|problem)", r"hiccups?", r"could\s+have\s+been\s+(?:much\s+"
    r"|far\s+)?worse",
    r"at\s+least\s+(?:it|nothing|no\s+one|you)\b", r"(?:we|i)\s+(?:did|tried)\s+(?:our|my)\s+best",
    r"nothing\s+(?:we|i)\s+could\s+(?:have\s+)?do(?:ne)?", r"perfect\s+storm", r"through\s+no\s+fault\s+of",
    r"(?:not|wasn't|isn't)\s+(?:entirely\s+|really\s+|totally\s+)?(?:our|my)\s+fault", r"(?:my|the)\s+dog\s+ate",
    r"(?:only|just)\s+(?:slightly|a\s+(?:little|bit|tad))\s+(?:late|off|wrong|delayed|behind|over)")


# --- concrete_fix / timeline ------------------------------------------------------------------------------
FIXED = (r"(?:refunded|re-?sent|replaced|rebooked|credited|reversed|restored|re-?issued|cancell?ed|voided|repaired"
         r"|reinstated|redone|redid|re-?ran|rewrote|rewritten|rebuilt|re-?uploaded|re-?shipped|re-?printed|rescheduled"
         r"|re-?delivered|dispatched)")
_VAGUE_OBJ = r"(?!\s+(?:it|this|that|things|everything|the\s+(?:issue|problem|matter|situation|error|mistake))\b)"
BETTER = r"(?:corrected|correct|right|new|replacement|revised|updated|fixed|amended|missing|full|accurate|proper)"
#: A concrete fix that is already done: "I have refunded ...", "the charge has been reversed", "here is the corrected".
FIX_DONE = rx(
    rf"(?:i|we)(?:'ve|\s+have)?\s+(?:now\s+|just\s+|already\s+|personally\s+|also\s+)?(?:{FIXED}"
    rf"|(?:fixed|corrected|amended|rectified|removed){_VAGUE_OBJ})",
    rf"(?:has|have|had)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:fully\s+|now\s+)?(?:{FIXED}|fixed|corrected"
    r"|amended|rectified|removed)",
    rf"(?:i|we)(?:'ve|\s+have)\s+(?:now\s+|just\s+|already\s+)?(?:sent|attached|uploaded|shipped|posted|emailed)\s+"
    rf"(?:you\s+|over\s+)?(?:the\s+|a\s+)?{BETTER}", rf"(?:attached|enclosed)\s+(?:is|are)\s+(?:the|a)\s+{BETTER}",
    rf"please\s+find\s+(?:attached|enclosed)\s+(?:the|a)\s+{BETTER}", rf"here(?:'s|\s+is|\s+are)\s+the\s+{BETTER}")
#: Completion in general (timeline): "is now fixed", "has been resolved", "it is done".
DONE = rx(
    r"(?:has|have|had)\s+(?:now\s+|just\s+|already\s+)?been\s+(?:fully\s+|now\s+)?(?:sorted|resolved|completed|done"
    r"|processed|issued|applied|updated|sent|delivered|fixed|corrected)",
    r"(?:is|are|'s|'re)\s+(?:now\s+)?(?:all\s+)?(?:fixed|done|complete|completed|resolved|sorted|corrected|live"
    r"|back\s+up|restored|in\s+place|on\s+(?:its|their)\s+way|refunded|cancell?ed|reversed)",
    r"(?:i|we)(?:'ve|\s+have)\s+(?:now\s+|just\s+|already\s+)?(?:sorted|resolved|completed|processed|issued|updated"
    r"|sent|delivered)")
ALREADY = re.compile(r"\balready\b(?!\s+(?:know|aware|told|mentioned|said|explained|paid|waited|been\s+charged))")
WILL = (r"(?:(?:'ll|\s+will|\s+shall|'m\s+going\s+to|\s+am\s+going\s+to|'re\s+going\s+to|\s+are\s+going\s+to"
        r"|'m|\s+am|'re|\s+are)\s+)")
FIX_SPECIFIC = (r"(?:refund|re-?send|replac|rebook|credit|re-?issu|revers|cancel|void|reinstat|redo|rewrit|rebuild"
                 r"|re-?run|re-?ship|re-?print|reschedul|re-?deliver|restor|re-?upload|repair)")
FIX_WILL = re.compile(rf"\b(?:i|we){WILL}(?:now\s+|also\s+|personally\s+|immediately\s+|today\s+)?"
                       rf"(?:{FIX_SPECIFIC}\w*|(?:fix|correct|amend|rectify|update|remov|sort)\w*\s+(?:out\s+)?"
                       r"(?!(?:it|this|that|things|everything|the\s+(?:issue|problem|matter|situation|error"
                       r"|mistake))\b)"
                       r"\w+)\b")
FIX_NOUN = rx(r"(?:a|the|your)\s+(?:full\s+)?(?:refund|replacement|credit\s+note)\s+(?:of\s+\S+\s+)?(?:has\s+been|was"
                r"|is\s+being|will\s+be|is\s+on\s+its\s+way|is\s+in\s+progress)",
                r"you(?:'ll|\s+will)\s+(?:receive|get|see|have)\s+(?:a|the|your)\s+(?:full\s+)?(?:refund|replacement"
                r"|corrected|new|revised|credit)")
FIX_WEAK = re.compile(rf"\b(?:i|we)(?:{WILL}|(?:'ve|\s+have)\s+(?:now\s+|just\s+|already\s+)?)(?:send|sent|deliver"
                      r"|ship|upload|issu|arrang|book|process|attach)\w*(?:\s+\w+){0,4}")
VAGUE_FIX = rx(
    r"look(?:ing)?\s+into", r"investigat\w+", r"(?:do|doing)\s+(?:our|my)\s+best", r"do\s+better",
    r"(?:get|getting)\s+back\s+to\s+you", r"(?:work|working)\s+on\s+(?:it|this|a\s+(?:fix|solution)|resolving)",
    r"sort(?:ing)?\s+(?:it|this|things)\s+out", r"take\s+care\s+of\s+(?:it|this)", r"make\s+(?:it|this|things)\s+right",
    r"(?:address|resolve|handle|deal\s+with)\s+(?:it|this|the\s+(?:issue|problem|matter|situation))",
    r"see\s+what\s+(?:we|i)\s+can\s+do", r"escalat\w+", r"get\s+(?:it|this|things)\s+sorted",
    r"taking\s+(?:this|it)\s+(?:very\s+)?seriously", r"rectify\s+the\s+situation")
FUTURE = rx(r"will", r"'ll", r"shall", r"going\s+to", r"(?:is|are)\s+being", r"expect\w*", r"scheduled",
              r"plan(?:ned)?\s+to", r"aim\s+to", r"due", r"arriv\w+", r"ready", r"on\s+(?:its|their)\s+way",
              r"(?:'m|am|'re|are)\s+\w+ing", r"should\s+(?:arrive|reach|be|have|see)", r"rebooked", r"rescheduled")
FWD_BEFORE = re.compile(r"\b(?:by|before|until|till|no\s+later\s+than|within|starting|on\s+or\s+before)\s+"
                         r"(?:the\s+)?(?:end\s+of\s+)?$")
VAGUE_TIME = rx(r"soon", r"asap", r"as\s+soon\s+as\s+(?:possible|(?:i|we)\s+can|practicable)", r"shortly",
                  r"in\s+due\s+course", r"at\s+(?:some|a\s+later)\s+point", r"in\s+the\s+coming\s+(?:days|weeks)",
                  r"at\s+the\s+earliest\s+opportunity", r"when(?:ever)?\s+(?:i|we)\s+can", r"eventually",
                  r"promptly", r"quickly")
NOW_TIME = rx(r"immediately", r"right\s+away", r"straight\s+away", r"at\s+once", r"right\s+now")
MONTH_PREP = re.compile(r"\b(?:by|in|end\s+of|early|mid|late|before)\s+(?:january|february|march|april|may|june|july"
                         r"|august|september|october|november|december)\b")

# --- prevention -------------------------------------------------------------------------------------------------
FORWARD = rx(r"from\s+now\s+on", r"going\s+forward", r"moving\s+forward", r"in\s+(?:the\s+)?future", r"henceforth",
               r"from\s+(?:today|this\s+point|here\s+on)", r"(?:for|on)\s+(?:every|each|all)\s+(?:future|new|upcoming)",
               r"starting\s+(?:today|now|tomorrow|this|next|immediately)", r"every\s+time", r"each\s+time",
               r"next\s+time", r"from\s+next\s+\w+")
MEASURE = rx(
    r"check-?lists?", r"reminders?", r"safeguards?", r"guardrails?", r"second\s+(?:person|pair\s+of\s+eyes"
    r"|set\s+of\s+eyes"
    r"|check|review|reviewer|sign-?off|approval)", r"peer[-\s]review\w*", r"four-?eyes", r"sign-?off",
    r"(?:approval|review|checking|verification|qa|quality|proofreading)\s+(?:step|process|stage|check|procedure|gate)",
    r"automat(?:ed|ic|ically)\s+(?:\w+\s+)?(?:checks?|alerts?|reminders?|tests?|validation|warnings?|confirmations?)",
    r"double-?check\w*", r"cross-?check\w*", r"calendar\s+(?:alerts?|reminders?|invites?|entry|entries|block)",
    r"validation", r"audit\w*", r"(?:re)?train(?:ing|ed)", r"(?:check|review|verify|test|proofread"
    r"|reconcile)\s+(?:every"
    r"|each|all)", r"(?:check|review|verify|confirm|test|proofread|reconcile)\w*\s+(?:\w+\s+){0,3}?before",
    r"(?:i|we)(?:'ve|\s+have)?\s+(?:added|introduced|set\s+up|put\s+in\s+place|implemented|created|changed|adjusted"
    r"|built|installed|automated|switched\s+to|updated\s+our|moved\s+to)\s+(?:\w+\s+){0,3}?(?:check|step|process"
    r"|rule|system|procedure|reminder|alert|checklist|safeguard|workflow|policy|review|test|template|control"
    r"|validation|field|warning|limit|lock|flag)s?")
SOFT_MEASURE = rx(r"process", r"procedure", r"workflow", r"policy", r"protocol", r"system", r"alerts?",
                    r"always", r"every", r"each")
PURPOSE = rx(r"(?:to|so\s+as\s+to|so)\s+(?:make\s+sure|ensure|prevent|avoid|stop|guarantee)\s+(?:that\s+)?"
               r"(?:this|it|that|the\s+same)\s+(?:\w+\s+){0,3}?(?:happen\w*|recur\w*|again)")
ACTION = re.compile(r"\b(?:i|we)(?:'ll|\s+will|'ve|\s+have|'m|\s+am|'re|\s+are|\s+now)\s+(?!be\s+more|do\s+better"
                     r"|try|make\s+sure\s+(?:this|it))(?:now\s+|also\s+)?[a-z]{3,}")
EMPTY_PREVENT = rx(
    r"(?:won't|will\s+not|will\s+never|shall\s+not|never)\s+(?:ever\s+)?happen\s+again", r"rest\s+assured",
    r"(?:won't|will\s+not|never)\s+(?:be\s+)?(?:repeated|recur)", r"lesson\s+(?:has\s+been\s+)?learn(?:ed|t)",
    r"learn(?:ed|t)\s+(?:my|our|a|from)", r"(?:be|being)\s+(?:more|extra)\s+(?:careful|vigilant|attentive|diligent)",
    r"do\s+better", r"try\s+harder", r"pay\s+(?:more|closer)\s+attention", r"take\s+(?:more|extra|greater)\s+care",
    r"make\s+sure\s+(?:this|it)\s+(?:doesn't|does\s+not|won't|will\s+not|never)\s+happen\s+again")
VAGUE_PREVENT = rx(r"be\s+more\s+\w+", r"do\s+better", r"try\s+harder", r"pay\s+(?:more|closer)\s+attention",
                     r"take\s+(?:more|extra)\s+care", r"(?:not|never)\s+(?:let|allow)\s+(?:this|it)")

# --- optional criteria -----------------------------------------------------------------------------------------
MAKE_GOOD = re.compile(
    r"(?<!feel\s)(?<!-)\bfree\b(?!\s+to\b)(?!\s+of\s+(?:errors?|mistakes?)\b)|\b(?:complimentary|on\s+the\s+house"
    r"|(?<!\bit\sis\s)(?<!\bthat\sis\s)(?<!\bthis\sis\s)(?<!\bit's\s)(?<!\bthat's\s)(?<!\ball\s)on\s+us"
    r"|at\s+no\s+(?:extra\s+|additional\s+)?(?:cost|charge)|no\s+(?:extra\s+)?charge|(?:\d+(?:\.\d+)?\s*%"
    r"|\d+\s+per\s*cent|half)\s+off|half[-\s]price|discount\w*|waiv(?:e|ed|ing)|bonus|voucher|gift\s+(?:card"
    r"|certificate)|goodwill|as\s+a\s+(?:small\s+)?(?:gesture|thank-?you)|upgrade\w*|(?:an?\s+)?extra\s+(?:\w+\s+)?"
    r"(?:session|hour|month|week|day|revision|round|consultation|copy|copies|licen[cs]e|seat|lesson|call|item"
    r"|night|visit)s?|additional\s+(?:session|hour|month|revision|consultation)s?|(?:account|store|service|\d+)\s+"
    r"credit|(?:a|an)\s+(?:\$|\u00a3|\u20ac)?\d*\s*credit\b(?!\s+card)|credit\s+(?:of|towards?))")
FORGIVENESS = rx(
    r"forgiv(?:e|eness|ing)(?!\s+(?:myself|ourselves))", r"pardon", r"(?:give|grant|offer)\s+(?:me|us)\s+(?:\w+\s+)?"
    r"(?:chance|opportunity)", r"(?:another|a\s+second|one\s+more)\s+chance", r"(?:chance|opportunity)\s+to\s+"
    r"(?:make\s+(?:it|this|things|amends|it\s+up)|put\s+(?:it|this|things)\s+right|earn|win|regain|rebuild|prove|keep"
    r"|continue)", r"(?:earn|win|regain|rebuild|restore|re-?earn)\s+(?:back\s+)?(?:your|the)\s+(?:trust|confidence"
    r"|faith)",
    r"(?:keep|continue|carry\s+on)\s+(?:\w+\s+)?(?:working|work)\s+(?:together|with\s+you|for\s+you)",
    r"(?:continue|continuing|keep|keeping)\s+(?:our\s+)?(?:\w+\s+)?(?:relationship|partnership|collaboration)",
    r"(?:hope|hoping|trust)\s+(?:that\s+)?(?:we|i)\s+can\s+(?:continue|keep|move\s+(?:forward|past|on)|put\s+this"
    r"|still\s+work|work\s+together)", r"look\s+forward\s+to\s+continuing",
    r"(?:stay|remain)\s+(?:with\s+us|a\s+(?:client|customer))")
RUDE = rx(
    r"lol|lmao|rofl|lmfao|haha\w*|hehe|jk|smh|tbh|idk|omg|wtf|ffs|meh|ugh|duh|whoops|oops\w*|my\s+bad|no\s+biggie",
    r"no\s+big\s+deal|(?:stuff|shit|crap)\s+happens|chill(?:\s+out)?|calm\s+down|get\s+over\s+it|deal\s+with\s+it",
    r"not\s+(?:our|my)\s+problem|as\s+i'm\s+sure\s+you(?:'ll|\s+will|\s+would)?\s+(?:agree|appreciate|understand)",
    r"with\s+(?:all\s+)?due\s+respect|more\s+than\s+patient|(?:obviously|clearly)\s+you|you\s+people",
    r"whatever(?=\s*[.!,]|\s*$)|(?:dude|bro|mate)(?=\s*[,.!])|sweetie|hun|seriously(?=\?)|come\s+on(?=\s*[,!?])",
    r"give\s+me\s+a\s+break|sh\*t|s\*+\s+happens")
#: Shouty punctuation and eye-roll emoji (checked only when the text has "!" or non-ASCII characters).
RUDE_MARKS = re.compile(r"!\s*!|\?\s*!|!\s*\?|[\U0001f644\U0001f602\U0001f923\U0001f937\U0001f643\U0001f612\U0001f624]")
SHOUT = re.compile(r"\b[A-Z]{2,}(?:'[A-Z]+)?(?:\s+[A-Z]{2,}(?:'[A-Z]+)?)+\b")
ACRONYMS = words("PDF CSV VAT UK US USA EU CEO CFO CTO IT HR QA FAQ ASAP OK AM PM EOD COB ID PS FYI PR SEO API URL UI "
                 "UX GST "
    "HST NB RSVP ETA NDA SLA SMS PO UPS DHL")
CONTACT = rx(
    r"(?:happy|glad|available|free|able|like|love|want|keen|ready|pleased|delighted|willing"
    r"|offer)\s+to\s+(?:\w+\s+){0,2}?"
    r"(?:call|phone|ring|talk|speak|meet|chat|visit|discuss|walk\s+you\s+through|go\s+through|hop\s+on|jump\s+on"
    r"|set\s+up\s+a|arrange\s+a|schedule\s+a|book\s+a|come\s+(?:by|over|in|to)|drop\s+by|pop\s+(?:by|over|in))",
    r"(?:i|we)(?:'ll|\s+will|'d|\s+would|\s+can|\s+could)\s+(?:\w+\s+)?(?:(?:call|phone|ring)\s+you|meet\s+(?:you|with"
    r"|up)|visit\s+(?:you|your)|talk\s+(?:to|with|it|you)|speak\s+(?:to|with)|come\s+(?:by|over|to\s+(?:you|your))"
    r"|drop\s+by|pop\s+(?:by|over|in)|walk\s+you\s+through|hop\s+on|jump\s+on)",
    r"(?:call|phone|ring|text)\s+me", r"(?:give|drop)\s+me\s+a\s+(?:call|ring|line|buzz)",
    r"(?:let's|let\s+us|shall\s+we|could\s+we|can\s+we)\s+(?:\w+\s+)?(?:talk|speak|meet|chat|catch\s+up|hop\s+on"
    r"|jump\s+on"
    r"|set\s+up|arrange|schedule|have\s+a\s+(?:call|chat))",
    r"(?:my|our)\s+(?:direct\s+(?:line|number|dial)|mobile|cell|phone\s+number|number)\s*(?:is|:)", r"direct\s+line",
    r"(?:reach|contact)\s+me\s+(?:directly|on|at|any\s?time|personally)", r"in\s+person", r"face[-\s]to[-\s]face",
    r"(?:set\s+up|arrange|schedule|book)\s+(?:a|some)\s+(?:\w+\s+)?(?:call|meeting|time|chat)", r"happy\s+to\s+discuss",
    r"drop\s+by")
INJECTION = re.compile(
    r"\b(?:(?:ignore|disregard|forget)\s+(?:all\s+|any\s+|the\s+|your\s+|previous\s+|prior\s+|above\s+|earlier\s+"
    r"|these\s+"
    r"|those\s+|my\s+|of\s+)*(?:instructions?|rubric|rules?|criteria|prompts?|guidelines|directions|system\s+prompt)"
    r"|mark\s+(?:everything|all|each|every\s+\w+|this(?:\s+message)?|it|all\s+(?:criteria|items|checks))\s+(?:as\s+)?"
    r"(?:pass|passed|passing|ok|correct|compliant|true)|(?:all|every)\s+(?:criteria|criterion|checks?)\s+(?:should|must"
    r"|shall|will)\s+(?:be\s+)?(?:pass|passed|marked)|as\s+an\s+ai\b|(?:note|message|instructions?)\s+"
    r"(?:to|for)\s+(?:the\s+)?(?:ai|judge|grader|evaluator|model|llm|assistant|critic)|(?:the\s+)?(?:judge|grader"
    r"|evaluator|critic|llm)\s+(?:should|must|will|shall|is\s+to)|(?:rate|score|grade)\s+(?:this|the)\s+(?:\w+\s+)?"
    r"(?:as|at|with)\s+(?:a\s+)?(?:pass|10|100|perfect|full)|(?:return|output|respond\s+with"
    r"|reply\s+with)\s+(?:only\s+)?"
    r"(?:\"?pass\"?|all\s+pass)|\"?verdict\"?\s*[:=]\s*\"?pass|new\s+instructions?|override\s+(?:the\s+)?(?:rubric"
    "|rules"
    r"|instructions|verdicts?)|do\s+not\s+(?:flag|fail|penali[sz]e|critici[sz]e|critique)|jailbreak)\b"
    r"|(?:^|(?<=[\n.!?]))\s*(?:system|assistant|developer)\s*:|<\|?(?:im_start|im_end|system|endoftext)\|?>"
    r"|\[/?(?:inst|sys)\]|<</?sys>>|###\s*(?:system|instruction)")
HOLE_DATE = rx(r"date", r"when", r"day", r"deadline", r"time")
HOLE_PREVENT = rx(r"again", r"recur\w*", r"prevent\w*", r"change", r"stop")
HOLE_FIX = rx(r"fix", r"right", r"doing", r"correct\w*", r"remedy", r"repair", r"refund", r"replace")


# --- gates: a pattern is searched only in sentences holding one of its key words ----------------------------------
#: Word separators for the gate index (same-length translation; apostrophes and hyphens split words too).
WORD_SEP = str.maketrans({c: " " for c in ".,;:!?()[]{}<>|#\"/\\-'\u2026\n\t\r"})
#: "#" stands for "this sentence has a digit".
GATES: dict[re.Pattern[str], frozenset[str]] = {}


def gate(pattern: re.Pattern[str], words: str) -> None:
    """Register the key words that every match of ``pattern`` contains (at least one of them, as a whole word)."""
    GATES[pattern] = frozenset(words.split())


_WEEKDAY_WORDS = " ".join(WEEKDAYS)
_MONTH_WORDS = "january february march april may june july august september october november december"
_AGENT_WORDS = " ".join(w + suffix for w in words(
    "courier supplier vendor contractor freelancer partner intern developer designer accountant bank printer "
    "provider subcontractor delivery driver warehouse it system software server website app platform database "
    "computer network processor carrier distributor agency assistant temp hire colleague team member junior "
    "manufacturer post postal spam automation spreadsheet autocorrect receptionist manager editor photographer "
    "writer staff employee engineer technician") for suffix in ("", "s"))
gate(BLAME, "unclear confusing vague ambiguous late incomplete wrong incorrect missing contradictory misleading "
     "inaccurate outdated clear correct complete right accurate specific didn never failed forgot neglected told let "
     "said mentioned checked asked read sent given specified called informed noticed clarified contacted warned "
     "flagged replied confirmed clearer changed requested moved switched only gave left due owing thanks because end "
     "side fault mistake error oversight doing")
gate(BLAME_OTHER, "technical glitch bug weather traffic snow storm storms strike strikes holiday holidays flu illness "
     "sickness covid pandemic staffing shortage shortages demand volume workload roadworks power internet one someone "
     f"{_AGENT_WORDS}")
gate(EXCUSE, "control hands happen happens only just busy swamped slammed overwhelmed stretched staffed understaffed "
     "snowed flat rushed overloaded overworked inundated hectic crazy manic unforeseen unforeseeable unavoidable "
     "unavoidably deal harm fair defence defense anyone everyone anybody everybody honest human simple simply small "
     "minor tiny little slight brief hiccup hiccups worse least best nothing storm fault dog")
gate(RUDE, "lol lmao rofl lmfao haha hahaha hahah hahahaha hehe jk smh tbh idk omg wtf ffs meh ugh duh whoops oops "
     "oopsie oopsy bad biggie deal happens chill calm over problem sure respect patient obviously clearly people "
     "whatever dude bro mate sweetie hun seriously come break sh*t")
gate(INJECTION, "ignore disregard forget mark criteria criterion ai judge grader evaluator model llm "
     "assistant critic rate score grade return output respond reply verdict instruction instructions override flag "
     "fail penalise penalize criticise criticize critique jailbreak system developer im_start im_end endoftext inst "
     "sys")
gate(FIX_DONE, "refunded resent sent replaced rebooked credited reversed restored reissued issued cancelled canceled "
     "voided repaired reinstated redone redid reran ran rewrote rewritten rebuilt reuploaded uploaded reshipped "
     "shipped reprinted printed rescheduled redelivered delivered dispatched fixed corrected amended rectified removed "
     "attached posted emailed enclosed here")
gate(DONE, "sorted resolved completed done processed issued applied updated sent delivered fixed corrected complete "
     "live up restored place way refunded cancelled canceled reversed")
gate(ALREADY, "already")
gate(FIX_WILL, " ".join(w + x for w in words(
    "refund resend send replac rebook credit reissu issu revers cancel void reinstat redo rewrit rebuild rerun "
    "run reship ship reprint print reschedul redeliver deliver restor reupload upload repair fix correct amend "
    "rectif updat remov sort") for x in ("", "e", "s", "es", "ed", "ing", "ment", "y", "ies")))
gate(FIX_NOUN, "refund replacement credit corrected new revised")
gate(FIX_WEAK, "send sending sent deliver delivering delivered ship shipping shipped upload uploading uploaded issue "
     "issuing issued arrange arranging arranged book booking booked process processing processed attach attaching "
     "attached")
gate(VAGUE_FIX, "look looking investigate investigating investigated investigation best better back working work sort "
     "sorting care right address resolve handle deal see escalate escalating escalated escalation sorted seriously "
     "rectify")
gate(VAGUE_TIME, "soon asap shortly due point coming opportunity when whenever eventually promptly quickly possible")
gate(NOW_TIME, "immediately away once now")
gate(MONTH_PREP, _MONTH_WORDS)
gate(DATE_RE, f"# {_WEEKDAY_WORDS} {_MONTH_WORDS}")
gate(TIME_RE, "# noon midday midnight")
gate(RELTIME_RE, "today tomorrow tonight overnight morning afternoon evening week weeks weekend month business working "
     f"play eod cob thing minutes minute hours hour days day lunch lunchtime noon midday {_WEEKDAY_WORDS}")
gate(FORWARD, "now forward future henceforth today point here new upcoming starting time next")
gate(MEASURE, "checklist checklists check checks list lists reminder reminders safeguard safeguards guardrail "
     "guardrails second peer four eyes signoff sign off approval checking verification qa quality proofreading "
     "automated automatic automatically double doublecheck doublechecks doublechecked doublechecking cross crosscheck "
     "crosschecks "
     "crosschecked crosschecking calendar validation audit audits audited auditing training trained retrain retrained "
     "retraining review reviews verify test proofread reconcile before step steps process processes rule rules system "
     "systems procedure procedures alert alerts workflow workflows policy policies template templates control controls "
     "field fields warning warnings limit limits lock locks flag flags")
gate(SOFT_MEASURE, "process procedure workflow policy protocol system alert alerts always every each")
gate(PURPOSE, "sure ensure prevent avoid stop guarantee")
gate(EMPTY_PREVENT, "happen rest repeated recur lesson learned learnt careful vigilant attentive diligent better "
     "harder attention care")
gate(MAKE_GOOD, "free complimentary us cost charge off half price discount discounts discounted waive waived waiving "
     "bonus voucher vouchers gift goodwill gesture thank extra additional credit")
gate(FORGIVENESS, "forgive forgiveness forgiving pardon chance opportunity trust confidence faith working work "
     "relationship partnership collaboration hope hoping trust continuing stay remain")
gate(CONTACT, "call phone ring talk speak meet chat visit discuss walk go hop jump set arrange schedule book come drop "
     "pop text line buzz catch direct mobile cell number reach contact person face")
