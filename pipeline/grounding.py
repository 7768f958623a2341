"""Grounding guard: specifics in a message (numbers, money, dates, times, names, contacts) that no source contains.

A draft may only state what the user told us. ``check_grounding`` finds every specific in the text and looks for
it in the sources *after normalising both sides*: "$240" = "240" = "240.00", "5pm" = "5 pm" = "17:00",
"14 March" = "March 14" = "14/03", "+44 20 7946 0000" = "020 7946 0000". Text inside [bracketed placeholders]
is ignored. Capitalised words count as names only when they are not sentence-initial (a short sign-off line
after "Best regards," is checked too) and are neither common English words nor found in the sources.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from .schema import GroundingIssue
from .textspan import (
    ACRONYMS,
    DATE_RE,
    MONTH_NUM,
    MONTHS,
    TIME_RE,
    WEEKDAYS,
    lower_same_length,
    mask,
    normalize,
    placeholder_spans,
    words,
    words_list,
)

_SPECIFIC = re.compile(
    r"(?P<email>[\w.+-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<url>\bhttps?://[^\s<>()\"]+|\bwww\.[^\s<>()\"]+|\b[a-z0-9][a-z0-9-]*\.(?:com|org|net|io|co\.uk|co|dev|app"
    r"|biz|info)\b(?:/[^\s<>()\"]*)?)"
    rf"|(?P<date>{DATE_RE.pattern})|(?P<time>{TIME_RE.pattern})"
    r"|(?P<phone>(?<![\w$\u00a3\u20ac.,])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,5}\)[\s.-]?)?\d{2,5}(?:[\s.-]\d{2,5}){1,4}"
    r"(?![\w%]|[.,]\d))"
    r"|(?P<amount>[$\u00a3\u20ac]\s?\d[\d,]*(?:\.\d+)?(?:\s?(?:k|m|bn)\b)?"
    r"|\b\d[\d,]*(?:\.\d+)?\s?(?:dollars|usd|gbp|eur|euros?|pounds|quid|bucks)\b)"
    r"|(?P<percent>\b\d+(?:\.\d+)?\s?(?:%|per\s?cent\b|percent\b))"
    r"|(?P<number>(?<![\w.,])\d[\d,]*(?:\.\d+)?(?:st|nd|rd|th)?\b)")
_NUM = re.compile(r"\d[\d,]*(?:\.\d+)?")
_ORDINAL = re.compile(r"(?<=\d)(?:st|nd|rd|th)$")
_WORD = re.compile(r"[^\W_]+(?:['-][^\W_]+)*")  # letters of any script: "Café's" is one word
_NAME_TOKEN = re.compile(r"(?<![\w'-])[A-Z\u00c0-\u00d6\u00d8-\u00de][\w'-]*")
_URL_PREFIX = re.compile(r"^(?:https?://)?(?:www\.)?")
_NUMBER_WORDS = {w: str(i) for i, w in enumerate(words_list(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty"))} | {"thirty": "30", "forty": "40", "fifty": "50", "sixty": "60",
                                            "hundred": "100", "twenty-four": "24", "forty-eight": "48"}
_TITLES = words("mr mrs ms miss dr prof sir madam mx dear")
#: Frequent words that may appear capitalised mid-sentence or on a sign-off line; never treated as names.
COMMON = words("i i'm i've i'll i'd we we're we've we'll you you're your yours he she they it its it's this that these "
    "those my our their his her me us them a an the some any all every each no none both either neither another "
    "other such what which who whom whose where when why how there here and but or so yet for nor if as because "
    "since though although while whilst unless until after before once then than also just still even only "
    "again already now today tomorrow tonight yesterday soon later please thank thanks thankyou sorry apologies "
    "apology dear hi hello hey greetings good morning afternoon evening best kind kindest warm warmest regards "
    "wishes sincerely cheers respectfully faithfully cordially take care talk speak many much more most very "
    "really truly in on at by to from with without of off about above below over under into onto through during "
    "within per via re fw fwd subject note ps attached unfortunately fortunately sadly thankfully hopefully "
    "honestly firstly secondly finally lastly additionally meanwhile however therefore moreover furthermore "
    "otherwise instead indeed yes not ok okay well oh team customer client clients support service services "
    "manager director accounts billing sales office department company ltd inc llc plc co corp limited group "
    "studio agency invoice order account report project contract proposal quote receipt refund payment delivery "
    "website page file email e-mail phone call meeting appointment booking schedule deadline update version "
    "draft final new old internet web app online zoom teams thank-you mistake error apologise apologize sure "
    "let yours let's happy glad hope looking forward again speak soon talk best wishes love")
_STOP = COMMON | {a.lower() for a in ACRONYMS} | frozenset(WEEKDAYS)


def _num(text: str) -> str:
    """Canonical form of a numeric token: no commas, no ordinal suffix, no trailing zero decimals."""
    raw = _ORDINAL.sub("", text.replace(",", ""))
    try:
        value = float(raw)
    except ValueError:
        return raw
    return str(int(value)) if value.is_integer() else repr(value)


def _time_keys(text: str) -> set[tuple[int, int]]:
    """(hour, minute) readings of a time expression; ambiguous 12-hour times give both readings."""
    t = text.replace(".", ":").replace(" ", "")
    if t.startswith("noon") or t.startswith("midday"):
        return {(12, 0)}
    if t.startswith("midnight"):
        return {(0, 0)}
    m = re.match(r"(\d{1,2})(?::(\d{2}))?", t)
    if not m:
        return set()
    h, mi = int(m.group(1)), int(m.group(2) or 0)
    if "pm" in t or "p:m" in t:
        return {(h % 12 + 12, mi)}
    if "am" in t or "a:m" in t:
        return {(h % 12, mi)}
    return {(h, mi), ((h + 12) % 24, mi)} if h <= 12 else {(h, mi)}


@dataclass
class _DateParts:
    weekday: str | None = None
    month_days: set[tuple[int, int]] = field(default_factory=set)
    month: int | None = None
    year: str | None = None


def _date_parts(text: str) -> _DateParts:
    """Weekday, (month, day) readings, month and year of a lower-cased date expression."""
    parts = _DateParts()
    words = re.findall(r"[a-z]+|\d+", text)
    parts.weekday = next((w for w in words if w in WEEKDAYS), None)
    months = [MONTH_NUM[w] for w in words if w in MONTH_NUM]
    nums = [w for w in words if w.isdigit()]
    parts.year = next((n for n in nums if len(n) == 4), None)
    days = [int(n) for n in nums if len(n) <= 2]
    if months:
        parts.month = months[0]
        parts.month_days = {(months[0], d) for d in days[:1]}
    elif len(days) >= 2:  # numeric date: read both ways
        a, b = days[0], days[1]
        parts.month_days = {(m, d) for m, d in ((b, a), (a, b)) if 1 <= m <= 12 and 1 <= d <= 31}
        parts.month = None
    return parts


@dataclass
class _Sources:
    words: set[str] = field(default_factory=set)
    nums: set[str] = field(default_factory=set)
    weekdays: set[str] = field(default_factory=set)
    month_days: set[tuple[int, int]] = field(default_factory=set)
    months: set[int] = field(default_factory=set)
    times: set[tuple[int, int]] = field(default_factory=set)
    emails: set[str] = field(default_factory=set)
    phones: set[str] = field(default_factory=set)
    url_text: str = ""


@lru_cache(maxsize=64)
def _index(sources: tuple[str, ...]) -> _Sources:
    """Everything checkable in the sources, normalised (cached: the loop re-checks against the same sources)."""
    low = lower_same_length(normalize("\n".join(sources)))
    src = _Sources(url_text=_URL_PREFIX.sub("", low).replace("https://", "").replace("http://", "").replace("www.", ""))
    for w in _WORD.findall(low):
        src.words.add(w)
        if w.endswith("'s"):  # "Tuesday's opening" grounds "Tuesday"
            w = w[:-2]
            src.words.add(w)
        if w in _NUMBER_WORDS:
            src.nums.add(_NUMBER_WORDS[w])
        if w in WEEKDAYS:
            src.weekdays.add(w)
        if w in MONTH_NUM and len(w) > 3:
            src.months.add(MONTH_NUM[w])
    for m in _SPECIFIC.finditer(low):
        kind, quote = m.lastgroup, m.group()
        if kind not in ("email", "phone", "url"):
            src.nums.update(_num(n) for n in _NUM.findall(quote))
        if kind == "email":
            src.emails.add(quote)
        elif kind == "phone":
            src.phones.add(re.sub(r"\D", "", quote))
        elif kind == "date":
            parts = _date_parts(quote)
            src.month_days |= parts.month_days
            src.months.update(md[0] for md in parts.month_days)
        elif kind == "time":
            src.times |= _time_keys(quote)
    return src


def _grounded(kind: str, quote: str, src: _Sources) -> bool:
    if kind == "email":
        return quote in src.emails
    if kind == "url":
        return _URL_PREFIX.sub("", quote).rstrip("/.,;") in src.url_text
    if kind == "phone":
        digits = re.sub(r"\D", "", quote)
        return any(p[-7:] == digits[-7:] for p in src.phones if len(p) >= 7)
    if kind == "time":
        return bool(_time_keys(quote) & src.times)
    if kind == "date":
        if quote == "24/7":
            return True
        p = _date_parts(quote)
        ok = p.weekday is None or p.weekday in src.weekdays
        if p.month_days:
            ok = ok and bool(p.month_days & src.month_days)
        elif p.month is not None:
            ok = ok and p.month in src.months
        return ok and (p.year is None or p.year in src.nums)
    nums = _NUM.findall(quote)
    value = _num(nums[0]) if nums else quote
    if kind == "amount" and re.search(r"\d\s?k\b", quote):
        value = _num(str(float(value) * 1000))
    return value in src.nums


def _phone_ok(quote: str) -> bool:
    return len(re.sub(r"\D", "", quote)) >= 7


def check_grounding(text: str, sources: Iterable[str]) -> list[GroundingIssue]:
    """Specifics in ``text`` that appear in none of ``sources``, in text order, one issue per distinct specific.

    Kinds: number, amount (money), date, time, name, email, phone, url. Percentages are ``number``.
    """
    src = _index(tuple(sources))
    cased = normalize(text)
    holes = placeholder_spans(cased)
    if holes:
        cased = mask(cased, holes)
    low = lower_same_length(cased)
    issues: list[GroundingIssue] = []
    taken: list[tuple[int, int]] = []
    for m in _SPECIFIC.finditer(low):
        kind, s, e = m.lastgroup or "number", m.start(), m.end()
        quote = m.group().rstrip(".,;:)")
        e = s + len(quote)
        taken.append((s, e))
        if kind == "phone" and not _phone_ok(quote):
            for n in _NUM.finditer(quote):
                if _num(n.group()) not in src.nums:
                    issues.append(GroundingIssue(kind="number", quote=text[s + n.start():s + n.end()],
                                                 start=s + n.start(), end=s + n.end()))
            continue
        if kind == "date" and quote[:1].isalpha() and not cased[s].isupper() and not any(ch.isdigit() for ch in quote):
            continue  # a lower-case month word ("august" as an adjective) is not a date
        if kind == "number" and low[e:e + 1] in (".", ")") and not low[low.rfind("\n", 0, s) + 1:s].strip():
            continue  # a list marker ("1. Refund issued") at the start of a line
        out_kind = "number" if kind == "percent" else kind
        if not _grounded(kind, quote, src):
            issues.append(GroundingIssue(kind=out_kind, quote=text[s:e], start=s, end=e))  # type: ignore[arg-type]
    issues += _names(text, cased, taken, src)
    issues.sort(key=lambda g: g.start)
    seen: set[tuple[str, str]] = set()
    unique = []
    for g in issues:
        key = (g.kind, g.quote.lower())
        if key not in seen:
            seen.add(key)
            unique.append(g)
    return unique


def _initial(cased: str, pos: int) -> bool:
    """True when the word at ``pos`` starts a sentence, line or list item."""
    q = pos - 1
    while q >= 0 and cased[q] in " \t\"'([":
        q -= 1
    if q < 0 or cased[q] in ".!?:\n":
        return True
    if cased[q] in "-*\u2022":
        q -= 1
        while q >= 0 and cased[q] in " \t":
            q -= 1
        return q < 0 or cased[q] == "\n"
    return False


def _signoff_line(cased: str, pos: int) -> bool:
    """True when ``pos`` starts a short line right after a line ending in a comma ("Best regards,\\nSam")."""
    line_start = cased.rfind("\n", 0, pos) + 1
    line_end = cased.find("\n", pos)
    line = cased[line_start:line_end if line_end >= 0 else len(cased)]
    if len(line.split()) > 4 or any(ch in line for ch in ".!?"):
        return False
    before = cased[:line_start].rstrip()
    return before.endswith(",")


def _names(text: str, cased: str, taken: list[tuple[int, int]], src: _Sources) -> list[GroundingIssue]:
    """Capitalised words (and runs of them) that look like names and are not in the sources."""
    issues: list[GroundingIssue] = []
    group: list[tuple[int, int, bool]] = []  # (start, end, is_unknown_name)

    def flush() -> None:
        while group and not group[-1][2]:
            group.pop()
        while group and not group[0][2] and cased[group[0][0]:group[0][1]].lower().rstrip(".") not in _TITLES:
            group.pop(0)
        if any(flag for _, _, flag in group):
            s, e = group[0][0], group[-1][1]
            issues.append(GroundingIssue(kind="name", quote=text[s:e], start=s, end=e))
        group.clear()

    taken_iter = iter(sorted(taken))
    nxt = next(taken_iter, None)
    for m in _NAME_TOKEN.finditer(cased):
        s, e = m.span()
        while nxt is not None and nxt[1] <= s:
            nxt = next(taken_iter, None)
        if nxt is not None and nxt[0] < e:
            flush()
            continue
        word = m.group().rstrip("'-")
        if group and cased[group[-1][1]:s] not in (" ", ". "):
            flush()
        low = word.lower()
        base = low[:-2] if low.endswith("'s") else low
        unknown = (base not in _STOP and base not in src.words and low not in src.words
                   and (not _initial(cased, s) or _signoff_line(cased, s)))
        if base in MONTHS and unknown:
            issues.append(GroundingIssue(kind="date", quote=text[s:s + len(word)], start=s, end=s + len(word)))
            flush()
            continue
        group.append((s, s + len(word), unknown))
        if cased[e:e + 1] in ".,;:!?" and low not in _TITLES:
            flush()
    flush()
    return issues
