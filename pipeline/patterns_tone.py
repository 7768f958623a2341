"""Patterns for the negative criteria: blame (``no_blame``), excuses (``no_excuses``), tone (``calm_courteous``)
and instructions aimed at the judge (``INJECTION``). Written for lower-cased text unless noted; each is gated by
key words (``textspan.gate``)."""

from __future__ import annotations

import re

from .textspan import gate, rx, words

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
    r"because\s+you\s+(?:had\s+)?(?!(?:trusted|asked\s+me\s+to\s+fix)\b)[a-z]+ed\b",
    r"as\s+(?:we|i)\s+(?:had\s+)?(?:advised|told|informed|explained|mentioned|warned|notified|stated)\s+(?:you|all|our"
    r"|every|everyone)",
    r"(?:cannot|can't|won't|will\s+not)\s+be\s+held\s+(?:responsible|liable|accountable)",
    r"(?:the|your)\s+(?:brief|spec(?:ification)?|requirements|instructions|scope|copy|content|materials)\s+"
    r"(?:changed|kept\s+changing|arrived\s+late|came\s+(?:in\s+)?late|was\s+changed)",
)
#: Fault shifted onto colleagues, suppliers, systems or circumstances.
BLAME_OTHER = rx(
    rf"(?:our|the|my|a|an)\s+{AGENT}s?(?:'s?)?\s+(?:\w+\s+){{0,2}}?(?:let\s+(?:us|me|you)\s+down|failed|messed\s+up"
    r"|mixed\s+up|screwed\s+up|glitch\w*|crashed|went\s+down|was\s+down|broke|lost|dropped|forgot|didn't|did\s+not"
    r"|never|was\s+late|were\s+late|delayed|had\s+(?:an?\s+|some\s+)?(?:\w+\s+)?(?:problem|issue|glitch|bug|outage"
    r"|error|difficult(?:y|ie))s?|used\s+(?:an?\s+|the\s+)?(?:old|wrong|outdated|incorrect|previous)"
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
    r"\s+shortages?|high\s+(?:demand|volume)|workload|roadworks|power\s+(?:cut|outage)|internet\s+outage"
    r"|(?:\w+\s+)?(?:circumstances|events|conditions))",
    r"because\s+(?:someone|somebody)\s+(?:else\s+)?(?:\w+\s+)?[a-z]+ed\b",
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
    r"(?:only|just)\s+(?:slightly|a\s+(?:little|bit|tad))\s+(?:late|off|wrong|delayed|behind|over)",
    # fatalism: "delays can sometimes occur", "mix-ups are inevitable", "bound to happen"
    r"(?:delays?|mistakes?|errors?|mix-?ups?|problems?|issues?|accidents?|glitches)\s+(?:can|do|will|may)\s+"
    r"(?:sometimes\s+|occasionally\s+|always\s+)?(?:occur|happen|arise)", r"(?:are|is|was|were)\s+(?:simply\s+)?"
    r"(?:inevitable|bound\s+to\s+happen)", r"bound\s+to\s+happen",
    # a busy time as the reason, said of ourselves ("during busy periods", "December is our busiest month"); not
    # the client's ("it hit you in your busiest week")
    r"(?:during|in|at)\s+(?:our\s+)?(?:busiest|busy|peak)\s+(?:times|periods|seasons)",
    r"our\s+busiest\s+(?:time|period|season|month|week|day)",
    # defending the conduct: "which left very little time", "only so much we can do", "as we advised all customers"
    r"left\s+(?:us|me)\s+(?:with\s+)?(?:very\s+|so\s+)?little\s+time", r"only\s+so\s+much\s+(?:we|i|anyone)\s+"
    r"(?:can|could)", r"limits?\s+what\s+(?:can|could)\s+be\s+done", r"for\s+the\s+record",
    r"as\s+(?:we|i)\s+(?:advised|told|informed|warned|notified|explained\s+to)\s+(?:all|every|our)",
    r"cannot\s+be\s+held\s+responsible|can't\s+be\s+held\s+responsible",
    r"(?:was|is)\s+(?:only\s+|just\s+)?(?:a\s+)?(?:ballpark|rough)(?:\s+(?:figure|estimate|guide|number))?")

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

_AGENT_WORDS = " ".join(w + suffix for w in words(
    "courier supplier vendor contractor freelancer partner intern developer designer accountant bank printer "
    "provider subcontractor delivery driver warehouse department system software server website app platform database "
    "computer network processor carrier distributor agency assistant temp hire colleague team member junior "
    "manufacturer post postal spam automation spreadsheet autocorrect receptionist manager editor photographer "
    "writer staff employee engineer technician") for suffix in ("", "s"))
gate(BLAME, "advised informed explained mentioned warned notified stated because held brief spec specification "
     "requirements instructions scope copy content materials unclear confusing vague ambiguous late incomplete wrong "
     "incorrect missing contradictory misleading "
     "inaccurate outdated clear correct complete right accurate specific didn never failed forgot neglected told let "
     "said mentioned checked asked read sent given specified called informed noticed clarified contacted warned "
     "flagged replied confirmed clearer changed requested moved switched only gave left due owing thanks because end "
     "side fault mistake error oversight doing")
gate(BLAME_OTHER, "technical glitch bug weather traffic snow storm storms strike strikes holiday holidays flu illness "
     "sickness covid pandemic staffing shortage shortages demand volume workload roadworks power internet one someone "
     "circumstances events conditions somebody issue glitch problem error hitch difficulty difficulties fault failure "
     "outage issues glitches problems errors hitches faults failures outages "
     f"{_AGENT_WORDS}")
gate(EXCUSE, "control hands happen happens only just busy swamped slammed overwhelmed stretched staffed understaffed "
     "snowed flat rushed overloaded overworked inundated hectic crazy manic unforeseen unforeseeable unavoidable "
     "unavoidably deal harm fair defence defense anyone everyone anybody everybody honest human simple simply small "
     "minor tiny little slight brief hiccup hiccups worse least best nothing storm fault dog delay delays mistake "
     "mistakes error errors mix mixup mixups problem problems issue issues accident accidents glitches inevitable "
     "bound busiest busy peak holiday left much limits limit record advised told informed warned notified explained "
     "held ballpark rough")
gate(RUDE, "lol lmao rofl lmfao haha hahaha hahah hahahaha hehe jk smh tbh idk omg wtf ffs meh ugh duh whoops oops "
     "oopsie oopsy bad biggie deal happens chill calm over problem sure respect patient obviously clearly people "
     "whatever dude bro mate sweetie hun seriously come break sh*t")
gate(INJECTION, "ignore disregard forget mark criteria criterion ai judge grader evaluator model llm "
     "assistant critic rate score grade return output respond reply verdict instruction instructions override flag "
     "fail penalise penalize criticise criticize critique jailbreak system developer im_start im_end endoftext inst "
     "sys")
