"""A text file's encoding: a byte order mark, else UTF-8, UTF-16, GB18030 or Big5 by content; errors that say which."""

from __future__ import annotations

import codecs
import io
from pathlib import Path

import opencc

from .problems import ImportFailed, Problem

_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
         (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"),
         (codecs.BOM_UTF16_BE, "utf-16"))
# Characters so frequent in Chinese text that a right decoding of a list shows many of them.
_COMMON_HANS = set("的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长知民样现分将外但身些与高意进把法此实回二理美点月明其种声全工己话儿者向情部正名定女问力机给等几很业最间新什打便位因重被走电四第门相次东政海口使教西再平真听世气信北少关并内加化由却代军产入先山五太水万市眼体别处总才场师书比住员九笑性通目华报立马命张活难神数件安表原车白应路期叫死常提感金何更反合放做系计或司利受光王果亲界及今京务制解各任至清物台象记边共风战干接它许八特觉望直服毛林题建南度统色字请交爱让认算论百吃义科怎元社术结六功指思非流每青管夫连远资队跟带花快条院变联言权往展该领传近留红治决周保达办运武半候七必城父强步完革深区即求品士转量空甚众技轻程告江语英基派满式李息写呢识极令黄德收脸钱党倒未持取设始版双历越史商千片容研像找友孩站广改议形委早房音火际则首单据导影失拿网香似斯专石若兵弟谁校读志飞观争究包组造落视济喜离虽坏兴具存衣县")
_COMMON_HANS |= set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国志文斌辉鹏宇浩凯健俊峰春梅海波"
)
_COMMON_HANT = set(opencc.OpenCC("s2t").convert("".join(sorted(_COMMON_HANS))))


def open_text(path: Path, encoding: str) -> io.TextIOWrapper:
    """A text handle that fails loudly on undecodable bytes and keeps newlines for csv."""
    return open(path, encoding=encoding, errors="strict", newline="")


def detect_encoding(path: Path) -> str:
    """The encoding of a text file: a BOM, else UTF-8, UTF-16, GB18030 or Big5 by content."""
    data = Path(path).read_bytes()
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    wide = _utf16_order(data)
    if wide:
        return wide
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    scores = {}
    for name, common in (("gb18030", _COMMON_HANS), ("big5", _COMMON_HANT)):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        han = [char for char in text if "\u4e00" <= char <= "\u9fff"]
        scores[name] = sum(char in common for char in han) / max(len(han), 1)
    if not scores:
        raise ImportFailed([Problem(str(path), None, None, (
            "cannot tell the file's encoding (not UTF-8, UTF-16, GB18030 or Big5); "
            "give it with --encoding"))])
    return max(scores, key=scores.get)


def given_encoding(path: Path, encoding: str) -> str:
    """The encoding a user named, with the byte order read from the file where they named UTF-16 without one and
    the file has no byte order mark (Python's utf-16 would read such a big-endian file as little-endian)."""
    name = codecs.lookup(encoding).name
    if name == "utf-16":
        with open(path, "rb") as handle:
            head = handle.read(200_000)
        if not head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            # Python's utf-16 stream reader refuses a file without a mark outright (a traceback before): read it
            # in the order its NUL bytes tell, else as little-endian, and let the decoding say what it finds.
            return _utf16_order(head) or "utf-16-le"
    return name


def _utf16_order(data: bytes) -> str | None:
    """utf-16-le or utf-16-be for text without a byte order mark, or None: only UTF-16 (of the encodings read)
    puts NUL bytes in a list, one beside each comma, newline, digit and Latin letter, all on one side of the pair;
    a list all in Chinese but for its separators has few of them, so their count alone does not tell."""
    sample = data[:200_000 - 200_000 % 2] if len(data) % 2 == 0 else b""
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if even + odd == 0 or min(even, odd) > 0.05 * (even + odd):
        return None
    order = "utf-16-be" if even > odd else "utf-16-le"
    # A stray NUL in UTF-8 text is not UTF-16 (a test's cell with one NUL was read so): read in that order, the
    # text must hold its line ends, each of which puts a NUL beside itself.
    text = sample.decode(order, errors="replace")
    return order if "\n" in text and text.count("\ufffd") < 0.01 * len(text) + 1 else None


def misread_header(header, encoding: str | None) -> str:
    """A hint for a header read in the wrong encoding (no Latin letter or digit, and control, private-use or Han
    characters, as UTF-16 read in the wrong byte order gives: the whole file one line), else "". Shared by the
    import and `mingdan evaluate`."""
    joined = "".join(str(cell) for cell in header or ())
    if not joined or any(c.isascii() and c.isalnum() for c in joined) or not any(
            ord(c) < 32 and c not in "\t\r\n" or "\ue000" <= c <= "\uf8ff" or "\u3400" <= c <= "\u9fff"
            or "\u0a00" <= c <= "\u0aff" for c in joined):
        return ""
    return (f"; read as {encoding or 'the encoding found'}: if that is not the file's encoding, give the right one "
            "with --encoding (utf-8, utf-16, utf-16-le, utf-16-be, gb18030, big5)")


def decode_problem(path: Path, encoding: str, exc: UnicodeDecodeError) -> Problem:
    """Where the bytes that are not of the encoding are (the row, in any encoding), and what to do."""
    data = Path(path).read_bytes()
    try:
        # The text before the bad bytes, decoded as far as it goes: its line ends count the row in UTF-16 too.
        line = data[: exc.start].decode(encoding, errors="replace").count("\n") + 1
    except LookupError:
        line = None
    return Problem(str(path), line, None, (
        f"bytes {exc.object[exc.start:exc.start + 4]!r} are not valid {encoding}; "
        "the file is in another encoding: give the right one with --encoding "
        "(utf-8, utf-16, gb18030, big5)"))
