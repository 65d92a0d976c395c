"""Local development (`make run`): SQLite and the embedded broker by default."""

from .base import *  # noqa: F403

DEBUG = True

# WhiteNoise warns about a missing static root; collectstatic fills it later.
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
