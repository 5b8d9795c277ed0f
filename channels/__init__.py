"""Rasa input channels for Extra Mile (loaded by the Rasa server from credentials.yml)."""
