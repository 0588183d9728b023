"""Every table of the staff pages sits in its scroll region (see test_tables_browser.py):
a new table without one would push a phone's page sideways or be out of keyboard reach."""

from __future__ import annotations

import re
from pathlib import Path

import inbeeld

# A page made for paper scrolls nowhere: its own style sheet wraps long words instead.
PRINTED = {"careplans/templates/careplans/print.html"}
REGION = re.compile(
    r'<div class="table-scroll" role="region" tabindex="0" aria-label(?:ledby)?=".+?"><table[\s>]'
)


def test_every_table_sits_in_a_labelled_focusable_scroll_region() -> None:
    root = Path(inbeeld.__file__).parent
    templates = [
        path
        for pattern in ("templates/**/*.html", "*/templates/**/*.html")
        for path in root.glob(pattern)
        if path.relative_to(root).as_posix() not in PRINTED
    ]
    assert templates
    bare = []
    for path in templates:
        text = path.read_text(encoding="utf-8")
        tables = len(re.findall(r"<table[\s>]", text))
        if tables != len(REGION.findall(text)):
            bare.append(path.relative_to(root).as_posix())
    assert bare == []
