"""The message that carries an edition: one attachment with the edition's media type and the file name a
download of it has, refused before anything is sent when it is over the size limit."""

from __future__ import annotations

import datetime
import re
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from ..errors import PressroomError
from ..exporters import EditionFile, EditionPlan
from ..exporters.filenames import edition_filename, option_words
from .server import max_edition_bytes


class EditionTooLarge(PressroomError):
    """An edition larger than a message may carry (PRESSROOM_MAIL_MAX_MB)."""


def edition_message(title: str, plan: EditionPlan, file: EditionFile, sender: str, recipient: str) -> EmailMessage:
    """A message from `sender` to `recipient` whose subject is the publication's `title` and whose one
    attachment is the edition's main `file`, named as its download is. EditionTooLarge when the file is
    over the limit."""
    limit = max_edition_bytes()
    if len(file.data) > limit:
        raise EditionTooLarge(f"the {plan.exporter.label} edition of “{title}” holds {_mb(len(file.data))} MB, "
                              f"more than a message may carry ({_mb(limit)} MB, PRESSROOM_MAIL_MAX_MB): send a "
                              "smaller edition (EPUB, or fewer images)")
    _, name = edition_filename(title, plan.exporter.extension, option_words(plan))
    message = EmailMessage()
    message["From"] = sender
    message["To"] = recipient
    message["Subject"] = re.sub(r"[\x00-\x1f\x7f-\x9f]+", " ", title).strip() or name  # one line, as headers are
    message["Date"] = format_datetime(datetime.datetime.now(datetime.timezone.utc))
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    message.set_content(f"{name}, the {plan.exporter.label} edition of “{title}”, is attached.\n")
    maintype, _, subtype = file.media_type.partition("/")
    message.add_attachment(file.data, maintype=maintype, subtype=subtype, filename=name)
    return message


def _mb(size: int) -> str:
    return f"{size / 1_000_000:.3g}"
