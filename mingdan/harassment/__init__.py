"""Harassment of participants and of victims' families: counts per year, restrictions, status on a date."""

from .counts import Harassment, YearCount, distinct, families_of_named, per_year
from .restrictions import RESTRICTIONS, PersonRestriction, Spell, longest_restrictions, restricted_on

__all__ = ["RESTRICTIONS", "Harassment", "PersonRestriction", "Spell", "YearCount", "distinct",
           "families_of_named", "longest_restrictions", "per_year", "restricted_on"]
