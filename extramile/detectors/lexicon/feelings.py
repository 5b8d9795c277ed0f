"""What customers say they feel: naming one back ("you sound really let down") is a reflection."""

FEELINGS: tuple[str, ...] = tuple(
    """
angry annoyed anxious betrayed cheated confused disappointed embarrassed exhausted frustrated hurt
irritated misled nervous overwhelmed relieved sad scared shocked stressed stuck surprised tired
uncomfortable unhappy upset worried hopeful happy pleased glad afraid concerned unsure uncertain
desperate helpless powerless trapped ignored inconvenienced
""".split()
) + (
    "let down",
    "fed up",
    "fobbed off",
    "out of pocket",
    "in the dark",
    "ripped off",
    "messed around",
    "left hanging",
)
