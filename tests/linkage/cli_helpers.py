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


def one_letter_apart_query(sql: str, a: str, b: str) -> str:
    """A SELECT of the level's condition on one pair of pinyin keys whose name order is known."""
    surname_a, surname_b = (key.split(" ")[0] if " " in key else "" for key in (a, b))
    return (f"SELECT {sql} FROM (SELECT true AS name_comparable_l, true AS name_comparable_r, true AS name_order_known_l, "
            f"true AS name_order_known_r, '{a}' AS pinyin_key_l, '{b}' AS pinyin_key_r, "
            f"'{surname_a}' AS surname_plain_l, '{surname_b}' AS surname_plain_r, '' AS given_plain_l, "
            f"'' AS given_plain_r, CAST(NULL AS STRING) AS characters_key_l, CAST(NULL AS STRING) AS characters_key_r, "
            f"CAST(NULL AS STRING) AS pinyin_swapped_l, CAST(NULL AS STRING) AS pinyin_swapped_r) AS pair")
