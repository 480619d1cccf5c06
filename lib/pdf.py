"""Rendering Django templates to PDF with WeasyPrint, offline, with Chinese fonts.

Documents extend ``templates/pdf/base.html`` (A4, margins, the Noto CJK fonts installed by
Debian's fonts-noto-cjk, the page counter in the footer). Nothing is fetched from the network:
relative URLs resolve against the static directory, and only ``file:`` URLs under the static
directories and ``data:`` URLs are ever opened. With ``libharfbuzz-subset0`` installed the fonts
are subset quickly (about half a second for a ten-page report); without it WeasyPrint logs a
warning to the ``weasyprint`` logger and takes seconds per page.
"""

from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

PAGE_MARK, PAGES_MARK = "\x00page\x00", "\x00pages\x00"


def static_roots() -> list[Path]:
    """The directories a document may load files from (stylesheets, images, fonts)."""
    roots = [Path(p if isinstance(p, str | Path) else p[1]) for p in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.append(Path(settings.STATIC_ROOT))
    return [r.resolve() for r in roots]


class OfflineURLFetcher(URLFetcher):
    """Open ``data:`` URLs and files under the static directories; refuse everything else."""

    def __init__(self, roots: list[Path] | None = None) -> None:
        super().__init__(timeout=5, allowed_protocols=("file", "data"), allow_redirects=False)
        self._roots = roots if roots is not None else static_roots()

    def fetch(self, url, headers=None):
        scheme = urlsplit(url).scheme.lower()
        if scheme == "file":
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if not any(path.is_relative_to(root) for root in self._roots):
                raise ValueError(f"Refusing to read {path}: not under a static directory")
        elif scheme != "data":
            raise ValueError(f"Refusing to fetch {url}: documents are rendered offline")
        return super().fetch(url, headers)


def _css_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ").replace("<", "\\3C ")
    return f'"{escaped}"'


def page_counter_css() -> SafeString:
    """The CSS ``content`` value of the footer: the translated "Page N of M" with live counters."""
    text = _("Page %(page)s of %(pages)s") % {"page": PAGE_MARK, "pages": PAGES_MARK}
    parts: list[str] = []
    rest = text
    while rest:
        positions = [(rest.find(m), m) for m in (PAGE_MARK, PAGES_MARK) if m in rest]
        if not positions:
            parts.append(_css_string(rest))
            break
        at, mark = min(positions)
        if at:
            parts.append(_css_string(rest[:at]))
        parts.append("counter(page)" if mark == PAGE_MARK else "counter(pages)")
        rest = rest[at + len(mark) :]
    return mark_safe(" ".join(parts))  # noqa: S308 - built from escaped CSS strings only


def base_url() -> str:
    """Relative URLs in a document resolve against the first static directory."""
    roots = static_roots()
    return roots[0].as_uri() + "/" if roots else Path(settings.BASE_DIR).resolve().as_uri() + "/"


def html_to_pdf(html: str) -> bytes:
    """Lay out an HTML string as PDF, offline."""
    document = HTML(string=html, base_url=base_url(), url_fetcher=OfflineURLFetcher())
    return document.write_pdf()


def render_pdf(template_name: str, context: dict, *, language: str | None = None) -> bytes:
    """Render a Django template to PDF bytes.

    Official documents are written in the site's language (``settings.LANGUAGE_CODE``)
    whoever triggers them, unless ``language`` says otherwise.
    """
    with translation.override(language or settings.LANGUAGE_CODE):
        html = render_to_string(template_name, {"pdf_page_counter": page_counter_css(), **context})
        return html_to_pdf(html)
