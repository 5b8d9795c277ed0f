"""The trainee's web app: persona cards, the chat page, the scorecard page and a JSON API."""
