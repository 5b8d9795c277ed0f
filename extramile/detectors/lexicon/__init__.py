"""The detectors' word lists, kept apart from their code (as spaCy keeps its language data).

Data only, reviewed for customer-service chat: `words` (stopwords, numbers, days and months),
`synonyms` (words and stock phrases a paraphrase may swap), `questions` (the small words that
decide what kind of question a sentence is) and `feelings` (what customers say they feel).
Nothing here was fitted to a benchmark: the AnnoMI counselling set is used only to measure.
"""
