"""Tracking custody in a case: who was held on a date, expected releases, flags."""

from .status import custody_people, held_on, person_status

__all__ = ["custody_people", "held_on", "person_status"]
