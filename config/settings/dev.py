"""Local development: `make run`. SQLite and the embedded broker unless told otherwise."""

from .base import *  # noqa: F403

DEBUG = True
