"""How the FG's audit search names a record: "Signaal MH-4PCM-M3QS", not "signals.signal 9".

Apps register, per record type, a function that names many records at once (one query for
a page of entries, never one per row) and only those the FG may see; any other record is
named by its kind and number. Each app's ``audit_names.py`` registers its own (found by
``AuditConfig.ready``), so that audit imports no domain app.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.apps import apps
from django.utils.module_loading import autodiscover_modules
from django.utils.text import capfirst

from inbeeld.audit.models import AuditEntry

# (the FG, ids of one type) -> {id: name} for the records among them the FG may see.
Namer = Callable[[Any, list[str]], dict[str, str]]
_namers: dict[str, Namer] = {}
# A list read names its records in the entry's detail; a page shows the first few by name.
LISTED_BY_NAME = 5


def register(object_type: str, namer: Namer) -> None:
    """``object_type`` is a model's label ("signals.signal"), as the trail records it."""
    if object_type in _namers:
        raise ValueError(f"{object_type} already has a namer")
    _namers[object_type] = namer


def autodiscover() -> None:
    autodiscover_modules("audit_names")


def record_type_choices() -> list[tuple[str, str]]:
    """Every kind of InBeeld record, by its name, for the FG's filter (value: its label)."""
    found = {
        model._meta.label_lower: str(capfirst(model._meta.verbose_name))
        for model in apps.get_models()
        if model.__module__.startswith("inbeeld.")
    }
    return sorted(found.items(), key=lambda item: item[1].casefold())


def _kind(object_type: str, plural: bool = False) -> str:
    try:
        meta = apps.get_model(object_type)._meta
    except (LookupError, ValueError):
        return object_type  # a type from before a model was renamed: its label is all we have
    return str(capfirst(meta.verbose_name_plural if plural else meta.verbose_name))


def _listed(entry: AuditEntry) -> list[str]:
    records = entry.detail.get("records") if isinstance(entry.detail, dict) else None
    return [str(pk) for pk in records] if isinstance(records, list) else []


def record_names(*, user: Any, entries: Iterable[AuditEntry]) -> dict[int, str]:
    """Entry id → how its record (or the records a list read names) reads for this FG."""
    entries = list(entries)
    wanted: dict[str, set[str]] = {}
    for entry in entries:
        if entry.object_type:
            listed = [entry.object_id] if entry.object_id else _listed(entry)[:LISTED_BY_NAME]
            wanted.setdefault(entry.object_type, set()).update(listed)
    names: dict[tuple[str, str], str] = {}
    for object_type, ids in wanted.items():
        namer = _namers.get(object_type)
        found = namer(user, sorted(ids)) if namer else {}
        kind = _kind(object_type)
        for pk in ids:
            names[(object_type, pk)] = f"{kind} {found.get(pk, pk)}"
    shown: dict[int, str] = {}
    for entry in entries:
        if not entry.object_type:
            continue
        if entry.object_id:
            shown[entry.pk] = names[(entry.object_type, entry.object_id)]
            continue
        listed = _listed(entry)
        if not listed:
            shown[entry.pk] = _kind(entry.object_type, plural=True)
            continue
        first = [names[(entry.object_type, pk)] for pk in listed[:LISTED_BY_NAME]]
        more = len(listed) - len(first)
        shown[entry.pk] = ", ".join(first) + (f" (+{more})" if more else "")
    return shown
