"""Hands finished message bytes to the mail server.

With Django's SMTP backend configured (EMAIL_URL smtp://…), messages go over one
persistent smtplib connection per worker process, reused by every batch that
process sends; with any other backend (console, locmem, a provider through
anymail) each message goes to that backend as an EmailMessage, more slowly.

Failures are sorted the way SMTP sorts them: 4xx is temporary (retry later), 5xx
is permanent (the address goes on the suppression list).
"""

from __future__ import annotations

import contextlib
import smtplib
import ssl

from anymail.exceptions import AnymailError, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.utils import DNS_NAME

SMTP_BACKEND = "django.core.mail.backends.smtp.EmailBackend"


class SendFailure(Exception):
    def __init__(self, code: int, message: str) -> None:
        super().__init__(f"{code} {message}")
        self.code = code
        self.message = message

    @property
    def permanent(self) -> bool:
        return 500 <= self.code < 600


class SmtpTransport:
    takes_bytes = True

    def __init__(self) -> None:
        self.connection: smtplib.SMTP | None = None

    def _open(self) -> smtplib.SMTP:
        timeout = getattr(settings, "EMAIL_TIMEOUT", None) or 30
        cls = smtplib.SMTP_SSL if settings.EMAIL_USE_SSL else smtplib.SMTP
        # DNS_NAME is cached: smtplib would otherwise look up the FQDN per connection.
        connection = cls(
            settings.EMAIL_HOST,
            settings.EMAIL_PORT,
            local_hostname=DNS_NAME.get_fqdn(),
            timeout=timeout,
        )
        if settings.EMAIL_USE_TLS:
            connection.starttls(context=ssl.create_default_context())
        if settings.EMAIL_HOST_USER:
            connection.login(settings.EMAIL_HOST_USER, settings.EMAIL_HOST_PASSWORD)
        return connection

    def send(self, envelope_from: str, to: str, raw: bytes) -> None:
        for attempt in (1, 2):
            if self.connection is None:
                try:
                    self.connection = self._open()
                except (OSError, smtplib.SMTPException) as exc:
                    raise SendFailure(421, f"cannot connect: {exc}") from exc
            try:
                self.connection.sendmail(envelope_from, [to], raw)
                return
            except smtplib.SMTPRecipientsRefused as exc:
                code, message = next(iter(exc.recipients.values()))
                self._reset()
                raise SendFailure(code, _text(message)) from exc
            except smtplib.SMTPResponseException as exc:
                self._reset()
                raise SendFailure(exc.smtp_code, _text(exc.smtp_error)) from exc
            except (smtplib.SMTPServerDisconnected, OSError) as exc:
                self.close()
                if attempt == 2:
                    raise SendFailure(421, f"connection lost: {exc}") from exc

    def _reset(self) -> None:
        try:
            self.connection.rset()
        except (smtplib.SMTPException, OSError):
            self.close()

    def close(self) -> None:
        if self.connection is not None:
            with contextlib.suppress(smtplib.SMTPException, OSError):
                self.connection.quit()
            self.connection = None


def _text(message) -> str:
    return (
        message.decode(errors="replace") if isinstance(message, bytes) else str(message)
    )


class BackendTransport:
    """Any other Django mail backend: a provider's API through anymail, locmem,
    console. These build their own MIME (or JSON) from an EmailMessage, so they get
    one per recipient (`sending.delivery_email`), not finished bytes."""

    takes_bytes = False

    def send_email(self, message: EmailMessage) -> None:
        try:
            get_connection().send_messages([message])
        except AnymailRecipientsRefused as exc:
            raise SendFailure(550, f"refused by the provider: {exc}") from exc
        except (AnymailError, smtplib.SMTPException, OSError) as exc:
            # An API error (a 429, the provider down, a bad key) is not the
            # address's fault: retried with backoff, never suppressed.
            raise SendFailure(451, f"provider error: {exc}") from exc

    def close(self) -> None:
        pass


_transport: SmtpTransport | BackendTransport | None = None
_transport_key: tuple | None = None


def transport_get() -> SmtpTransport | BackendTransport:
    """The process's transport; a new one when the mail settings changed (tests)."""
    global _transport, _transport_key
    key = (settings.EMAIL_BACKEND, settings.EMAIL_HOST, settings.EMAIL_PORT)
    if _transport is None or key != _transport_key:
        if _transport is not None:
            _transport.close()
        smtp = settings.EMAIL_BACKEND == SMTP_BACKEND
        _transport = SmtpTransport() if smtp else BackendTransport()
        _transport_key = key
    return _transport
