"""Extra Mile action server package.

`actions.actions` holds the thin Rasa action classes; every other module here is plain Python
that knows nothing of Rasa: persona files, the customer engine, skill scoring and storage.
"""
