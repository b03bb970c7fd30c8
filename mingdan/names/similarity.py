"""String similarity of romanized names, graded the way DuckDB grades it in SQL."""

from __future__ import annotations


def jaro_winkler(a: str, b: str) -> float:
    """Jaro-Winkler similarity of two strings (0..1), as Winkler (1990) and DuckDB define it."""
    if a == b:
        return 1.0 if a else 0.0
    if not a or not b:
        return 0.0
    window = max(max(len(a), len(b)) // 2 - 1, 0)
    matched_a, matched_b = [False] * len(a), [False] * len(b)
    matches = 0
    for i, ch in enumerate(a):
        for j in range(max(0, i - window), min(len(b), i + window + 1)):
            if not matched_b[j] and b[j] == ch:
                matched_a[i] = matched_b[j] = True
                matches += 1
                break
    if not matches:
        return 0.0
    order_b = [b[j] for j in range(len(b)) if matched_b[j]]
    # Half the out-of-order matches, rounded down, and the prefix boost only above 0.7: Winkler's
    # definition, which DuckDB's jaro_winkler_similarity also follows, so SQL and Python grade alike.
    transpositions = sum(ch != order_b[k] for k, ch in enumerate(c for i, c in enumerate(a) if matched_a[i])) // 2
    jaro = (matches / len(a) + matches / len(b) + (matches - transpositions) / matches) / 3
    if jaro <= 0.7:
        return jaro
    prefix = 0
    for x, y in zip(a[:4], b[:4]):
        if x != y:
            break
        prefix += 1
    return jaro + prefix * 0.1 * (1 - jaro)


__all__ = ["jaro_winkler"]
