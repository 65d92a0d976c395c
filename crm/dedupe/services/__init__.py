"""Writes of the duplicates app: the scan, merging and undoing a merge."""

from .merge import (
    MergeError,
    contact_person_merge,
    employer_merge,
    merge_allowed,
    merge_undo,
)
from .scan import duplicate_scan

__all__ = [
    "MergeError",
    "contact_person_merge",
    "duplicate_scan",
    "employer_merge",
    "merge_allowed",
    "merge_undo",
]
