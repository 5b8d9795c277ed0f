"""The accounts' tables: who may sign in (em_users) and who is signed in now (em_logins).

Kept beside the session log's tables (same metadata, same migrations). A trainee's sessions are
found through `em_trainees.name`, which is the account's user name: the chat token names the
trainee, so nobody can start a session under another's name.
"""

from __future__ import annotations

from sqlalchemy import Column, Float, ForeignKey, Integer, String
from sqlalchemy.orm import relationship

from extramile.store.models import Base


class User(Base):
    """An account: a trainee, a trainer or an admin."""

    __tablename__ = "em_users"
    id = Column(Integer, primary_key=True)
    username = Column(String(64), nullable=False, unique=True)
    password_hash = Column(String(200), nullable=False)  # argon2id, with its own salt and cost
    role = Column(String(16), nullable=False)  # accounts.Role
    created_at = Column(Float, nullable=False)
    created_by = Column(String(64), nullable=True)  # who made the account (None: the admin command)
    failed_logins = Column(Integer, nullable=False, default=0)  # in a row, since the last success
    locked_until = Column(Float, nullable=True)


class Login(Base):
    """A signed-in browser or client: the cookie holds a random token, the table its hash."""

    __tablename__ = "em_logins"
    id = Column(Integer, primary_key=True)
    token_hash = Column(String(64), nullable=False, unique=True)
    user_id = Column(Integer, ForeignKey("em_users.id"), nullable=False, index=True)
    csrf_token = Column(String(64), nullable=False)
    created_at = Column(Float, nullable=False)
    expires_at = Column(Float, nullable=False)

    user = relationship(User, lazy="joined")
