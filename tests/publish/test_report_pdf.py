"""report/report.pdf: the three pages printed by Debian's chromium; without chromium the release says so plainly."""

from __future__ import annotations

import json
import os
import shutil
import struct
import subprocess
import sys
import zlib

import pytest
from pdf_pages import nearly_blank_pages

from mingdan.publish.pdf import page_count
from mingdan.publish.release import publish
from mingdan.publish.signing import verify

HEADER = ["record_id", "name", "event", "place", "event_date", "consent_publish_name"]


def _case_with_a_list(case, write_rows):
    from mingdan.ingest.importer import import_file

    rows = [{"record_id": f"P{i}", "name": f"模拟己{i}", "event": "killed" if i % 3 else "detained", "place": "西城区",
             "event_date": "1989-06-04", "consent_publish_name": "同意"} for i in range(15)]
    import_file(case, write_rows(rows, header=HEADER), source_name="Families")


def _png_pixels(path) -> tuple[int, int, bytes]:
    """Width, height and the decompressed scanlines of an 8-bit PNG (enough to tell a blank page)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    chunks, offset = b"", 8
    while offset < len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks += data[offset + 8:offset + 8 + length]
        offset += 12 + length
    return width, height, zlib.decompress(chunks)


@pytest.mark.skipif(not shutil.which("chromium"), reason="Debian's chromium is needed (apt-get install chromium)")
def test_the_pdf_holds_both_pages_is_signed_and_page_one_is_not_blank(case, tmp_path, write_rows, monkeypatch):
    monkeypatch.delenv("MINGDAN_CHROMIUM", raising=False)
    _case_with_a_list(case, write_rows)
    result = publish(case, tmp_path / "release")
    pdf = tmp_path / "release" / "report" / "report.pdf"
    data = pdf.read_bytes()
    manifest = json.loads((tmp_path / "release" / "manifest.json").read_text("utf-8"))
    assert result["pdf"]["made"] and manifest["pdf"] == result["pdf"] and manifest["pdf"]["reason"] == ""
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert page_count(data) >= 2 and manifest["pdf"]["pages"] == page_count(data)
    assert "report/report.pdf" in manifest["files"] and verify(tmp_path / "release") == []
    assert not (tmp_path / "release" / "report" / ".print.html").exists()  # the print page is not left behind
    if shutil.which("pdfinfo"):  # poppler, when installed, counts the pages independently
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        assert int(info.split("Pages:")[1].split()[0]) == page_count(data)
    if shutil.which("pdftotext"):  # English first, then the Chinese page, names as published
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "A public accounting" in text and "公开的名单与统计" in text and "公開的名單與統計" in text
        assert text.index("A public accounting") < text.index("公开的名单与统计") < text.index("公開的名單與統計")
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-png", "-r", "50", "-f", "1", "-l", "1", "-singlefile", str(pdf),
                        str(tmp_path / "page1")], check=True)
        width, height, pixels = _png_pixels(tmp_path / "page1.png")
        assert height > width > 300  # A4 portrait
        assert len(set(pixels)) > 10  # text and rules, not a blank page
    # Outside tester: the English part's licence line stood alone on a sheet (even printed at 80%).
    assert nearly_blank_pages(pdf) == []


def test_without_chromium_the_release_is_made_and_says_why_there_is_no_pdf(case, tmp_path, write_rows, monkeypatch):
    monkeypatch.setenv("MINGDAN_CHROMIUM", str(tmp_path / "no-such-chromium"))
    _case_with_a_list(case, write_rows)
    result = publish(case, tmp_path / "release")
    manifest = json.loads((tmp_path / "release" / "manifest.json").read_text("utf-8"))
    assert result["pdf"]["made"] is False and "no-such-chromium" in result["pdf"]["reason"]
    assert manifest["pdf"] == result["pdf"] and manifest["pdf"]["file"] is None
    assert not (tmp_path / "release" / "report" / "report.pdf").exists()
    assert (tmp_path / "release" / "report" / "index.html").exists() and verify(tmp_path / "release") == []


@pytest.mark.sqlite_file
def test_the_command_line_says_plainly_when_no_pdf_was_made(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL")}
    env.update(COLUMNS="200", MINGDAN_CHROMIUM=str(tmp_path / "missing"))
    run = lambda *args: subprocess.run([sys.executable, "-m", "mingdan.cli", *args], env=env,  # noqa: E731
                                       capture_output=True, text=True)
    case = tmp_path / "case"
    assert run("init", str(case)).returncode == 0
    data = tmp_path / "list.csv"
    data.write_text("record_id,name,event\n" + "".join(f"A{i},模拟庚{i},killed\n" for i in range(6)), "utf-8")
    assert run("import", str(data), "--case", str(case), "--source", "Families").returncode == 0
    published = run("publish", "--case", str(case), "--out", str(tmp_path / "release"), "--license", "CC-BY-4.0")
    assert published.returncode == 0, published.stderr
    assert "PDF NOT made" in published.stderr and "missing" in published.stderr
    assert "changes: none listed (no earlier release of this case was found)" in published.stdout
    again = run("publish", "--case", str(case), "--out", str(tmp_path / "release2"))
    assert "changes since release" in again.stdout and "0 people added" in again.stdout
