"""Extra Mile's Rasa action server (`rasa run actions --actions actions`): a thin adapter.

Rasa's SDK imports this package and creates each action when the server starts; the action
builds the practice-session service from the settings then, so the first trainee waits for
nothing. Everything the action does is in the `extramile` package.
"""
