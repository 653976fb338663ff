"""Sending a made edition to a reader's address: the one function every door (CLI, web UI, queue
worker) calls once it has the edition."""

from __future__ import annotations

from ..exporters import Edition, EditionPlan
from .addresses import checked_address
from .message import edition_message
from .server import mail_server, sender_address
from .transport import deliver


def send_edition(title: str, plan: EditionPlan, edition: Edition, recipient: str) -> str:
    """Send the main file of `edition` (planned by `plan`, of the publication titled `title`) to
    `recipient` through the configured mail server; the attachment's file name. Every setting and the
    size are checked before the server is reached."""
    server, sender, address = mail_server(), sender_address(), checked_address(recipient)
    message = edition_message(title, plan, edition.main, sender, address)
    deliver(server, message, sender, address)
    return message.get_payload()[1].get_filename()
