"""Who is asking and what they may do: every route declares its role; a request is signed in by its
session, a Bearer token, or (on the routes that accept it) HTTP Basic; with no account at all, a
request from this computer may do everything, as before accounts."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, current_app, g, redirect, render_template, request, session, url_for
from flask.sessions import SecureCookieSessionInterface
from flask_login import LoginManager, UserMixin, current_user, login_user, logout_user
from werkzeug.datastructures import WWWAuthenticate
from werkzeug.exceptions import Unauthorized
from werkzeug.middleware.proxy_fix import ProxyFix

from .. import settings
from ..accounts.roles import ROLES, allows
from ..accounts.store import TOKEN_PREFIX, Account, AccountStore
from .limits import EXTENSION as LIMITS, SignInLimits, sign_in_limits
from .security import csrf_valid
from .remembered_options import ACCOUNT_OPTIONS
from .state import catalogue

ROLE = "pressroom_role"
BASIC = "pressroom_basic"
WRONG = "The name or the password is wrong."
BASIC_CHALLENGE = WWWAuthenticate("Basic", {"realm": "Pressroom", "charset": "UTF-8"})
LOCAL = "(this computer)"  # who acts when there is no account yet
blueprint = Blueprint("auth", __name__)


def role(name: str):
    """Declare the role a view needs (put it below the route decorator)."""
    if name not in ROLES:
        raise ValueError(f"{name} is not a role")

    def declare(view):
        setattr(view, ROLE, name)
        return view

    return declare


public, reader, editor, admin = (role(name) for name in ROLES)


def basic_auth(view):
    """Let the view be asked for with HTTP Basic (a name and password, or a token as the password), for
    clients without a sign-in form: e-readers, OPDS catalogues."""
    setattr(view, BASIC, True)
    return view


def declared_role(app: Flask, endpoint: str) -> str | None:
    return getattr(app.view_functions.get(endpoint), ROLE, None)


def undeclared(app: Flask) -> list[str]:
    """The endpoints of `app` that declare no role."""
    return sorted(endpoint for endpoint in app.view_functions if declared_role(app, endpoint) is None)


@dataclass(frozen=True)
class Actor:
    """Who makes this request: an account's `name` (None: nobody), its `role` here, the token it used."""

    name: str | None
    role: str
    token: str | None = None
    by_session: bool = False


class SignedIn(UserMixin):
    """An account as Flask-Login keeps it: its id with its session version, so a new password ends it."""

    def __init__(self, account: Account) -> None:
        self.account = account

    def get_id(self) -> str:
        return f"{self.account.id}:{self.account.session_version}"


class SessionByRequest(SecureCookieSessionInterface):
    """The session cookie is Secure whenever the request came over HTTPS (behind a proxy: its header)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


def store() -> AccountStore:
    return AccountStore(catalogue().engine)


def init_app(app: Flask) -> None:
    """Accounts for `app`: Flask-Login, the sign-in limits, the proxy's headers, every route's role checked."""
    hops = int(app.config.get("PROXY_HOPS") or settings.number("PRESSROOM_PROXY_HOPS", 0, maximum=10, above=False))
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)
    app.config.setdefault("SESSION_COOKIE_HTTPONLY", True)
    app.extensions[ACCOUNT_OPTIONS] = store  # a signed-in account's edition options are kept with it
    app.session_interface = SessionByRequest()
    manager = LoginManager(app)
    manager.user_loader(_signed_in)
    app.extensions[LIMITS] = SignInLimits(app)
    app.before_request(guard)
    missing = undeclared(app)
    if missing:
        raise RuntimeError(f"routes without a role: {', '.join(missing)}")


def _signed_in(user_id: str) -> SignedIn | None:
    account_id, _, version = user_id.partition(":")
    if not account_id.isdigit() or not version.isdigit():
        return None
    account = store().by_id(int(account_id))
    return SignedIn(account) if account is not None and account.session_version == int(version) else None


def guard():
    """Let the request through if its actor holds the route's role; else 401 (nobody) or 403."""
    if request.endpoint is None or request.endpoint not in current_app.view_functions:
        return None  # the 404 or 405 page
    view = current_app.view_functions[request.endpoint]
    needed = getattr(view, ROLE)
    actor = g.actor = identify(getattr(view, BASIC, False) or request.blueprint == "api")
    if allows(actor.role, needed):
        return None
    if actor.name is not None:
        abort(403, f"This needs the {needed} role; {actor.name} is {_a(actor.role)}.")
    if request.blueprint == "api":
        raise Unauthorized("Send an API token: Authorization: Bearer TOKEN.",
                           www_authenticate=WWWAuthenticate("Bearer", {"realm": "Pressroom"}))
    if getattr(view, BASIC, False):
        raise Unauthorized("Give your name and password, or a token as the password.",
                           www_authenticate=BASIC_CHALLENGE)
    return redirect(url_for("auth.sign_in_form", next=request.full_path.rstrip("?")), code=303)


def identify(credentials_accepted: bool) -> Actor:
    """The request's actor: from a Bearer token, HTTP Basic (when accepted), the session, or none."""
    sent = request.authorization
    if sent is not None and sent.type == "bearer":
        holder = store().token_holder(sent.token or "")
        if holder is None:
            raise Unauthorized("The token is wrong, revoked or expired.",
                               www_authenticate=WWWAuthenticate("Bearer", {"realm": "Pressroom",
                                                                               "error": "invalid_token"}))
        account, token = holder
        held = token.role if allows(account.role, token.role) else account.role
        return Actor(account.name, held, token.name)
    if sent is not None and sent.type == "basic" and credentials_accepted:
        return _basic(sent.username or "", sent.password or "")
    if current_user.is_authenticated:
        return Actor(current_user.account.name, current_user.account.role, by_session=True)
    if _loopback(request.remote_addr) and not store().any():
        return Actor(LOCAL, "admin", by_session=True)
    return Actor(None, "public")


def _basic(name: str, password: str) -> Actor:
    limits = sign_in_limits()
    limits.check()
    if password.startswith(TOKEN_PREFIX):
        holder = store().token_holder(password)
        if holder is not None and holder[0].name == name:
            account, token = holder
            return Actor(account.name, token.role if allows(account.role, token.role) else account.role, token.name)
    else:
        account = checked_password(name, password)
        if account is not None:
            return Actor(account.name, account.role)
    limits.failed()
    raise Unauthorized(WRONG, www_authenticate=BASIC_CHALLENGE)


def checked_password(name: str, password: str) -> Account | None:
    """The account if `password` is its password, after the account's wait for its wrong passwords."""
    accounts = store()
    wait = sign_in_limits().delay(accounts.failures(name))
    if wait:
        from . import limits

        limits.sleep(wait)
    return accounts.check_password(name, password)


def _loopback(address: str | None) -> bool:
    try:
        return ipaddress.ip_address(address or "").is_loopback
    except ValueError:
        return False


def _a(role_name: str) -> str:
    return f"an {role_name}" if role_name[0] in "aeiou" else f"a {role_name}"


def actor() -> Actor:
    return g.get("actor") or Actor(None, "public")


def audit(action: str, target: str) -> None:
    """Record in the audit log that this request's actor did `action` to `target`."""
    who = actor()
    store().record(who.name or LOCAL, action, target, who.token)


@blueprint.app_context_processor
def signed_in_as():
    return {"actor": actor, "allows": allows}


@blueprint.get("/sign-in")
@public
def sign_in_form():
    return render_template("web/sign-in.html.jinja", error=None, name="", next=_next_page())


@blueprint.post("/sign-in")
@public
def sign_in():
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
    limits = sign_in_limits()
    limits.check()
    name = request.form.get("name", "").strip()
    account = checked_password(name, request.form.get("password", ""))
    if account is None:
        limits.failed()
        return render_template("web/sign-in.html.jinja", error=WRONG, name=name[:80], next=_next_page()), 403
    session.clear()  # a fresh session (and CSRF token) for the signed-in account
    login_user(SignedIn(account))
    return redirect(_next_page(), code=303)


@blueprint.post("/sign-out")
@public
def sign_out():
    if not csrf_valid(session, request.form.get("csrf_token")):
        abort(400, "The form has expired. Reload the page and send it again.")
    logout_user()
    session.clear()
    return redirect(url_for("auth.sign_in_form"), code=303)


def _next_page() -> str:
    """Where to go after signing in: a path of this site only (never another site's address)."""
    wanted = request.values.get("next", "")
    parts = urlsplit(wanted)
    if not wanted.startswith("/") or wanted.startswith("//") or parts.scheme or parts.netloc or "\\" in wanted:
        return url_for("library.index")
    return wanted
