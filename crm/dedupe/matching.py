"""Pure functions the duplicate scan compares with: no database here."""

from __future__ import annotations

import re
import unicodedata

# Legal forms and their usual spellings in DE/FR/IT/EN, after accents, punctuation
# and case are gone ("S.à r.l." → "s a r l" → removed as a sequence below).
LEGAL_FORM_WORDS = frozenset(
    [
        "ag",
        "sa",
        "gmbh",
        "sarl",
        "sagl",
        "srl",
        "ltd",
        "llc",
        "inc",
        "plc",
        "kg",
        "kgaa",
        "gbr",
        "co",
        "cie",
        "sas",
        "snc",
        "genossenschaft",
        "cooperative",
        "cooperativa",
        "societe",
        "societa",
        "soc",
        "coop",
        "verein",
        "association",
        "associazione",
        "stiftung",
        "fondation",
        "fondazione",
        "einzelfirma",
        "einzelunternehmen",
        "raison",
        "individuelle",
        "zweigniederlassung",
        "succursale",
        "suisse",
        "svizzera",
        "schweiz",
        "filiale",
        "in",
        "liquidation",
        "liq",
    ]
)
# Dotted abbreviations split into letters ("S.A." → "s a"); joined back before the
# word test so that a one-letter word like "a" in a name survives.
LEGAL_FORM_LETTERS = ("s a r l", "s a g l", "s r l", "s a", "a g", "s a s")

FREE_MAIL_DOMAINS = frozenset(
    [
        "gmail.com",
        "googlemail.com",
        "bluewin.ch",
        "gmx.ch",
        "gmx.net",
        "gmx.de",
        "gmx.at",
        "hotmail.com",
        "hotmail.ch",
        "outlook.com",
        "live.com",
        "msn.com",
        "yahoo.com",
        "yahoo.fr",
        "yahoo.de",
        "yahoo.it",
        "icloud.com",
        "me.com",
        "mac.com",
        "sunrise.ch",
        "swissonline.ch",
        "hispeed.ch",
        "tele2.ch",
        "green.ch",
        "protonmail.com",
        "proton.me",
        "proton.ch",
        "web.de",
        "t-online.de",
        "orange.fr",
        "free.fr",
        "laposte.net",
        "wanadoo.fr",
        "libero.it",
        "tiscali.it",
        "tiscali.ch",
        "vtxnet.ch",
        "netplus.ch",
        "bluemail.ch",
        "quickline.ch",
        "solnet.ch",
        "aol.com",
        "mail.ch",
    ]
)

_NON_WORD = re.compile(r"[^a-z0-9]+")


def ascii_fold(text: str) -> str:
    """Lower case without accents; German umlauts as their two-letter spelling too
    would be nicer, but "Müller"/"Mueller" is what the fuzzy score is there for."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return decomposed.encode("ascii", "ignore").decode("ascii").lower()


def name_normalise(name: str) -> str:
    """ "Müller-Bau AG", "MUELLER BAU S.A." → "muller bau" / "mueller bau"."""
    text = " " + _NON_WORD.sub(" ", ascii_fold(name)).strip() + " "
    for letters in LEGAL_FORM_LETTERS:
        text = text.replace(f" {letters} ", " ")
    words = [word for word in text.split() if word not in LEGAL_FORM_WORDS]
    return " ".join(words)


def person_name_normalise(first_name: str, last_name: str) -> str:
    return " ".join(_NON_WORD.sub(" ", ascii_fold(f"{first_name} {last_name}")).split())


def uid_digits(uid: str | None) -> str:
    """The nine digits of a UID whatever its spelling; "" when there are not nine."""
    digits = re.sub(r"\D", "", uid or "")
    return digits if len(digits) == 9 else ""


def email_domain(email: str | None) -> str:
    """The domain of an address, "" for free-mail providers and non-addresses."""
    _local, at, domain = (email or "").strip().lower().rpartition("@")
    if not at or not domain or domain in FREE_MAIL_DOMAINS:
        return ""
    return domain


def pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)
