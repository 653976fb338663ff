"""Editions sent to a reader's device by e-mail: the address checked, the message, the SMTP transport."""

from .addresses import AddressRefused, checked_address
from .message import EditionTooLarge, edition_message
from .sending import send_edition
from .server import MailNotConfigured, MailServer, mail_server, sender_address
from .transport import DeliveryFailed, DeliveryRefused, deliver

__all__ = [
    "AddressRefused",
    "DeliveryFailed",
    "DeliveryRefused",
    "EditionTooLarge",
    "MailNotConfigured",
    "MailServer",
    "checked_address",
    "deliver",
    "edition_message",
    "mail_server",
    "send_edition",
    "sender_address",
]
