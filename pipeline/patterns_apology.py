"""Patterns for apologies (``clear_apology``, ``proportionate``) and admissions (``owns_mistake``).

Written for lower-cased text from the rubric and general usage; each is gated by key words (``textspan.gate``)."""

from __future__ import annotations

import re

from .textspan import gate, rx, words

# --- clear_apology / proportionate -------------------------------------------------------------------------
INT = r"(?:so|very|truly|really|deeply|sincerely|terribly|genuinely|extremely|awfully|incredibly|most|just|also|still)"
APOLOGY = rx(
    rf"(?:i|we)(?:'m|'re|\s+am|\s+are|\s+was|\s+were)\s+(?:{INT}[\s,]+)*sorry",
    r"(?:i|we)(?:'d|'ll)?(?:\s+(?:do|would|must|sincerely|truly|deeply|unreservedly|wholeheartedly|humbly|also|again"
    r"|really|genuinely|fully|want\s+to|wish\s+to|like\s+to|need\s+to|have\s+to))*\s+apologi[sz]e",
    r"(?:my|our)\s+(?:(?:sincere|sincerest|deepest|heartfelt|genuine|humble|honest|unreserved|profound|full|deep)\s+)*"
    r"apolog(?:y|ies)",
    r"please\s+accept\s+(?:my|our|this)\s+(?:\w+\s+)?apolog(?:y|ies)", r"sorry", r"apologies", r"apologi[sz]e")
FEEL = (r"(?:upset|unhappy|disappointed|offended|frustrated|annoyed|angry|confused|bothered|dissatisfied|"
         r"inconvenienced|displeased|hurt|not\s+happy)")
CONDITIONAL = re.compile(
    r"\s*,?\s*(?:(?:for\s+)?(?:if|in\s+case|should|whether)\b"
    r"|(?:that\s+|to\s+hear\s+(?:that\s+)?)?you(?:'ve|\s+have|\s+had|\s+may|\s+might|\s+must)?(?:\s+have)?"
    rf"(?:\s+been)?\s+(?:feel|felt|think|thought|found|find|see|saw|perceived?|took|view(?:ed)?|consider(?:ed)?"
    rf"|believed?|may|might|feeling|{FEEL})\b"
    rf"|(?:that\s+)?you(?:'re|\s+are|\s+were|\s+got)\s+(?:so\s+|very\s+|a\s+bit\s+|feeling\s+)?{FEEL}\b"
    r"|(?:that\s+)?(?:this|it|that)\s+(?:may|might|could)\s+have\b)")
NOUNS = (r"(?:inconvenience|confusion|trouble|frustration|issues?|problems?|misunderstanding|disruption|hassle"
          r"|difficult(?:y|ies)|discomfort|concerns?|upset|distress)")
GENERIC = re.compile(rf"\s*,?\s*(?:for|about)\s+(?:(?:any|whatever)\s+(?:\w+\s+){{0,2}}?{NOUNS}"
                      r"|(?:the|this|all\s+the)\s+(?:\w+\s+)?(?:inconvenience|confusion)(?!\s+(?:i|we)\b))\b")
DISTANCED = rx(
    rf"regrets?\s+(?:any|all|the)\s+(?:\w+\s+)?{NOUNS}", r"(?:it\s+is|it's|this\s+is)\s+(?:most\s+"
    r"|very\s+)?regrettable",
    r"apologies\s+(?:are|were|have\s+been)\s+(?:made|offered|extended|issued)", r"an\s+apology\s+is\s+(?:owed|due)",
    r"(?:the|our)\s+(?:company|firm|team|management|business|agency|store|studio|shop|organi[sz]ation|department"
    r"|practice|office|staff)\s+(?:sincerely\s+|deeply\s+|would\s+like\s+to\s+|wishes\s+to\s+)?(?:regrets|apologi[sz]es"
    r"|is\s+sorry)")
REGRET = rx(r"(?:i|we)\s+(?:\w+ly\s+)?regret")
FORGIVE_ME = rx(r"forgive\s+(?:me|us)", r"pardon\s+(?:me|us)")
GROVEL = rx(
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
SUBJ = r"(?:i|we)(?:'ve|'d|\s+have|\s+had)?"
ADV = (r"(?:(?:completely|totally|simply|just|clearly|also|then|accidentally|mistakenly|wrongly|carelessly"
        r"|inadvertently|somehow|actually|really|stupidly|badly|definitely|def|honestly|properly|well\s+and\s+truly)\s+)?")
ADMIT = rx(
    r"(?:it|that|this)(?:'s|\s+is|\s+was)\s+(?:entirely\s+|completely\s+|all\s+|fully\s+|totally\s+|squarely\s+)?"
    r"(?:(?:my|our)\s+(?:own\s+)?(?:mistake|error|fault|oversight|doing|responsibility|blunder|slip)|on\s+(?:me|us))",
    r"the\s+(?:mistake|error|fault|blame|responsibility)\s+(?:is|was|lies|rests)\s+(?:entirely\s+|all\s+)?"
    r"(?:mine|ours|with\s+(?:me|us)|on\s+(?:me|us))",
    r"my\s+(?:own\s+)?(?:mistake|error|fault|oversight|blunder|mix-?up|slip-?up)",
    r"(?:i|we)\s+(?:take|accept|own)\s+(?:full\s+|complete\s+|total\s+|sole\s+)?(?:responsibility|the\s+blame"
    r"|ownership|accountability|(?:this|that|the|my|our)\s+(?:mistake|error))",
    rf"{SUBJ}\s+{ADV}(?:made|make)\s+(?:a|an|the|this|that|two|several|some|another|one)\s+(?:\w+\s+)?"
    r"(?:mistake|error|blunder|oversight|slip|miscalculation|mess|typo)",
    r"(?:i|we)\s+(?:was|were)\s+(?:wrong|at\s+fault|careless|responsible|to\s+blame|mistaken|late|sloppy)",
    # behaviour the sender owns: "I snapped at you", "I lost my temper", "I was rude to you"
    rf"{SUBJ}\s+{ADV}(?:snapped|shouted|yelled|swore|sworn|barked)\s+at\s+you",
    r"(?:i|we)\s+(?:lost\s+my\s+temper|raised\s+my\s+voice|hung\s+up\s+on\s+you|talked\s+down\s+to\s+you"
    r"|(?:was|were)\s+(?:rude|curt|short|dismissive|sarcastic|unprofessional)(?:\s+(?:to|with)\s+you)?)",
    rf"(?:{SUBJ}\s+|{SUBJ}\s+[a-z]+ed\b[^.;!?\n]{{0,60}}?\band\s+){ADV}(?:forgot|forgotten|missed|overlooked|neglected|failed\s+to|misread|misunderstood|misjudged"
    r"|miscalculated|misspel(?:led|t)|mislabell?ed|misplaced|misfiled|misquoted|misaddressed|mistyped|mixed\s+up"
    r"|messed\s+up|screwed\s+up|slipped\s+up|dropped\s+the\s+ball|got\s+(?:\w+\s+){0,3}?wrong|double-?(?:booked"
    r"|charged|billed|counted|sent|paid)|overcharged|undercharged|over-?billed|lost|deleted|broke|omitted"
    r"|left\s+(?:out|off)|let\s+you\s+down|should(?:\s+have|'ve)|did\s+not|didn't|never|botched|bungled|fumbled"
    r"|(?:under|over)-?(?:specified|estimated|quoted|ordered|filled|packed|stated|sold|booked|paid|charged))"
    r"(?!\s+(?:receive|get|got|hear|heard|have|had|mean|meant|intend)\b)",
    rf"{SUBJ}\s+(?:accidentally|mistakenly|wrongly|incorrectly|inadvertently|carelessly|erroneously)\s+\w+")
NOT_ADMIT_BEFORE = re.compile(r"(?:\b(?:if|whether|unless)\s+(?:\w+\s+)?|(?:don't|do\s+not|didn't)\s+(?:think|believe)"
                               r"\s+(?:that\s+)?|\b(?:not|never|hardly|isn't|wasn't)\s+(?:\w+\s+)?)$")
FP_PAST = re.compile(r"\b(?:i|we)(?:'ve|\s+have|\s+had|'d)?\s+(?:(?:\w+ly|also|then|just|already)\s+)?"
                      r"(\w+ed|sent|made|gave|took|put|left|wrote|told|let|ran|brought|got|set|paid|built|kept|cut"
                      r"|spent|sold|did|hit|shown|given|taken|written|done)\b")
NOT_MISTAKE_VERBS = words("refunded corrected resent replaced rebooked credited fixed restored reissued reversed "
"cancelled canceled "
    "updated added issued attached included arranged introduced asked hoped wanted noticed realised realized "
    "called emailed contacted informed looked reviewed learned apologised apologized confirmed received heard "
    "tried started decided discussed talked needed wished appreciated valued enjoyed worked planned expected "
    "implemented processed removed amended rectified redone rewritten rebuilt dispatched scheduled rescheduled "
    "booked")
#: Verbs that are not mistakes in themselves ("I booked", "I scheduled") but are when the clause names the error.
NEUTRAL_VERBS = words("booked scheduled added issued attached included arranged updated processed dispatched removed "
                       "introduced emailed")
STRONG_CUE = rx(r"(?:the\s+|a\s+|an\s+)?wrong", r"twice", r"by\s+mistake", r"in\s+error", r"by\s+accident",
                  r"instead\s+of", r"without\s+(?:checking|asking|confirming|telling)",
                  r"to\s+(?:a\s+|an\s+)?(?:different|another|other)\s+\w+", r"someone\s+else")
CUE = rx(r"wrong(?:ly)?", r"unlocked", r"unlatched", r"unattended", r"unchecked", r"unsigned", r"unsent",
         r"incorrect\w*", r"twice", r"double\w*", r"duplicate\w*", r"instead\s+of", r"by\s+mistake",
           r"in\s+error", r"by\s+accident", r"accidentally", r"mistaken\w*", r"outdated", r"out\s+of\s+date",
           r"last\s+(?:year|month|week)'s", r"previous", r"old", r"late", r"too\s+(?:early|late|soon)",
           r"without\s+\w+", r"before\s+(?:checking|confirming|testing|reading|proofreading|you)", r"missing",
           r"error", r"mistake", r"typo", r"rather\s+than", r"not\s+the", r"no\s+longer", r"expired", r"broken",
           r"faulty", r"damaged", r"incomplete", r"overdue", r"wiped", r"erased", r"overwr(?:ote|itten)",
           r"corrupt\w*", r"leaked", r"exposed", r"meant\s+for",
           r"to\s+(?:a\s+|an\s+)?(?:different|another|other)\s+\w+", r"snarky", r"sarcastic", r"rude", r"offensive",
           r"insulting", r"mocking",
           r"when\s+(?:it|they|that)\s+(?:was|were|should\s+have\s+been)\s+(?:only\s+)?[$£€]?\d[\d,.]*")
PASSIVE = rx(
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

gate(APOLOGY, "sorry apologise apologize apologies apology")
gate(DISTANCED, "regret regrets regrettable apologies apology apologises apologizes sorry")
gate(REGRET, "regret")
gate(FORGIVE_ME, "forgive pardon")
gate(GROVEL, "so very truly really deeply terribly idiot moron fool useless hopeless incompetent terrible awful "
        "worst "
        "stupid pathetic embarrassment failure disaster ashamed mortified devastated embarrassed gutted hate despise "
        "forgive horrible sick dreadful wretched sorry beg begging grovel grovelling groveling grovels grovelled "
        "groveled knees deserve unforgivable words")
gate(ADMIT, "mistake mistakes error errors fault oversight doing responsibility blunder slip slipup me us mine ours"
        " snapped shouted yelled swore sworn barked lost raised hung talked rude curt short dismissive sarcastic "
        "unprofessional "
        "blame bad mix mixup take accept own ownership accountability made make wrong careless responsible mistaken "
        "late sloppy forgot forgotten missed overlooked neglected failed misread misunderstood misjudged miscalculated "
        "misspelled misspelt mislabeled mislabelled misplaced misfiled misquoted misaddressed mistyped mixed messed "
        "screwed slipped dropped got double doublebooked doublecharged doublebilled doublecounted doublesent doublepaid"
        " "
        "overcharged undercharged over overbilled billed lost deleted broke omitted left let should didn not never "
        "botched bungled fumbled under underspecified underestimated underquoted underordered underfilled underpacked "
        "understated undersold underbooked underpaid undercharged overspecified overestimated overquoted overordered "
        "overfilled overpacked overstated oversold overbooked overpaid specified estimated quoted ordered filled "
        "packed stated sold booked paid charged definitely def honestly properly truly "
        "accidentally mistakenly wrongly incorrectly inadvertently carelessly erroneously")
gate(PASSIVE, "mistake mistakes error errors issue issues problem problems glitch glitches mix mixup oversight "
        "discrepancy discrepancies miscommunication misunderstanding hiccup there incorrectly wrongly erroneously twice"
        " "
        "accident accidentally incorrect wrong erroneous duplicate inaccurate outdated got inadvertently mistakenly "
        "unfortunately")
