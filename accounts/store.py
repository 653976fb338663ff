"""The accounts, their tokens and the audit log in the catalogue's database: every change in one call."""

from __future__ import annotations

import datetime
import hashlib
import json
import re
import secrets
from dataclasses import dataclass

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from ..errors import PressroomError
from .passwords import hash_password, verify_password
from .roles import allows, checked_role
from .schema import accounts, api_tokens, audit_log

NAME = re.compile(r"[\w.@+-]{1,80}")
TOKEN_PREFIX = "pressroom_"
MAX_TOKEN_DAYS = 3650
MAX_AUDIT_ENTRIES = 1000


class AccountError(PressroomError):
    """An account or token that cannot be made, found or changed as asked."""


@dataclass(frozen=True)
class Account:
    id: int
    name: str
    role: str
    session_version: int
    created: datetime.datetime


@dataclass(frozen=True)
class Token:
    """A token as it is listed: never its secret, which is shown once when it is made."""

    id: int
    account: str
    role: str
    label: str
    created: datetime.datetime
    expires: datetime.datetime | None
    last_used: datetime.datetime | None
    revoked: datetime.datetime | None

    @property
    def name(self) -> str:
        return f"{self.label} (#{self.id})" if self.label else f"#{self.id}"


@dataclass(frozen=True)
class AuditEntry:
    at: datetime.datetime
    account: str
    token: str | None
    action: str
    target: str


def now() -> datetime.datetime:
    return datetime.datetime.now(datetime.timezone.utc)


def _aware(moment: datetime.datetime | None) -> datetime.datetime | None:
    """SQLite gives back naive times; they were written in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=datetime.timezone.utc)
    return moment


def token_digest(secret: str) -> str:
    """What is kept of a token: its SHA-256 (a token is 256 random bits, so a fast hash is enough)."""
    return hashlib.sha256(secret.encode("utf-8", "surrogatepass")).hexdigest()


class AccountStore:
    """The accounts of the database behind `engine` (the catalogue's, migrated)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    # Accounts

    def any(self) -> bool:
        with self.engine.connect() as connection:
            return connection.execute(select(accounts.c.id).limit(1)).first() is not None

    def add(self, name: str, role: str, password: str) -> Account:
        if not NAME.fullmatch(name):
            raise AccountError(f"“{name[:80]}” cannot name an account: use 1 to 80 letters, digits and . _ @ + -")
        row = {"name": name, "role": checked_role(role), "password_hash": hash_password(password),
               "session_version": 0, "failures": 0, "created": now()}
        try:
            with self.engine.begin() as connection:
                connection.execute(insert(accounts).values(row))
        except IntegrityError:
            raise AccountError(f"there is already an account called “{name}”: choose another name, "
                               "or change its password with `pressroom users passwd`") from None
        return self.named(name)

    def remove(self, name: str) -> None:
        with self.engine.begin() as connection:
            found = connection.execute(select(accounts.c.id).where(accounts.c.name == name)).scalar()
            if found is None:
                raise AccountError(self._missing(name))
            connection.execute(delete(api_tokens).where(api_tokens.c.account_id == found))
            connection.execute(delete(accounts).where(accounts.c.id == found))

    def set_password(self, name: str, password: str) -> None:
        """Give the account a new password; its sessions end (their version no longer matches)."""
        hashed = hash_password(password)
        with self.engine.begin() as connection:
            changed = connection.execute(update(accounts).where(accounts.c.name == name).values(
                password_hash=hashed, session_version=accounts.c.session_version + 1, failures=0)).rowcount
        if not changed:
            raise AccountError(self._missing(name))

    def accounts(self) -> list[Account]:
        with self.engine.connect() as connection:
            return [self._account(row) for row in connection.execute(select(accounts).order_by(accounts.c.name))]

    def named(self, name: str) -> Account | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(accounts).where(accounts.c.name == name)).first()
        return self._account(row) if row is not None else None

    def by_id(self, account_id: int) -> Account | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(accounts).where(accounts.c.id == account_id)).first()
        return self._account(row) if row is not None else None

    def check_password(self, name: str, password: str) -> Account | None:
        """The account if `password` is its password, else None (a wrong name and a wrong password cost
        the same); wrong passwords are counted for the account's delay, a right one clears them."""
        with self.engine.connect() as connection:
            row = connection.execute(select(accounts).where(accounts.c.name == name[:80])).first()
        if not verify_password(row.password_hash if row is not None else None, password):
            if row is not None:
                with self.engine.begin() as connection:
                    connection.execute(update(accounts).where(accounts.c.id == row.id)
                                       .values(failures=accounts.c.failures + 1))
            return None
        if row.failures:
            with self.engine.begin() as connection:
                connection.execute(update(accounts).where(accounts.c.id == row.id).values(failures=0))
        return self._account(row)

    def edition_options(self, name: str) -> dict[str, str]:
        """The edition options (as query values) the account `name` chose last; {} when none."""
        with self.engine.connect() as connection:
            saved = connection.execute(select(accounts.c.edition_options).where(accounts.c.name == name)).scalar()
        try:
            values = json.loads(saved) if saved else {}
        except ValueError:
            return {}
        return {key: value for key, value in values.items() if isinstance(key, str) and isinstance(value, str)} \
            if isinstance(values, dict) else {}

    def set_edition_options(self, name: str, values: dict[str, str]) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(accounts).where(accounts.c.name == name)
                               .values(edition_options=json.dumps(values, sort_keys=True)))

    def failures(self, name: str) -> int:
        """The wrong passwords given for the account `name` since its last right one (0 for no account)."""
        with self.engine.connect() as connection:
            return connection.execute(select(accounts.c.failures).where(accounts.c.name == name[:80])).scalar() or 0

    # Tokens

    def create_token(self, name: str, role: str | None = None, days: int | None = None,
                     label: str = "") -> tuple[Token, str]:
        """A new token of the account `name` (its role at most the account's; the account's when None),
        and its secret, which is shown once and never kept."""
        account = self.named(name)
        if account is None:
            raise AccountError(self._missing(name))
        role = checked_role(role or account.role)
        if not allows(account.role, role):
            raise AccountError(f"a token of {name} can be at most {account.role}, as the account is, not {role}")
        if days is not None and not 1 <= days <= MAX_TOKEN_DAYS:
            raise AccountError(f"a token expires in 1 to {MAX_TOKEN_DAYS} days, not {days}")
        secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
        made = now()
        with self.engine.begin() as connection:
            token_id = connection.execute(insert(api_tokens).values(
                account_id=account.id, role=role, label=" ".join(label.split())[:80], digest=token_digest(secret),
                created=made, expires=made + datetime.timedelta(days=days) if days else None)
                .returning(api_tokens.c.id)).scalar_one()
        return self.token(token_id), secret

    def token(self, token_id: int) -> Token | None:
        found = self.tokens(token_id=token_id)
        return found[0] if found else None

    def tokens(self, account: str | None = None, token_id: int | None = None) -> list[Token]:
        """The tokens of the account `account` (everyone's when None), the newest first."""
        query = select(api_tokens, accounts.c.name).join(accounts, accounts.c.id == api_tokens.c.account_id)
        if account is not None:
            query = query.where(accounts.c.name == account)
        if token_id is not None:
            query = query.where(api_tokens.c.id == token_id)
        with self.engine.connect() as connection:
            rows = connection.execute(query.order_by(api_tokens.c.id.desc())).all()
        return [Token(row.id, row.name, row.role, row.label, _aware(row.created), _aware(row.expires),
                      _aware(row.last_used), _aware(row.revoked)) for row in rows]

    def revoke(self, token_id: int, account: str | None = None) -> Token:
        """Revoke the token `token_id` (only if it is the account `account`'s, when given)."""
        found = self.token(token_id)
        if found is None or (account is not None and found.account != account):
            raise AccountError(f"there is no token #{token_id}" + (f" of {account}" if account else ""))
        with self.engine.begin() as connection:
            connection.execute(update(api_tokens).where(api_tokens.c.id == token_id, api_tokens.c.revoked.is_(None))
                               .values(revoked=now()))
        return self.token(token_id)

    def token_holder(self, secret: str) -> tuple[Account, Token] | None:
        """The account and token `secret` stands for, if it is valid now (its use is recorded), else None;
        the token's role is at most its account's role today."""
        if not secret.startswith(TOKEN_PREFIX) or len(secret) > 200:
            return None
        with self.engine.connect() as connection:
            row = connection.execute(select(api_tokens.c.id, api_tokens.c.account_id, api_tokens.c.expires,
                                            api_tokens.c.revoked)
                                     .where(api_tokens.c.digest == token_digest(secret))).first()
        moment = now()
        if row is None or row.revoked is not None or (row.expires is not None and _aware(row.expires) <= moment):
            return None
        with self.engine.begin() as connection:
            connection.execute(update(api_tokens).where(api_tokens.c.id == row.id).values(last_used=moment))
        account, token = self.by_id(row.account_id), self.token(row.id)
        if account is None or token is None:
            return None
        return account, token

    # The audit log

    def record(self, account: str, action: str, target: str, token: str | None = None) -> None:
        with self.engine.begin() as connection:
            connection.execute(insert(audit_log).values(at=now(), account=account, token=token, action=action,
                                                        target=target[:500]))

    def audit(self, limit: int = 100) -> list[AuditEntry]:
        """The latest `limit` entries of the audit log, the newest first."""
        with self.engine.connect() as connection:
            rows = connection.execute(select(audit_log).order_by(audit_log.c.id.desc())
                                      .limit(min(limit, MAX_AUDIT_ENTRIES))).all()
        return [AuditEntry(_aware(row.at), row.account, row.token, row.action, row.target) for row in rows]

    @staticmethod
    def _account(row) -> Account:
        return Account(row.id, row.name, row.role, row.session_version, _aware(row.created))

    @staticmethod
    def _missing(name: str) -> str:
        return f"there is no account called “{name[:80]}” (`pressroom users list` lists them)"
