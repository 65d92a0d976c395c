"""Transactional campaign mail (confirmation of a subscription, test sends) from the
`<name>.subject.txt`, `<name>.mjml`, `<name>.txt` templates, and the office sender."""

from __future__ import annotations

from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from mjml import mjml2html

from crm.models import Office


def office_sender(office: Office) -> tuple[str, str, str]:
    """(name, address, postal address) of the office as a newsletter's sender."""
    mail_settings = getattr(office, "mail_settings", None)
    if mail_settings is not None:
        return (
            mail_settings.sender_name,
            mail_settings.sender_email,
            mail_settings.postal_address,
        )
    from email.utils import parseaddr

    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return office.name, address, office.name


def office_from_header(office: Office) -> str:
    name, address, _postal = office_sender(office)
    return formataddr((name, address))


def templated_mail_send(
    *, template: str, context: dict, to: str, office: Office
) -> None:
    subject = " ".join(render_to_string(f"{template}.subject.txt", context).split())
    text = render_to_string(f"{template}.txt", context)
    html = mjml2html(render_to_string(f"{template}.mjml", context))
    message = EmailMultiAlternatives(
        subject, text, from_email=office_from_header(office), to=[to]
    )
    message.attach_alternative(html, "text/html")
    message.send()
