"""Sending e-mail through the configured SMTP server."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from flask import current_app


class MailNotConfigured(RuntimeError):
    pass


def send_mail(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; raises on failure so that the caller can tell the person."""
    config = current_app.config
    if not config["QK_MAIL_SERVER"]:
        raise MailNotConfigured("QK_MAIL_SERVER is not set")
    message = EmailMessage()
    message["From"] = config["QK_MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message.set_content(body)
    with smtplib.SMTP(config["QK_MAIL_SERVER"], config["QK_MAIL_PORT"], timeout=15) as smtp:
        if config["QK_MAIL_STARTTLS"]:
            # Verify the server's certificate and name; smtplib's default context checks neither.
            smtp.starttls(context=ssl.create_default_context())
        if config["QK_MAIL_USERNAME"]:
            smtp.login(config["QK_MAIL_USERNAME"], config["QK_MAIL_PASSWORD"])
        smtp.send_message(message)


def external_url(path: str) -> str:
    """An absolute link for mails: QK_BASE_URL if set, else the address of the current request."""
    from flask import request

    base = current_app.config["QK_BASE_URL"] or request.host_url.rstrip("/")
    return base + path
