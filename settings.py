"""Every environment variable Pressroom reads, in one place: what each means, its default, and its
value checked (a wrong one is a SettingError naming the variable and the fix)."""

from __future__ import annotations

import math
import os
from dataclasses import dataclass

from .errors import PressroomError


class SettingError(PressroomError):
    """An environment variable holds a value Pressroom cannot use."""


@dataclass(frozen=True)
class Variable:
    """One environment variable: its name, what it sets, and its default in words."""

    name: str
    means: str
    default: str = ""

    def text(self) -> str:
        """The variable's value, stripped; "" when unset."""
        return os.environ.get(self.name, "").strip()


VARIABLES = (
    Variable("PRESSROOM_DATA_DIR", "the data folder of an installed Pressroom (its library, instance "
             "folder, catalogue)", "the platform's user data folder"),
    Variable("PRESSROOM_CACHE_DIR", "where what is the same from run to run is kept (compiled templates, "
             "covers, hyphenation patterns)", "the platform's user cache folder"),
    Variable("SOURCE_DATE_EPOCH", "the date of editions whose article has none (seconds since 1970)",
             "the source file's modification time"),
    Variable("PRESSROOM_EXPORT_SECONDS", "how long one export may take", "60"),
    Variable("PRESSROOM_EXPORT_MEMORY_MB", "how much address space one export may take, in MiB", "3072"),
    Variable("PRESSROOM_FETCH_SECONDS", "how long one fetch may take, redirects included; a page and its "
             "images together may take three times that", "30"),
    Variable("PRESSROOM_FETCH_ALLOWED_HOSTS", "hosts a server may fetch from although their addresses are "
             "not public, separated by commas (`serve --allow-host` adds to them)", "none"),
    Variable("PRESSROOM_QUEUE", "the Redis queue exports run on, redis://[:password@]host:port/db "
             "(`--queue` wins; give a password here, not on the command line)", "no queue"),
    Variable("PRESSROOM_QUEUE_VISIBILITY_SECONDS", "how long a job taken by a worker that died waits before "
             "another worker takes it", "twice the export limit plus 30"),
    Variable("PRESSROOM_QUEUE_STALL_SECONDS", "how long a queue may stand still before a waiting job says "
             "no worker is taking jobs", "60"),
    Variable("PRESSROOM_PRINT_ICC", "the CMYK printer profile (an .icc file) of print-ready editions "
             "(`export --icc` sets it for one run)", "Ghostscript's SWOP profile, bundled"),
    Variable("PRESSROOM_PRINT_TRIM", "the custom trim size print-ready editions offer, WIDTHxHEIGHT in inches "
             "or with mm, within 4-8.5 × 6-11.69 in (`export --custom-trim` sets it for one run)", "none"),
    Variable("PRESSROOM_DATABASE", "the catalogue's database, postgresql://user:password@host:port/name, "
             "shared by several servers on one library", "a SQLite file per content folder"),
    Variable("PRESSROOM_CATALOGUE_DIR", "where the SQLite catalogues are kept, one file per content folder",
             "catalogues/ in the instance folder (the data folder of an installed Pressroom)"),
    Variable("PRESSROOM_WALK_SECONDS", "how long after the catalogue's last look at the content folder ended a "
             "page looks again for files changed outside Pressroom", "5"),
    Variable("PRESSROOM_SMTP_URL", "the mail server editions are sent to devices through: "
             "smtp://user:password@host:port (STARTTLS required), smtps://user:password@host:port (implicit TLS), "
             "or smtp://host:port for a local relay without credentials", "none: sending is off"),
    Variable("PRESSROOM_MAIL_FROM", "the sender address of editions sent to devices (an e-reader service takes "
             "mail only from the addresses its user approved)", "none: required for sending"),
    Variable("PRESSROOM_MAIL_MAX_MB", "the largest edition sent to a device, in MB (its file, before the "
             "message's encoding)", "50"),
    Variable("PRESSROOM_SECRET_KEY", "the web UI's session key", "generated on first run and kept in the "
             "instance folder"),
    Variable("PRESSROOM_SIGN_IN_ATTEMPTS", "wrong passwords (sign-in form or HTTP Basic) one address may give in "
             "a window before it gets 429 until the window ends", "10"),
    Variable("PRESSROOM_SIGN_IN_WINDOW_SECONDS", "the window of PRESSROOM_SIGN_IN_ATTEMPTS, in seconds", "300"),
    Variable("PRESSROOM_SIGN_IN_DELAY_SECONDS", "the longest wait before a password of an account that was given "
             "wrong passwords is checked (the wait grows with them; 0 turns it off)", "4"),
    Variable("PRESSROOM_PROXY_HOPS", "how many reverse proxies stand before the server: their X-Forwarded-For, "
             "-Proto and -Host headers are believed (the client's address, HTTPS for Secure cookies)", "0"),
    Variable("PRESSROOM_TRUSTED_HOSTS", "the Host names the web UI answers to, separated by commas "
             "(required with `serve --host 0.0.0.0`)", "the served host, and the loopback names"),
)
_BY_NAME = {variable.name: variable for variable in VARIABLES}


def text(name: str) -> str:
    """The value of the documented variable `name`, stripped ("" when unset)."""
    return _BY_NAME[name].text()


def set_for_this_run(name: str, value: str) -> None:
    """Give the documented variable `name` a value in this process and the export workers it starts (a
    command-line flag that stands for a setting)."""
    os.environ[_BY_NAME[name].name] = value


def library_search_path() -> str:
    """The library search paths the environment gives the system's dynamic linker: not a setting of
    Pressroom's, but part of what decides which system libraries an engine opens."""
    return "\0".join(os.environ.get(name, "") for name in ("LD_LIBRARY_PATH", "DYLD_LIBRARY_PATH"))


def names(name: str) -> tuple[str, ...]:
    """The variable `name` as a list of names separated by commas."""
    return tuple(part.strip() for part in text(name).split(",") if part.strip())


def number(name: str, default: float, minimum: float = 0.0, maximum: float = float("inf"),
           above: bool = True) -> float:
    """The variable `name` as a number (`default` when unset), above `minimum` (or at least it when
    `above` is False) and at most `maximum`."""
    value = text(name)
    if not value:
        return default
    try:
        found = float(value)
    except ValueError:
        found = float("nan")
    if not math.isfinite(found) or not ((found > minimum) if above else (found >= minimum)) or found > maximum:
        bound = f"above {minimum:g}" if above else f"at least {minimum:g}"
        raise SettingError(f"{name}={value[:40]} is not a number {bound}"
                           + (f" and at most {maximum:g}" if maximum != float("inf") else "")
                           + f" (unset it for {default:g})")
    return found


def documentation() -> str:
    """The variables as a Markdown table (docs/settings.md holds it; a test keeps the two in step)."""
    rows = [f"| `{variable.name}` | {variable.means} | {variable.default} |" for variable in VARIABLES]
    return "\n".join(["| variable | what it sets | default |", "|---|---|---|", *rows])
