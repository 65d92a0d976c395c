"""`manage.py api_token_create --office CODE --name NAME [--read-only]
[--expires DAYS]`.

Prints the token alone on the last line (DESIGN.md, contracts): it is shown this
once and stored only as a hash. The line before says when it expires: after
API_TOKEN_DEFAULT_DAYS (365) days unless `--expires DAYS` says otherwise;
`--expires 0` makes a token that never expires.
"""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from crm.models import Office
from integrations.api.services import api_token_create


class Command(BaseCommand):
    help = "Creates an API token for an office and prints it (shown only once)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--office", required=True, help="Office code, e.g. BE.")
        parser.add_argument("--name", required=True, help="Which system uses it.")
        parser.add_argument(
            "--read-only", action="store_true", help="The token may only read."
        )
        parser.add_argument(
            "--expires",
            type=int,
            metavar="DAYS",
            help=(
                "Days until the token expires (default: API_TOKEN_DEFAULT_DAYS, "
                "365; 0: never)."
            ),
        )

    def handle(self, *args, office: str, name: str, read_only: bool, expires, **kw):
        found = Office.objects.filter(code__iexact=office).first()
        if found is None:
            known = ", ".join(Office.objects.values_list("code", flat=True))
            raise CommandError(f"No office {office!r}; known: {known or 'none'}.")
        try:
            issued = api_token_create(
                office=found, name=name, read_only=read_only, expires_in_days=expires
            )
        except ValidationError as exc:
            raise CommandError("; ".join(exc.messages)) from exc
        token = issued.token
        expires_text = token.expires_at.isoformat() if token.expires_at else "never"
        self.stdout.write(
            f"Token {token.prefix}… for {found.code} ({token.name}), "
            f"{'read-only' if read_only else 'read-write'}, expires {expires_text}. "
            "Store it now: it cannot be shown again."
        )
        self.stdout.write(issued.raw)
