"""`manage.py seed_demo [--employers N] [--seed S] [--if-empty]` (DESIGN.md)."""

import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import (
    BaseCommand,
    CommandError,
    CommandParser,
    no_translations,
)

from crm.demo import DEFAULT_SEED, DEMO_PASSWORD, demo_seed
from crm.models import (
    CaseReference,
    Contact,
    ContactPerson,
    CooperationAssessment,
    Employer,
    EmployerRole,
    FollowUp,
    Office,
    StaffProfile,
    Team,
)


class Command(BaseCommand):
    help = (
        "Loads demo offices (BE, VD, TI), teams, staff and employers. Safe to run "
        "again: nothing is duplicated."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--employers",
            type=int,
            default=2000,
            help="Employers to create, spread 50/30/20 over BE, VD, TI (default "
            "2000; 0 = offices, teams and staff only).",
        )
        parser.add_argument(
            "--seed",
            type=int,
            default=DEFAULT_SEED,
            help="Same seed, same data (default %(default)s).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing when any office exists (what `make run` uses).",
        )

    @no_translations  # console output in English, like Django's own commands
    def handle(self, *args, employers: int, seed: int, if_empty: bool, **options):
        if employers < 0:
            raise CommandError("--employers must be 0 or more.")
        if if_empty and Office.objects.exists():
            self.stdout.write(
                "Offices exist already: demo data not loaded (--if-empty)."
            )
            self._logins_remind()
            return
        started = time.monotonic()
        result = demo_seed(employers=employers, seed=seed)
        seconds = time.monotonic() - started
        self.stdout.write(self.style.SUCCESS(f"Demo data ready in {seconds:.1f} s."))
        for code in result.skipped:
            self.stdout.write(f"{code} had employers already: none added there.")
        self.stdout.write(f"Admin: {settings.SITE_URL}/admin/")
        self.stdout.write(f"Password for every demo login: {DEMO_PASSWORD}")
        self.stdout.write("(Users that existed before keep their own password.)")
        for username, role, office in result.logins:
            self.stdout.write(f"  {username:<16} {role:<24} {office}")
        self.stdout.write(self._summary(result.created.get("employers", 0)))

    def _logins_remind(self) -> None:
        """What `make run` shows on every start: where to log in, and as whom."""
        self.stdout.write(f"Admin: {settings.SITE_URL}/admin/")
        demo = ["admin", "be.staff", "vd.staff", "ti.staff"]
        users = get_user_model().objects.filter(username__in=demo, is_active=True)
        names = [name for name in demo if users.filter(username=name).exists()]
        if names:
            self.stdout.write(
                f"Demo logins: {', '.join(names)} (password {DEMO_PASSWORD}, "
                "unless changed); `manage.py seed_demo` lists them all."
            )

    @staticmethod
    def _summary(added: int) -> str:
        counts = {
            "offices": Office.objects.count(),
            "teams": Team.objects.count(),
            "staff": StaffProfile.objects.count(),
            "employers": Employer.objects.count(),
            "contact_persons": ContactPerson.objects.count(),
            "roles": EmployerRole.objects.count(),
            "assessments": CooperationAssessment.objects.count(),
            "contacts": Contact.objects.count(),
            "follow_ups": FollowUp.objects.count(),
            "cases": CaseReference.objects.count(),
        }
        totals = " ".join(f"{name}={count}" for name, count in counts.items())
        return f"Totals: {totals} (employers added now: {added})"
