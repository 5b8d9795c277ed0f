"""Accounts and sign-in: trainees, trainers and admins, their passwords and their logins.

Passwords are hashed with argon2id (argon2-cffi's defaults: salted, memory-hard). Repeated failed
sign-ins lock the account for a while, and an unknown user name costs as much time as a wrong
password, so a guesser learns nothing from either. A login is a random token: the browser keeps it
in an HTTP-only cookie, the database only its SHA-256, so a copy of the database signs nobody in.
Every function takes the database session and the time, and leaves the transaction to the caller.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, get_args

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from extramile.store.account_models import Login, User

Role = Literal["trainee", "trainer", "admin"]
ROLES: tuple[Role, ...] = get_args(Role)
STAFF: frozenset[str] = frozenset({"trainer", "admin"})  # may see every trainee's sessions
USERNAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{1,63}")
MIN_PASSWORD_CHARS = 10
MAX_PASSWORD_CHARS = 1000  # hashing a megabyte-long "password" would only waste time
LOGIN_HOURS = 12.0

_hasher = PasswordHasher()


class AccountError(ValueError):
    """An account that cannot be made as asked; the message says what to change."""


class LoginRefused(Exception):
    """A sign-in that failed; the message is safe to show (it never says which part was wrong)."""


@dataclass(frozen=True)
class LockoutPolicy:
    attempts: int = 5  # failed sign-ins in a row before the account is locked
    minutes: float = 15.0


def check_username(username: str) -> str:
    if not USERNAME.fullmatch(username):
        raise AccountError(
            "A user name is 2 to 64 characters: letters, digits, '.', '_' or '-', "
            "starting with a letter or digit."
        )
    return username


def check_password(password: str) -> str:
    if not MIN_PASSWORD_CHARS <= len(password) <= MAX_PASSWORD_CHARS:
        raise AccountError(f"A password is {MIN_PASSWORD_CHARS} to {MAX_PASSWORD_CHARS} characters long.")
    return password


def may_create(creator: Role | None, role: Role) -> bool:
    """Admins (and the admin command, `creator` None) make any account; trainers make trainees."""
    return creator in (None, "admin") or (creator == "trainer" and role == "trainee")


def find_user(db: Session, username: str) -> User | None:
    return db.execute(select(User).where(User.username == username)).scalar_one_or_none()


def create_user(
    db: Session, username: str, password: str, role: Role, now: float, created_by: User | None = None
) -> User:
    if role not in ROLES:
        raise AccountError(f"A role is one of {', '.join(ROLES)}, not '{role}'.")
    creator_role: Role | None = created_by.role if created_by else None
    if not may_create(creator_role, role):
        raise AccountError("Trainers can make trainee accounts only; ask an admin for the others.")
    check_username(username)
    check_password(password)
    if find_user(db, username) is not None:
        raise AccountError(f"The user name '{username}' is taken: choose another.")
    user = User(
        username=username,
        password_hash=_hasher.hash(password),
        role=role,
        created_at=now,
        created_by=created_by.username if created_by else None,
        failed_logins=0,
    )
    db.add(user)
    db.flush()
    return user


def set_password(db: Session, user: User, password: str) -> None:
    user.password_hash = _hasher.hash(check_password(password))
    user.failed_logins, user.locked_until = 0, None
    db.execute(delete(Login).where(Login.user_id == user.id))  # every other login ends
    db.flush()


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    return _hasher.hash(secrets.token_urlsafe(16))


def authenticate(db: Session, username: str, password: str, now: float, policy: LockoutPolicy) -> User:
    """The user these credentials sign in; LoginRefused otherwise (also while locked out)."""
    user = find_user(db, username) if USERNAME.fullmatch(username) else None
    if user is not None and user.locked_until is not None and user.locked_until > now:
        minutes = max(1, round((user.locked_until - now) / 60))
        raise LoginRefused(f"Too many failed sign-ins: this account is locked for {minutes} more minute(s).")
    try:
        _hasher.verify(user.password_hash if user else _decoy_hash(), password[:MAX_PASSWORD_CHARS])
    except (VerificationError, InvalidHashError):
        if user is not None:
            user.failed_logins = (user.failed_logins or 0) + 1
            if user.failed_logins >= policy.attempts:
                user.locked_until, user.failed_logins = now + policy.minutes * 60, 0
            db.flush()
        raise LoginRefused("Wrong user name or password.") from None
    if user is None:  # the decoy matched: cannot happen, but never sign in nobody
        raise LoginRefused("Wrong user name or password.")
    user.failed_logins, user.locked_until = 0, None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    db.flush()
    return user


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def start_login(db: Session, user: User, now: float, hours: float = LOGIN_HOURS) -> tuple[str, Login]:
    """A new login for the user: the token for the cookie, and the login (with its CSRF token)."""
    token = secrets.token_urlsafe(32)
    login = Login(
        token_hash=_token_hash(token),
        user_id=user.id,
        csrf_token=secrets.token_urlsafe(32),
        created_at=now,
        expires_at=now + hours * 3600,
    )
    db.add(login)
    db.flush()
    return token, login


def find_login(db: Session, token: str, now: float) -> Login | None:
    """The live login with this token, if any (expired logins are removed as they are met)."""
    login = db.execute(select(Login).where(Login.token_hash == _token_hash(token))).scalar_one_or_none()
    if login is not None and login.expires_at <= now:
        db.delete(login)
        db.flush()
        return None
    return login


def end_login(db: Session, token: str) -> None:
    db.execute(delete(Login).where(Login.token_hash == _token_hash(token)))


def users(db: Session) -> list[User]:
    return list(db.execute(select(User).order_by(User.role, User.username)).scalars())
