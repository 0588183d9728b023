"""The kinds of record a task may belong to, each registered by the app that owns it.

Who may see a signal is decided by signals/, of a case by cases/; tasks/ asks, never
decides. An app registers its model once, in its own ``task_subjects.py`` (found by
``TasksConfig.ready``), with two questions:

- ``visible(user, subject)``: may this person see the record? Then they see its tasks.
- ``may_add(user, subject)``: may this person give the record a task (and pick its owner)?
- ``get_for(user, pk)``: the app's own door to the record (404 unless the person may see
  it; the read audited), for the page that adds a task to it;
- ``describe(subject)`` and ``url(subject)``: how lists name and link the record, without
  personal data (a signal's receipt code).

A model nobody registered cannot have tasks: ``subject_kind`` refuses it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models.signals import post_delete

from inbeeld.accounts.models import User

Check = Callable[[User, Any], bool]


@dataclass(frozen=True)
class SubjectKind:
    model: type[models.Model]
    visible: Check
    may_add: Check
    get_for: Callable[[User, int], models.Model]
    describe: Callable[[Any], str]
    url: Callable[[Any], str]
    follow_up_source: str  # the kind of the tasks people add on the record's page

    @property
    def key(self) -> str:
        return str(self.model._meta.label_lower)


_KINDS: dict[str, SubjectKind] = {}


def register_subject(
    model: type[models.Model],
    *,
    visible: Check,
    may_add: Check,
    get_for: Callable[[User, int], models.Model],
    describe: Callable[[Any], str],
    url: Callable[[Any], str],
    follow_up_source: str,
) -> None:
    label = model._meta.label_lower
    if label in _KINDS and _KINDS[label].model is not model:
        raise ValueError(f"{label} is registered as a task subject twice")
    _KINDS[label] = SubjectKind(
        model=model,
        visible=visible,
        may_add=may_add,
        get_for=get_for,
        describe=describe,
        url=url,
        follow_up_source=follow_up_source,
    )
    # A generic reference has no foreign key to cascade: the tasks go when their record goes
    # (its retention, or any other removal).
    post_delete.connect(_subject_removed, sender=model, dispatch_uid=f"tasks:{label}")


def _subject_removed(sender: type[models.Model], instance: models.Model, **kwargs: Any) -> None:
    from inbeeld.tasks.privacy import tasks_delete_for

    tasks_delete_for(instance)


def subject_kind(model: type[models.Model] | models.Model) -> SubjectKind:
    label = model._meta.label_lower
    if label not in _KINDS:
        raise LookupError(f"{label} is not registered as a task subject (task_subjects.py)")
    return _KINDS[label]


def subject_kind_by_key(key: str) -> SubjectKind | None:
    return _KINDS.get(key)


def subject_models() -> list[type[models.Model]]:
    return [kind.model for kind in _KINDS.values()]
