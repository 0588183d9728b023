"""QuickSelect writes what Django's Select writes, so pages look and behave the same."""

from __future__ import annotations

import re

from django import forms

from inbeeld.lib.widgets import QuickSelect


def _same(html: str) -> str:
    # Django's template puts newlines and indentation between the options; browsers ignore it.
    return re.sub(r">\s+<", "><", str(html)).strip()


def test_the_options_selected_value_and_attributes_are_as_djangos() -> None:
    choices = [("", "—"), ("NL", "Nederland"), ("RO", 'Roemenië & "Moldavië"'), (3, "<b>drie</b>")]
    attrs = {"id": "id_country", "required": True, "disabled": False, "aria-describedby": "x"}
    for value in ("RO", "", None, 3):
        ours = QuickSelect(choices=choices).render("country", value, attrs)
        django = forms.Select(choices=choices).render("country", value, attrs)
        assert _same(ours) == _same(django)
    assert "&lt;b&gt;drie&lt;/b&gt;" in QuickSelect(choices=choices).render("c", None)


def test_groups_are_written_as_djangos() -> None:
    choices = [("Noord", [("1", "Groningen"), ("2", "Assen")]), ("3", "Zwolle")]
    ours = QuickSelect(choices=choices).render("place", "2", {"id": "id_place"})
    django = forms.Select(choices=choices).render("place", "2", {"id": "id_place"})
    assert _same(ours) == _same(django)
