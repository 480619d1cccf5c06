"""lib.pdf: Chinese text in embedded Noto CJK fonts, the page counter, and no network access."""

import shutil
import socket
import subprocess

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import translation
from django.utils.translation import gettext

from lib import pdf
from lib.pdf import OfflineURLFetcher, base_url, html_to_pdf, page_counter_css, render_pdf, static_roots

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"  # poppler-utils
PDFFONTS = shutil.which("pdffonts") or "/usr/bin/pdffonts"  # poppler-utils

DOCUMENT = Template(
    '{% extends "pdf/base.html" %}{% block content %}'
    '<div class="docref">DJ20269999 · 营口测试</div>'
    "<h1>安全生产标准化自评报告</h1>"
    "{% for n in rows %}<p>第{{ n }}段：营口站前测试机械有限公司 统一社会信用代码 91210800MA0TEST01X</p>{% endfor %}"
    "{% endblock %}"
)


def _text(content: bytes) -> str:
    result = subprocess.run(  # noqa: S603 - fixed arguments
        [PDFTOTEXT, "-layout", "-", "-"], input=content, capture_output=True, check=True, timeout=60
    )
    return result.stdout.decode("utf-8")


def _fonts(content: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(content)
    return subprocess.run(  # noqa: S603 - fixed arguments
        [PDFFONTS, str(path)], capture_output=True, check=True, text=True, timeout=60
    ).stdout


def _flat(text: str) -> str:
    return "".join(text.split())


def _render(rows: int) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = DOCUMENT.render(Context({"rows": range(rows), "pdf_page_counter": page_counter_css()}))
    return html_to_pdf(html)


def test_chinese_text_is_set_in_the_noto_cjk_serif(tmp_path):
    content = _render(3)
    assert content.startswith(b"%PDF-")
    text = _flat(_text(content))
    assert "安全生产标准化自评报告" in text
    assert "营口站前测试机械有限公司" in text and "91210800MA0TEST01X" in text
    fonts = _fonts(content, tmp_path)
    assert "Noto-Serif-CJK-SC" in fonts
    # Embedded and subset: the PDF opens the same on a machine without the fonts.
    line = next(f for f in fonts.splitlines() if "Noto-Serif-CJK-SC" in f)
    assert line.split()[-5:-3] == ["yes", "yes"]


def test_every_page_is_numbered_n_of_m():
    content = _render(150)
    text = _flat(_text(content))
    pages = text.count("DJ20269999")  # the running header, once per page
    assert pages >= 3
    with translation.override(settings.LANGUAGE_CODE):
        labels = [
            gettext("Page %(page)s of %(pages)s") % {"page": n, "pages": pages} for n in range(1, pages + 1)
        ]
    assert all(_flat(label) in text for label in labels)


def test_render_pdf_renders_a_template_in_the_site_language():
    with translation.override("en"):
        content = render_pdf("pdf/base.html", {"title": "测试"})
    text = _flat(_text(content))
    with translation.override(settings.LANGUAGE_CODE):
        expected = gettext("Page %(page)s of %(pages)s") % {"page": 1, "pages": 1}
    assert _flat(expected) in text


@pytest.mark.parametrize(
    ("translated", "css"),
    [
        ("第 %(page)s 页 共 %(pages)s 页", '"第 " counter(page) " 页 共 " counter(pages) " 页"'),
        ('%(pages)s "pages", this is %(page)s', 'counter(pages) " \\"pages\\", this is " counter(page)'),
        ("Page %(page)s</style>", '"Page " counter(page) "\\3C /style>"'),
    ],
)
def test_page_counter_css_escapes_the_translation(monkeypatch, translated, css):
    monkeypatch.setattr(pdf, "_", lambda msgid: translated)
    assert page_counter_css() == css


def test_relative_urls_resolve_in_the_static_directory():
    assert base_url() == static_roots()[0].as_uri() + "/"
    assert (static_roots()[0] / "css" / "anbiao.css").exists()


def test_the_fetcher_reads_static_files_only(tmp_path):
    fetcher = OfflineURLFetcher()
    inside = (static_roots()[0] / "css" / "anbiao.css").as_uri()
    response = fetcher.fetch(inside)
    assert response is not None
    outside = tmp_path / "secret.txt"
    outside.write_text("x")
    for url in (
        outside.as_uri(),
        static_roots()[0].as_uri() + "/../config/settings.py",
        "http://127.0.0.1:9/x.png",
        "https://cdn.example/x.css",
        "ftp://example/x",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_rendering_never_opens_a_connection(monkeypatch):
    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access during PDF rendering")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    html = (
        '<html><head><link rel="stylesheet" href="https://cdn.example/x.css"></head>'
        '<body><p>营口</p><img src="http://127.0.0.1:9/logo.png"><img src="css/missing.png"></body></html>'
    )
    content = html_to_pdf(html)
    assert content.startswith(b"%PDF-")
    assert attempts == []
    assert "营口" in _text(content)


def test_fonts_are_subset_with_harfbuzz():
    """Without libharfbuzz-subset0 WeasyPrint falls back to fontTools: seconds per page, not a fraction."""
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    assert harfbuzz_subset is not None
    assert harfbuzz.hb_version_atleast(4, 1, 0)
