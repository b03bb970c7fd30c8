"""Custody: from detention events to status on any date and the expected release (pure)."""

from .compute import CustodyView, Step, analyse
from .rules import PRC_RULES, RuleSet

__all__ = ["CustodyView", "PRC_RULES", "RuleSet", "Step", "analyse"]
