"""How good a linkage is against known truth: pairwise and B-cubed precision, recall and F1."""

from __future__ import annotations

import re

import csv
import io
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path


COLUMNS = ("source", "record_id", "person_id")
NEWLINE = b"\n"


def read_truth(path: Path, encoding: str | None = None) -> dict[tuple[str, str], str]:
    """(source, record_id) -> true person from a truth.csv (source, record_id, person_id) in the given encoding, else
    one told by its byte-order mark or content as an import tells it (UTF-8, UTF-16, GB18030, Big5); ValueError
    names the row."""
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise ValueError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise ValueError(f"{path}: a folder, not a file") from None
    except OSError as exc:
        raise ValueError(f"{path}: cannot be read ({exc.strerror or exc})") from None
    if not data.strip():
        raise ValueError(f"{path}: the file is empty (it needs the columns source, record_id, person_id)")
    text = _decoded(path, data, encoding)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        raise ValueError(f"{path}:1: not a CSV header ({exc})") from None
    # Header cells as people type them: any case, spaces around.
    position = {cell.strip().lower(): at for at, cell in enumerate(header or ())}
    missing = [column for column in COLUMNS if column not in position]
    if missing:
        from mingdan.ingest.text_encoding import misread_header

        found = ', '.join(repr(cell) for cell in header or ()) or 'no header'
        raise ValueError(f"{path}: needs the columns source, record_id, person_id (missing {', '.join(missing)}; "
                         f"found {found[:200]}{' …' if len(found) > 200 else ''}){misread_header(header, encoding)}")
    truth: dict[tuple[str, str], str] = {}
    while True:
        row_number = reader.line_num + 1
        try:
            row = next(reader, None)
        except csv.Error as exc:
            raise ValueError(f"{path}:{row_number}: {exc} (a double quote that is never closed?)") from None
        if row is None:
            break
        if not any(cell.strip() for cell in row):
            continue  # a blank line
        values = {}
        for column in COLUMNS:
            value = row[position[column]].strip() if position[column] < len(row) else ""
            if not value:
                raise ValueError(f"{path}:{row_number}:{column}: empty")
            if "\n" in value or "\r" in value or '"' in value:
                raise ValueError(f"{path}:{row_number}:{column}: holds a line break or a double quote "
                                 "(a double quote that is never closed?)")
            values[column] = value
        key, person = (values["source"], values["record_id"]), values["person_id"]
        if truth.get(key, person) != person:
            raise ValueError(f"{path}:{row_number}: {key[0]}:{key[1]} is given two people, {truth[key]} and {person}")
        truth[key] = person
    if not truth:
        raise ValueError(f"{path}: no rows")
    return truth


#: What a wrong decoding leaves in text: private-use, control (C0 but tab and line ends, C1) and replacement
#: characters, and UTF-8's lead and trail bytes read one by one as Latin-1 or Windows-1252 (大 -> 'å¤§').
_MISDECODED = re.compile("[\ue000-\uf8ff\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd]"
                         "|[\u00c2-\u00ef][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192"
                         "\u02c6\u02dc\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac"
                         "\u2122]")


def looks_misdecoded(text: str) -> bool:
    """Whether text holds what a wrong decoding leaves (_MISDECODED), as no list name is typed."""
    return bool(_MISDECODED.search(text or ""))


def _decoded(path: Path, data: bytes, encoding: str | None) -> str:
    """The file's text; an error names the row whose bytes are not of the encoding."""
    import codecs

    from mingdan.ingest.problems import ImportFailed
    from mingdan.ingest.text_encoding import detect_encoding, given_encoding

    if encoding is not None:
        try:
            encoding = given_encoding(path, encoding)
        except LookupError:
            raise ValueError(f"{path}: unknown encoding {encoding!r} (utf-8, utf-16, gb18030, big5 …)") from None
    try:
        # utf-8-sig: a spreadsheet's CSV export often starts with a byte-order mark.
        chosen = encoding or detect_encoding(path)
    except ImportFailed:
        raise ValueError(f"{path}: cannot tell the file's encoding (not UTF-8, UTF-16, GB18030 or Big5); "
                         "give it with --encoding") from None
    chosen = "utf-8-sig" if chosen.lower().replace("_", "-") in ("utf-8", "utf8") else chosen
    try:
        text = data.decode(chosen)
    except UnicodeDecodeError as exc:
        # A line is counted by its newline byte only where a newline is one byte (not UTF-16 or UTF-32).
        wide = chosen.lower().startswith(("utf-16", "utf-32"))
        where = str(path) if wide else f"{path}:{data.count(NEWLINE, 0, exc.start) + 1}"
        shown = "utf-8" if chosen == "utf-8-sig" else chosen
        raise ValueError(f"{where}: not {shown} text (byte {exc.start}); give the file's encoding with "
                         "--encoding (utf-8, utf-16, gb18030, big5), or save it as UTF-8 CSV") from None
    return text.removeprefix("\ufeff")


def read_truths(paths: "list[Path]", encoding: str | None = None) -> dict[tuple[str, str], str]:
    """One truth from several files (a simulation's lists and its family lists); a record given two people is an
    error naming both files."""
    truth: dict[tuple[str, str], str] = {}
    seen_in: dict[tuple[str, str], Path] = {}
    for path in paths:
        for key, person in read_truth(path, encoding).items():
            if truth.get(key, person) != person:
                raise ValueError(f"{key[0]}:{key[1]} is {truth[key]} in {seen_in[key]} and {person} in {path}")
            truth[key] = person
            seen_in.setdefault(key, path)
    return truth


def coverage(predicted: dict, truth: dict) -> dict:
    """Which of the case's records the truth names, source by source, and which of the truth's the case holds."""
    case_by_source: Counter = Counter(source for source, _ in predicted)
    named_by_source: Counter = Counter(key[0] for key in predicted if key in truth)
    truth_by_source: Counter = Counter(source for source, _ in truth)
    return {"case_records": len(predicted), "scored": sum(named_by_source.values()),
            "truth_records": len(truth),
            "case_records_not_in_truth": {source: n - named_by_source[source]
                                          for source, n in sorted(case_by_source.items())
                                          if n > named_by_source[source]},
            "truth_sources_not_in_case": {source: n for source, n in sorted(truth_by_source.items())
                                          if source not in case_by_source}}


def _pairs(groups: dict[str, list]) -> set[tuple]:
    found = set()
    for members in groups.values():
        found.update(combinations(sorted(members), 2))
    return found


def scores(predicted: dict, truth: dict) -> dict:
    """Pairwise and B-cubed precision, recall and F1 of predicted clusters over the records in both."""
    keys = [k for k in predicted if k in truth]
    by_predicted, by_true = defaultdict(list), defaultdict(list)
    for key in keys:
        by_predicted[predicted[key]].append(key)
        by_true[truth[key]].append(key)
    predicted_pairs, true_pairs = _pairs(by_predicted), _pairs(by_true)
    hits = len(predicted_pairs & true_pairs)
    # A ratio over no pairs is undefined (None), not perfect: one list alone has no true pairs to find.
    precision = hits / len(predicted_pairs) if predicted_pairs else None
    recall = hits / len(true_pairs) if true_pairs else None
    b_precision = b_recall = 0.0
    for key in keys:
        mine = set(by_predicted[predicted[key]])
        real = set(by_true[truth[key]])
        both = len(mine & real)
        b_precision += both / len(mine)
        b_recall += both / len(real)
    b_precision /= max(len(keys), 1)
    b_recall /= max(len(keys), 1)
    f1 = lambda p, r: 2 * p * r / (p + r) if p + r else 0.0  # noqa: E731
    if precision is None or recall is None:
        # Pairs found where there are none to find, or none found where there are some: F1 0; neither: undefined.
        pairwise_f1 = None if precision is None and recall is None else 0.0
    else:
        pairwise_f1 = f1(precision, recall)
    return {"records": len(keys), "true_pairs": len(true_pairs), "predicted_pairs": len(predicted_pairs),
            "pairwise": {"precision": precision, "recall": recall, "f1": pairwise_f1},
            "bcubed": {"precision": b_precision, "recall": b_recall, "f1": f1(b_precision, b_recall)},
            "predicted_people": len(by_predicted), "true_people": len(by_true)}


def case_clusters() -> dict[tuple[str, str], str]:
    """(source, record_id) -> person id as the case holds it now (unlinked records stand alone)."""
    from mingdan.store.models import Record

    return {(source, record_id): person or f"{source}:{record_id}"
            for source, record_id, person in Record.objects.values_list("source__name", "record_id", "person__person_id")}


def link_warnings() -> list[str]:
    """What the scores cannot show about the links: a case never linked, records imported since the last run."""
    from mingdan.store.models import LinkRun, Record

    if not LinkRun.objects.exists():
        return ["the case has not been linked (`mingdan link`); every record is scored as its own person"]
    waiting = Counter(Record.objects.filter(person__isnull=True).values_list("source__name", flat=True))
    if not waiting:
        return []
    return [f"{sum(waiting.values()):,} records were imported after the last link and are scored as their own "
            f"people ({', '.join(f'{source}: {n:,}' for source, n in sorted(waiting.items()))}); run `mingdan link` "
            "(or `mingdan link --incremental`) first"]


def review_band_share(truth: dict) -> float | None:
    """Share of the true pairs whose latest score fell in the review band (None: no true pairs)."""
    from mingdan.store.models import LinkRun, Record

    from .decisions import review_links

    if not LinkRun.objects.exists():
        return 0.0
    key = {pk: (source, rid) for pk, source, rid in Record.objects.values_list("pk", "source__name", "record_id")}
    by_true = defaultdict(list)
    for pk, k in key.items():
        if k in truth:
            by_true[truth[k]].append(pk)
    true_pairs = {tuple(sorted(p)) for p in _pairs(by_true)}
    in_review = {tuple(sorted(p)) for p in review_links().values_list("record_a", "record_b")}
    return len(true_pairs & in_review) / len(true_pairs) if true_pairs else None
