"""Running `mingdan` as a user does, in a real process, for the command-line tests."""

from __future__ import annotations

import os
import subprocess
import sys


def run(*args) -> subprocess.CompletedProcess:
    """`python -m mingdan.cli ARGS` outside the test's Django settings, wide enough that lines do not wrap."""
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env["COLUMNS"] = "300"
    return subprocess.run([sys.executable, "-m", "mingdan.cli", *map(str, args)], env=env, capture_output=True,
                          text=True)


def mingdan(*args) -> str:
    """Its standard output; the test fails with its standard error unless it succeeds."""
    result = run(*args)
    assert result.returncode == 0, result.stderr
    return result.stdout


#: Pinyin pairs and whether linkage.model.one_letter_apart_sql calls them one letter apart, in DuckDB and Spark.
ONE_LETTER_APART = {
    ("wangxiaoping", "wangxiaopiing"): True, ("yanghaofei", "yanghaofie"): True, ("liashanjun", "liaoshanjun"): True,
    ("wangxiaoping", "wangxiaoming"): True, ("wangxiaoping", "wangxiaopingg"): True,
    ("zhangjianguo", "zhangjiangguo"): True, ("wangxiaoping", "wangxiaobing"): True, ("abcdefgh", "hbcdefga"): True,
    ("yanghaofei", "yanghaofei"): False, ("situ xinhua", "si tuxinhua"): False, ("wang xiaoping", "wang xiaopiing"): True,
    ("wangxiaoping", "wangxiaobin"): False, ("liming", "lining"): False, ("fu jiaming", "xu jiaming"): False,
    ("li jianhua", "lu jianhua"): False, ("zhnag jianguo", "zhang jianguo"): True, ("zhang jianguo", "zhang jainguo"): True,
    ("zhang jinaguo", "zhang jainguo"): False,
    ("zhangjianguo", "zhangjiaguoo"): False}


#: An engine's list of strings: empty (NULL) and of values.
_NO_LIST = {"duckdb": "CAST(NULL AS VARCHAR[])", "spark": "CAST(NULL AS ARRAY<STRING>)"}
_LIST = {"duckdb": "list_value({})", "spark": "array({})"}


def one_letter_apart_query(sql: str, a: str, b: str, dialect: str = "duckdb") -> str:
    """A SELECT of the level's condition on one pair of pinyin keys whose name order is known."""
    from mingdan.names.tables import pinyin_surnames

    surname_a, surname_b = (key.split(" ")[0] if " " in key else "" for key in (a, b))
    known_a, known_b = ("true" if surname in pinyin_surnames() else "false" for surname in (surname_a, surname_b))
    return (f"SELECT {sql} FROM (SELECT true AS name_comparable_l, true AS name_comparable_r, true AS name_order_known_l, "
            f"{known_a} AS surname_known_l, {known_b} AS surname_known_r, false AS given_known_l, false AS given_known_r, "
            f"true AS name_order_known_r, '{a}' AS pinyin_key_l, '{b}' AS pinyin_key_r, "
            f"'{surname_a}' AS surname_plain_l, '{surname_b}' AS surname_plain_r, '' AS given_plain_l, "
            f"'' AS given_plain_r, CAST(NULL AS STRING) AS characters_key_l, CAST(NULL AS STRING) AS characters_key_r, "
            f"CAST(NULL AS STRING) AS pinyin_swapped_l, CAST(NULL AS STRING) AS pinyin_swapped_r, "
            f"CAST(NULL AS STRING) AS typed_key_l, CAST(NULL AS STRING) AS typed_key_r, "
            f"CAST(NULL AS STRING) AS typed_swapped_l, CAST(NULL AS STRING) AS typed_swapped_r, "
            f"{_NO_LIST[dialect]} AS mended_readings_l, {_NO_LIST[dialect]} AS mended_readings_r) AS pair")


#: Written names and whether they are one letter apart as the linkage reads them (typed letters where a slip reads
#: as other syllables: an outside tester's pairs, rt41), in DuckDB and Spark.
ONE_LETTER_APART_NAMES = {
    ("黄德胜", "Huang Desheeng"): True, ("周海涛", "Haitoa Zhou"): True, ("欧阳明辉", "Ouyang Minghiu"): True,
    ("林光辉", "Lin Guanghiu"): True, ("周海涛", "Zhou Hiatao"): True, ("林光辉", "Lin Gaunghui"): True,
    ("张红梅", "Zhang Honmgei"): True, ("Huang Desheeng", "黄德胜"): True, ("王晓平", "Wang Xiaopiing"): True,
    ("王晓平", "王晓兵"): False, ("黄德胜", "Huang Dexiong"): False, ("许家明", "Fu Jiaming"): False,
    ("林光辉", "Lin Guangming"): False, ("周海涛", "Zhou Haitao"): False,
    # A slip in a Wade-Giles or Hong Kong spelling, mended by one keystroke (an outside tester, rt42).
    ("王晓平", "Wang Hsaio-ping"): True, ("Chan Tai Mna", "陈大文"): True, ("张建华", "Cheung Kin Wha"): True,
    ("王晓平", "Wang Hsaio-ming"): False, ("陈大文", "Chan Tai Mna Kit"): False,
}


def one_letter_apart_names_query(sql: str, a: str, b: str, dialect: str = "duckdb") -> str:
    """A SELECT of the level's condition on two written names, with the columns the linkage reads them into."""
    from mingdan.names.keys import linkage_columns

    columns = ("name_comparable", "name_order_known", "pinyin_key", "surname_plain", "given_plain", "characters_key",
               "typed_key", "typed_swapped", "surname_known", "given_known")
    sides = {"l": linkage_columns(a), "r": linkage_columns(b)}
    sides = {side: {**keys, "pinyin_swapped": keys["surname_given_swapped"]} for side, keys in sides.items()}

    def literal(value) -> str:
        if isinstance(value, list):
            return _LIST[dialect].format(", ".join(literal(item) for item in value))
        if isinstance(value, bool):
            return "true" if value else "false"
        return "CAST(NULL AS STRING)" if value is None else "'" + str(value).replace("'", "''") + "'"

    selected = ", ".join(f"{literal(keys[column])} AS {column}_{side}" for side, keys in sides.items()
                         for column in (*columns, "pinyin_swapped"))
    selected += ", " + ", ".join(f"{literal(keys['mended_readings']) if keys['mended_readings'] else _NO_LIST[dialect]} "
                                 f"AS mended_readings_{side}" for side, keys in sides.items())
    return f"SELECT {sql} FROM (SELECT {selected}) AS pair"
