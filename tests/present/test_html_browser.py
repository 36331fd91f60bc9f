"""The HTML report of the default department-year, opened in a real browser (headless Chromium)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from budgetkit.present.fonts import cjk_font_path
from budgetkit.run import runner
from budgetkit.run.params import default_department_year

DEFAULT_DEPARTMENT, DEFAULT_YEAR = default_department_year()

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium" if Path("/usr/bin/chromium").exists() else None)
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (make browser)")]


def _fontconfig(tmp: Path) -> Path:
    """A fontconfig file adding the bundled CJK font, so Chinese renders even without system CJK fonts."""
    conf = tmp / "fonts.conf"
    conf.write_text(f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>{cjk_font_path().parent}</dir>
  <cachedir>{tmp / "fc-cache"}</cachedir>
</fontconfig>
""", encoding="utf-8")
    return conf


def chromium(html: Path, tmp: Path, *action: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, FONTCONFIG_FILE=str(_fontconfig(tmp)))
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         f"--user-data-dir={tmp / 'profile'}", *action, "--window-size=1280,4000", html.resolve().as_uri()],
        env=env, capture_output=True, text=True, timeout=180)


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    out = tmp_path_factory.mktemp("out")
    assert runner.run(None, all_=False, workers=1, out=out) == runner.EXIT_OK
    return out / f"{DEFAULT_DEPARTMENT}-{DEFAULT_YEAR}" / "report.html"


def test_report_html_has_findings_table_and_chart(report_html):
    text = report_html.read_text(encoding="utf-8")
    assert 'id="T_findings"' in text and "发现清单" in text
    assert re.search(r'<img [^>]*src="data:image/png;base64,', text)
    assert "长治市屯留区财政局" in text  # department name, from the data
    assert "report.load(" not in text  # code hidden


def test_report_renders_in_headless_chromium(report_html, tmp_path):
    from PIL import Image

    png = tmp_path / "report.png"
    result = chromium(report_html, tmp_path, f"--screenshot={png}")
    assert result.returncode == 0, result.stderr[-2000:]
    assert png.is_file() and png.stat().st_size > 50_000
    with Image.open(png) as img:
        assert img.size == (1280, 4000)
        colours = img.convert("RGB").resize((320, 1000)).getcolors(maxcolors=1 << 16)
        assert colours is None or len(colours) > 50  # text, tables and highlights, not a blank page
    keep = os.environ.get("BUDGETKIT_SCREENSHOT")
    if keep:  # to look at it: BUDGETKIT_SCREENSHOT=report.png pytest tests/test_html_browser.py
        shutil.copy(png, keep)


def test_browser_dom_has_findings_table_and_chart(report_html, tmp_path):
    """The DOM as Chromium built it (not just the file's text): the findings table and a decoded chart image."""
    result = chromium(report_html, tmp_path, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    dom = result.stdout
    assert re.search(r'<table id="T_findings"', dom)
    assert re.search(r"<th [^>]*>严重程度</th>", dom)
    assert len(re.findall(r'<img [^>]*src="data:image/png;base64,', dom)) == 5  # the five charts
