"""Stopwords, number words, days and months: what content-word matching leaves out or reads as a fact."""

_STOPWORDS = """
a an the and or but if so then than that this these those there here of to in on at by for with from
about as into over after before under again further once i me my mine myself we us our ours you your
yours yourself he him his she her hers it its they them their what which who whom whose when where
why how all any both each few more most other some such no nor not only own same too very s t can
will just do does did done be is am are was were been being have has had having would could should
shall may might must ok okay yeah yes oh um uh hmm mm well really just like kind sort thing things
get got go going gonna want wanna know think say said tell mean right now also lot bit much
something anything everything someone anyone one way even still back up out n't 's 're 've 'll 'd 'm
let make feel seem sound hear understand see look maybe quite pretty
re ve ll nt gon na ta dunno kinda sorta gotta because cause yep nope mhm hey thank thanks please sure
little probably actually basically guess suppose
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORDS.split())

# Number words that stay words once the others are turned into digits: "twice" is a fact of its own.
NUMBER_WORDS: frozenset[str] = frozenset({"twice", "hundred", "thousand", "dozen"})
UNITS: tuple[str, ...] = tuple("two three four five six seven eight nine".split())
TEENS: tuple[str, ...] = tuple(
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split()
)
TENS: tuple[str, ...] = tuple("twenty thirty forty fifty sixty seventy eighty ninety".split())

# Currency words and the symbol a customer would type for them.
CURRENCY_WORDS: dict[str, str] = {"pound": "£", "quid": "£", "dollar": "$", "buck": "$", "euro": "€"}

_DAYS_MONTHS = """
monday tuesday wednesday thursday friday saturday sunday january february march april may june july
august september october november december yesterday today tomorrow weekend
"""
DAYS_MONTHS: frozenset[str] = frozenset(_DAYS_MONTHS.split())

# Words that name nobody: after "I'm" or "this is" they say how someone is, not who ("I'm sorry",
# "this is awful"), and capitalised they start a sentence ("I'm", "I've").
NOT_NAMES: frozenset[str] = frozenset(
    """
i i'm i've i'll i'd sorry afraid happy glad here going just so really not very sure pleased
delighted sad unable able aware afraid awful terrible great fine good right wrong correct true
the a an from with your in on at now back still calling writing checking looking listening
""".split()
)

# Words of greetings and small talk: a customer line made only of these reports nothing to
# paraphrase ("Hi. Sorry to bother you.", "Hello! I'll try to stay calm.").
SMALL_TALK: frozenset[str] = frozenset(
    """
hi hello hiya hey morning afternoon evening thanks thank bother sorry ok okay calm try rant hope
good fine nice meet please help chat there stay keep patient quick question
""".split()
)
