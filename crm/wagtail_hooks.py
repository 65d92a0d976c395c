# Each module registers its own viewsets, menu items and panels on import.
from .admin import changes, employers  # noqa: F401
