# Each module registers its own viewsets, menu items and panels on import.
from .admin import cases, changes, contacts, employers, office_rules  # noqa: F401
