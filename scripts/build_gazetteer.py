"""Build mingdan/places/data/divisions.csv from cpca's administrative-division table (run by hand, offline).

    .venv/bin/pip download --no-deps cpca==0.5.5 -d /tmp/cpca && unzip -o /tmp/cpca/*.whl -d /tmp/cpca
    .venv/bin/python scripts/build_gazetteer.py /tmp/cpca/cpca/resources

cpca (MIT licence, github.com/DQinYuan/chinese_province_city_area_mapper) ships `adcodes.csv`, the
PRC's administrative-division codes of provinces, prefecture-level and county-level divisions
(as published by the National Bureau of Statistics), and `56_nations.csv`, the recognised ethnic
groups. This script keeps provinces, prefectures and counties/districts, links each to its parent by
its code, writes the short name people use (海淀区 -> 海淀, 延边朝鲜族自治州 -> 延边), its pinyin
(pypinyin, with the place readings it gets wrong corrected below) and its Cantonese reading
(ToJyutping), so mingdan never needs cpca, pypinyin's phrase guesses or a network at run time.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "mingdan" / "places" / "data" / "divisions.csv"
#: Codes that are groupings of the table, not places: "市辖区", "县", "省直辖县级行政区划".
GROUPINGS = ("市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划")


def main(resources: Path) -> None:
    """Read cpca's tables and write the divisions file."""
    from mingdan.places.readings import han_pinyin, short_name

    with open(resources / "56_nations.csv", encoding="utf-8") as handle:
        nations = [line.strip() for line in handle if line.strip()]
    rows = {}
    with open(resources / "adcodes.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["adcode"][:6]
            if row["name"] in GROUPINGS:
                continue
            rows[code] = row["name"]
    import ToJyutping

    out = []
    for code, name in sorted(rows.items()):
        level = "province" if code[2:] == "0000" else "prefecture" if code[4:] == "00" else "county"
        parent = ""
        if level == "county":
            parent = code[:4] + "00" if code[:4] + "00" in rows else code[:2] + "0000"
        elif level == "prefecture":
            parent = code[:2] + "0000"
        short = short_name(name, nations)
        jyutping = " ".join(j or "?" for _, j in ToJyutping.get_jyutping_list(name))
        if "朝阳" in name:  # 朝 of 朝阳 is ciu4 (towards), not ziu1 (morning)
            jyutping = jyutping.replace("ziu1 joeng4", "ciu4 joeng4")
        out.append({"id": code, "level": level, "name": name, "short": short, "pinyin": " ".join(han_pinyin(name)),
                    "jyutping": jyutping, "parents": parent, "en": "", "aliases": ""})
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(out[0]))
        writer.writeheader()
        writer.writerows(out)
    print(f"{len(out):,} divisions written to {OUT}")
    fill_jyutping(OUT.parent / "beijing.csv")


def fill_jyutping(path: Path) -> None:
    """Write the Cantonese reading of each hand-written place that has none (ToJyutping takes seconds to load,
    so the gazetteer never loads it for the shipped files)."""
    import ToJyutping

    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = list(reader.fieldnames)
        rows = list(reader)
    if "jyutping" not in columns:
        columns.insert(columns.index("pinyin") + 1, "jyutping")
    for row in rows:
        if not row.get("jyutping"):
            row["jyutping"] = " ".join(j or "?" for _, j in ToJyutping.get_jyutping_list(row["name"])).replace(
                "ziu1 joeng4", "ciu4 joeng4")
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        writer.writerows(rows)
    print(f"Cantonese readings filled in {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]))
