"""The pages of accounts: my password and my tokens (every reader), and for admins every account,
everyone's tokens and the audit log."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_login import login_user

from ..accounts.passwords import PasswordRefused
from ..accounts.roles import ACCOUNT_ROLES, RoleError, allows
from ..accounts.store import AccountError
from .auth import LOCAL, SignedIn, actor, admin, audit, checked_password, reader, store
from .security import csrf_valid

blueprint = Blueprint("accounts", __name__)
REFUSED = (AccountError, PasswordRefused, RoleError)


@blueprint.get("/account")
@reader
def account_page():
    return _account_page()


@blueprint.post("/account/password")
@reader
def change_password():
    name = _own_name()
    new = request.form.get("new", "")
    if checked_password(name, request.form.get("current", "")) is None:
        return _account_page("The current password is wrong.", 403)
    if new != request.form.get("repeat", ""):
        return _account_page("The new password and its repeat differ: type the same password twice.", 422)
    try:
        store().set_password(name, new)
    except REFUSED as error:
        return _account_page(_sentence(error), 422)
    login_user(SignedIn(store().named(name)))  # this session goes on; the account's others end
    audit("changed the password of", name)
    flash("Your password was changed; your other sessions are signed out.", "notice")
    return redirect(url_for("accounts.account_page"), code=303)


@blueprint.post("/account/tokens")
@reader
def create_token():
    name = _own_name()
    days = request.form.get("days", "").strip()
    try:
        token, secret = store().create_token(name, request.form.get("role") or None,
                                             int(days) if days.isdigit() else None, request.form.get("label", ""))
    except REFUSED as error:
        return _account_page(_sentence(error), 422)
    audit("made a token", f"{name} {token.name}")
    return _account_page(secret=secret)


@blueprint.post("/account/tokens/<int:token_id>/revoke")
@reader
def revoke_own_token(token_id: int):
    name = _own_name()
    try:
        token = store().revoke(token_id, name)
    except AccountError as error:
        abort(404, _sentence(error))
    audit("revoked a token", f"{name} {token.name}")
    return redirect(url_for("accounts.account_page"), code=303)


@blueprint.get("/admin/accounts")
@admin
def accounts_page():
    return _accounts_page()


@blueprint.post("/admin/accounts")
@admin
def add_account():
    _require_csrf()
    name = request.form.get("name", "").strip()
    if request.form.get("password", "") != request.form.get("repeat", ""):
        return _accounts_page("The password and its repeat differ: type the same password twice.", 422)
    try:
        store().add(name, request.form.get("role", ""), request.form.get("password", ""))
    except REFUSED as error:
        return _accounts_page(_sentence(error), 422)
    audit("added the account", name)
    flash(f"The account {name} was added.", "notice")
    return redirect(url_for("accounts.accounts_page"), code=303)


@blueprint.post("/admin/accounts/<name>/remove")
@admin
def remove_account(name: str):
    _require_csrf()
    try:
        store().remove(name)
    except AccountError as error:
        abort(404, _sentence(error))
    audit("removed the account", name)
    flash(f"The account {name} was removed, with its tokens.", "notice")
    return redirect(url_for("accounts.accounts_page"), code=303)


@blueprint.get("/admin/tokens")
@admin
def tokens_page():
    return render_template("web/tokens.html.jinja", tokens=store().tokens())


@blueprint.post("/admin/tokens/<int:token_id>/revoke")
@admin
def revoke_token(token_id: int):
    _require_csrf()
    try:
        token = store().revoke(token_id)
    except AccountError as error:
        abort(404, _sentence(error))
    audit("revoked a token", f"{token.account} {token.name}")
    return redirect(url_for("accounts.tokens_page"), code=303)


@blueprint.get("/admin/audit")
@admin
def audit_page():
    return render_template("web/audit.html.jinja", entries=store().audit(200))


def _own_name() -> str:
    """The signed-in account's name (after the form's CSRF check); a 403 for the account-less default."""
    if request.method == "POST":
        _require_csrf()
    name = actor().name
    if name == LOCAL or actor().token is not None:
        abort(403, "There is no account here yet: make one with `pressroom users add NAME --role admin`.")
    return name


def _account_page(error: str | None = None, status: int = 200, secret: str | None = None):
    name = _own_name()
    held = store().named(name).role
    page = render_template("web/account.html.jinja", error=error, secret=secret, name=name, tokens=store().tokens(name),
                           roles=[role for role in ACCOUNT_ROLES if allows(held, role)])
    return page, status, {"Cache-Control": "no-store"}


def _accounts_page(error: str | None = None, status: int = 200):
    return render_template("web/accounts.html.jinja", error=error, accounts=store().accounts(),
                           roles=ACCOUNT_ROLES, form=request.form if error else {}), status


def _sentence(error: Exception) -> str:
    text = str(error)
    return text[:1].upper() + text[1:] + ("" if text.endswith(".") else ".")


def _require_csrf() -> None:
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
