"""A second, independently written generator of simulated lists in other hands' styles.

Written without reading mingdan's linkage, name handling or first simulator, so that linkage can
be measured on data it was not tuned on. Standard library only. See docs/other_hands.md.
"""

from .case import OtherHandsCase, simulate, write

__all__ = ["OtherHandsCase", "simulate", "write"]
