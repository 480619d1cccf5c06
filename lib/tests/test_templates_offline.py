"""Government intranets are often offline: templates must not load anything from the internet."""

import re
from pathlib import Path

from django.conf import settings

# src= or href= whose value contains http:// or https://, or starts with // (protocol-relative).
URL_ATTRIBUTE = re.compile(
    r"""\b(?:src|href)\s*=\s*(?:["'][^"']*https?://|["']?\s*//|https?://)""", re.IGNORECASE
)


def _templates() -> list[Path]:
    root = Path(settings.BASE_DIR)
    found = set(root.glob("templates/**/*.html"))
    found |= set(root.glob("*/templates/**/*.html"))
    return sorted(p for p in found if ".venv" not in p.parts)


def test_there_are_templates_to_check():
    names = {p.relative_to(settings.BASE_DIR).as_posix() for p in _templates()}
    assert "templates/base.html" in names
    assert "templates/workbench/home.html" in names


def test_no_template_loads_from_the_internet():
    offenders = []
    for path in _templates():
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if URL_ATTRIBUTE.search(line):
                offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{number}: {line.strip()}")
    assert not offenders, "Vendor these assets under static/vendor/:\n" + "\n".join(offenders)


def test_the_check_catches_cdn_links():
    bad_tags = (
        '<script src="https://cdn.example/x.js">',
        "<link href='http://x/y.css'>",
        '<img src="//cdn/x.png">',
        '<a href="/go?to=https://x.example/">',
        "<img src=http://x/y.png>",
    )
    for bad in bad_tags:
        assert URL_ATTRIBUTE.search(bad)
    for good in ('<a href="/static/x.css">', "<a href=\"{% url 'audit:list' %}\">", "<p>see https://x</p>"):
        assert not URL_ATTRIBUTE.search(good)
