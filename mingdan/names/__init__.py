"""Chinese-aware names: scripts, romanizations, comparable keys and graded comparison (a pure core)."""

from .keys import Level, NameKeys, compare_names, explain_names, linkage_columns, name_keys

__all__ = ["Level", "NameKeys", "compare_names", "explain_names", "linkage_columns", "name_keys"]
