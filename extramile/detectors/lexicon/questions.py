"""The small words that decide what kind of question a chat sentence is."""

# Words a chat sentence may open with that do not change what kind of question follows.
LEAD_INS: frozenset[str] = frozenset(
    """
so and but ok okay well right alright now um uh er hmm sorry oh yeah yes no great thanks sure then
also mm hm ah just and, excuse me pardon hi hello see i see,
""".split()
)

# An auxiliary (or a word standing in for one) opening a sentence: a yes/no question follows.
AUXILIARIES: frozenset[str] = frozenset(
    """
do does did is are was were have has had can could will would should shall may might am don't
doesn't didn't isn't aren't wasn't weren't haven't hasn't can't couldn't won't wouldn't shouldn't
any anything anyone everything everyone ever you is't
""".split()
)

# Subjects that, after an auxiliary, make a yes/no question even without a "?".
SUBJECTS: frozenset[str] = frozenset(
    """
you i we it they he she that this there your the anyone anything u ya someone everything any
""".split()
)

# Replies of a word or two that only acknowledge ("Okay.", "Right?") and ask nothing.
BACKCHANNEL: frozenset[str] = frozenset(
    """
yeah yes right okay ok sorry alright all mm huh really pardon hmm mm-hmm uh-huh yep no so oh is it
that correct
""".split()
)

# Noises that may stand before a question ("Uh-huh, so how often ...?").
NOISES: frozenset[str] = frozenset("uh huh mm hmm mhm um er ah oh yep".split())

# Words that open a question.
QUESTION_STARTS: frozenset[str] = frozenset(
    """
do does did can could would will is are was were have has had should shall may might am
what how why when where which who whose anything any
""".split()
)

# What a "what"/"how" question asks for when it asks for one fact, not an explanation.
FACT_NOUNS: tuple[str, ...] = tuple(
    """
number name postcode zip address email date time day reference id model colour color size card
account code amount price total balance age year month phone version make serial order password
username
""".split()
)
HOW_MUCH: tuple[str, ...] = tuple("many much long often old far soon likely sure".split())
