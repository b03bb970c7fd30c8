"""Invented name, place and occupation pools for the simulator (no real victims' names)."""

from __future__ import annotations

# Surname, relative frequency (shape of published Han surname frequencies), Hong Kong spelling.
SURNAMES = [
    ("王", 7.2, "Wong"), ("李", 7.0, "Lee"), ("张", 6.7, "Cheung"), ("刘", 5.4, "Lau"),
    ("陈", 4.5, "Chan"), ("杨", 3.1, "Yeung"), ("黄", 2.2, "Wong"), ("赵", 2.0, "Chiu"),
    ("吴", 1.8, "Ng"), ("周", 1.7, "Chau"), ("徐", 1.6, "Tsui"), ("孙", 1.5, "Suen"),
    ("马", 1.4, "Ma"), ("朱", 1.3, "Chu"), ("胡", 1.3, "Wu"), ("郭", 1.2, "Kwok"),
    ("何", 1.2, "Ho"), ("高", 1.1, "Ko"), ("林", 1.1, "Lam"), ("罗", 0.9, "Law"),
    ("郑", 0.9, "Cheng"), ("梁", 0.8, "Leung"), ("谢", 0.8, "Tse"), ("宋", 0.7, "Sung"),
    ("唐", 0.7, "Tong"), ("许", 0.7, "Hui"), ("韩", 0.6, "Hon"), ("冯", 0.6, "Fung"),
    ("邓", 0.6, "Tang"), ("曹", 0.6, "Tso"), ("彭", 0.5, "Pang"), ("曾", 0.5, "Tsang"),
    ("萧", 0.5, "Siu"), ("田", 0.5, "Tin"), ("董", 0.5, "Tung"), ("潘", 0.4, "Poon"),
    ("袁", 0.4, "Yuen"), ("蔡", 0.4, "Choi"), ("蒋", 0.4, "Cheung"), ("余", 0.4, "Yu"),
    ("叶", 0.4, "Yip"), ("杜", 0.3, "To"), ("苏", 0.3, "So"), ("魏", 0.3, "Ngai"),
    ("程", 0.3, "Ching"), ("吕", 0.3, "Lui"), ("丁", 0.3, "Ting"), ("沈", 0.3, "Shum"),
    ("欧阳", 0.05, "Au Yeung"), ("司徒", 0.03, "Szeto"), ("上官", 0.02, "Sheung Kwun"),
    ("诸葛", 0.02, "Chu Kot"),
]
# Given-name characters: character, Hong Kong spelling, leaning (m, f or either).
GIVEN = [
    ("伟", "Wai", "m"), ("强", "Keung", "m"), ("军", "Kwan", "m"), ("勇", "Yung", "m"),
    ("杰", "Kit", "m"), ("涛", "To", "m"), ("明", "Ming", "x"), ("超", "Chiu", "m"),
    ("平", "Ping", "x"), ("刚", "Kong", "m"), ("国", "Kwok", "m"), ("建", "Kin", "m"),
    ("志", "Chi", "m"), ("文", "Man", "x"), ("斌", "Bun", "m"), ("辉", "Fai", "m"),
    ("鹏", "Pang", "m"), ("宇", "Yu", "m"), ("浩", "Ho", "m"), ("峰", "Fung", "m"),
    ("大", "Tai", "m"), ("小", "Siu", "x"), ("海", "Hoi", "m"), ("波", "Po", "m"),
    ("东", "Tung", "m"), ("华", "Wah", "x"), ("春", "Chun", "x"), ("德", "Tak", "m"),
    ("生", "Sang", "m"), ("光", "Kwong", "m"), ("新", "San", "x"), ("民", "Man", "m"),
    ("芳", "Fong", "f"), ("娜", "Na", "f"), ("敏", "Man", "f"), ("静", "Ching", "f"),
    ("丽", "Lai", "f"), ("艳", "Yim", "f"), ("娟", "Kuen", "f"), ("秀", "Sau", "f"),
    ("霞", "Ha", "f"), ("英", "Ying", "f"), ("兰", "Lan", "f"), ("红", "Hung", "f"),
    ("玉", "Yuk", "f"), ("梅", "Mui", "f"), ("燕", "Yin", "f"), ("萍", "Ping", "f"),
    ("慧", "Wai", "f"), ("琳", "Lam", "f"), ("洁", "Kit", "f"), ("珍", "Chun", "f"),
]
# Same-sound substitutions a careless transcriber makes (同音字).
HOMOPHONES = {"伟": "维", "强": "墙", "军": "均", "明": "鸣", "平": "萍", "华": "化", "文": "闻",
              "国": "帼", "建": "健", "志": "智", "丽": "立", "红": "宏", "英": "鹰", "芳": "方",
              "东": "冬", "海": "凯", "波": "博", "静": "晶", "敏": "民", "涛": "滔"}
# Strata: districts, each with a pinyin form.
PLACES = [
    ("西城区", "Xicheng"), ("东城区", "Dongcheng"), ("海淀区", "Haidian"), ("朝阳区", "Chaoyang"),
    ("丰台区", "Fengtai"), ("石景山区", "Shijingshan"),
]
OCCUPATIONS = ["学生", "工人", "教师", "个体户", "干部", "医生", "司机", "职员", "退休", "无业"]
FACILITIES = ["第一看守所", "第二监狱", "第三劳改队", "市拘留所"]
