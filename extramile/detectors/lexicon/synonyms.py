"""Words a service agent's paraphrase may swap for the customer's own, each mapped to one key.

"billed" then echoes "charged", and "money back" echoes "refund". Multi-word stock phrases are
collapsed to a key before single words are matched.
"""

_GROUPS = {
    "charge": "charge bill debit take",
    "refund": "refund reimburse repay",
    "broken": "broken break faulty damage damaged defective fault",
    "late": "late delay delayed overdue",
    "upset": "angry upset annoy annoyed frustrate frustrated furious mad fed",
    "worry": "worry worried concern concerned anxious nervous scared afraid",
    "parcel": "parcel package delivery order",
    "money": "money cash fund",
    "internet": "internet broadband wifi connection",
    "phone": "phone mobile call ring",
    "cancel": "cancel terminate stop",
    "tired": "tired exhausted",
    "happy": "happy glad pleased",
    "sad": "sad unhappy",
    "wrong": "wrong incorrect mistake error",
    "fix": "fix repair sort resolve",
    "twice": "twice double",
    "wait": "wait waiting hold",
    "help": "help support assist",
    "want": "want wish like",
    "hard": "difficult hard tough struggle",
}
SYNONYMS: dict[str, str] = {word: key for key, words in _GROUPS.items() for word in words.split()}

PHRASES: dict[str, str] = {
    "money back": "refund",
    "not working": "broken",
    "doesn't work": "broken",
    "does not work": "broken",
    "stopped working": "broken",
    "won't work": "broken",
    "call back": "phone",
    "ring back": "phone",
    "phone back": "phone",
    "taken out": "charge",
    "fed up": "upset",
    "not happy": "upset",
    "feeling down": "sad",
    "feel down": "sad",
    "cut off": "cancel",
    "on hold": "wait",
}
