"""Rasa's REST channel (same URL, /webhooks/rest/webhook, and same metadata), never silent."""

from rasa.core.channels.rest import RestInput
from sanic import Blueprint

from channels.silence import OnNewMessage, answer_or_explain
from extramile.settings import load_settings


class TrainerRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        return super().blueprint(answer_or_explain(on_new_message, load_settings().action_server_url))
