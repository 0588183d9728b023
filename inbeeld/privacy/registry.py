"""The registry of kinds of personal data: what each app holds about people, and what happens to it.

privacy/ is a mechanism on the base floor (docs/architecture.md): retention, the FG's
data-subject requests and the FG's retention page work on *kinds* of personal data, never on
a model they name. Each app registers its kinds in its own ``privacy.py`` module, the way an
app registers its models with Django's admin; ``PrivacyConfig.ready()`` imports every app's
``privacy`` module. A new app (cases, care plans, shelter placements) adds its kinds there
without touching privacy/, and privacy/ imports no domain app (an import-linter contract in
pyproject.toml keeps it so).

A kind names its model and says what happens to its records: retention rules (removed after
a period, per region), plain statements for the records no rule removes ("kept until ..."),
and the rows that belong to a record (exported, erased and removed with it). A kind whose
records are about a person the FG finds by name or phone number (a signal, a case) also
answers the data-subject requests (AVG art. 15, 17 and 18) through a ``SubjectRights``.

``registry.unregistered_models()`` names every model holding personal data (an encrypted
field, or a relation to a registered kind's model) that no kind covers and no app excluded
with its reason; a test keeps that list empty, so personal data nobody registered fails the
suite.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from django.apps import apps
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.module_loading import autodiscover_modules

from inbeeld.privacy.encryption import EncryptedTextField
from inbeeld.regions.models import Region

if TYPE_CHECKING:
    from inbeeld.privacy.retention import RetentionRule

M = TypeVar("M", bound=models.Model)
Text = str | Promise


@dataclass(frozen=True)
class Kept:
    """Records of a kind that no retention rule removes, and what happens to them instead."""

    statement: Text
    # Which records of the kind ("Open signals"); empty when the statement covers them all.
    label: Text = ""


@dataclass(frozen=True)
class Related:
    """Rows that belong to a record of a kind: exported, erased and removed with it."""

    model: str  # app_label.ModelName
    label: Text
    statement: Text


@dataclass(frozen=True)
class SubjectQuery:
    """What the FG searches a person by: keyed hashes (privacy/identifiers.py), never text."""

    name_index: str  # "" when no name was given
    phone_indexes: tuple[str, ...]
    date_of_birth: date | None  # narrows the name matches


@dataclass(frozen=True)
class RecordSummary:
    """What the FG sees of a record before opening it: no content, only its handling."""

    code: str  # how the record is named (a signal's receipt code)
    region: Region
    received: datetime
    status: str  # in words
    restricted: bool
    restriction_reason: str
    erased_at: datetime | None
    # How the record that now holds this one's history is named (a signal merged into
    # another: that signal's receipt code); "" when the record stands on its own.
    merged_into: str = ""


# How a record was found (SearchHit.matched_by) besides "name" and "phone": a record found
# by them was merged into this one, which holds its history now.
HOLDS_MERGED = "holds_merged"


class SubjectRights(ABC, Generic[M]):
    """What a kind does for the FG's data-subject requests (AVG art. 15, 17 and 18).

    The generic steps (the FG's regions, the request record, the audit entries, shares and
    consents) are in subject_rights.py; a kind supplies only what depends on its model.
    """

    slug: str  # in the FG's addresses: /privacy/betrokkenen/gegevens/<slug>/<id>/
    singular: Text  # one record, as a heading: "Signal"
    export_key: str  # the key of this kind's list in the access export: "signals"
    export_template: str  # renders one record of the export (the item as ``record``)
    export_intro: Text = ""  # said once above this kind's records in the export
    not_included: tuple[Text, ...] = ()  # what the export leaves out, and said so
    erasure_explanation: Text = ""  # what erasure empties and what it keeps
    region_field: str = "region"  # path to the record's Region: the FG's regions
    select_related: tuple[str, ...] = ()  # read with the record for its export
    order_by: str = "created_at"

    @abstractmethod
    def matches(self, query: SubjectQuery) -> dict[int, set[str]]:
        """Ids of records whose keyed hashes match, with how: {id: {"name", "phone"}}; and
        of the records that hold the history of a match merged into them (HOLDS_MERGED)."""

    def date_of_birth(self, record: M) -> str:
        """The person's date of birth in the record (ISO), "" when it holds none."""
        return ""

    @abstractmethod
    def summary(self, record: M) -> RecordSummary: ...

    @abstractmethod
    def export(self, record: M) -> dict[str, Any]:
        """Everything held in the record and the rows that belong to it, decrypted."""

    @abstractmethod
    def erasure_refusal(self, record: M) -> str:
        """Why erasure is refused now; "" when it is allowed."""

    @abstractmethod
    def erase(self, record: M) -> dict[str, int]:
        """Empty the record's identifying data; how many rows of each kind were touched.

        Called inside the request's transaction with the record locked; shares and consents
        are handled by subject_rights.py.
        """

    @abstractmethod
    def is_restricted(self, record: M) -> bool: ...

    @abstractmethod
    def restrict(self, record: M, reason: str) -> None:
        """Keep the record but take it out of everyone's hands but the FG's."""

    @abstractmethod
    def lift(self, record: M) -> None: ...


@dataclass(frozen=True)
class PersonalDataKind(Generic[M]):
    """One kind of personal data: its model, and what happens to its records."""

    model: type[M]
    label: Text  # plural: "Signals"
    about: Text = ""  # what these records are, when the label alone does not say it
    retention: tuple[RetentionRule, ...] = ()
    kept: tuple[Kept, ...] = ()
    related: tuple[Related, ...] = ()
    subject: SubjectRights[M] | None = None

    @property
    def key(self) -> str:
        """``app_label.model``: also how a DataSubjectRequest names a record (``key:id``)."""
        return str(self.model._meta.label_lower)


class PrivacyRegistry:
    """Every registered kind, in the order the apps registered them."""

    def __init__(self) -> None:
        self._kinds: dict[str, PersonalDataKind[Any]] = {}
        self._excluded: dict[str, str] = {}

    def register(self, kind: PersonalDataKind[M]) -> PersonalDataKind[M]:
        problem = self._problem(kind)
        if problem:
            raise ImproperlyConfigured(f"privacy kind {kind.key}: {problem}")
        self._kinds[kind.key] = kind
        return kind

    def _problem(self, kind: PersonalDataKind[Any]) -> str:
        if kind.key in self._kinds:
            return "registered twice"
        if not kind.retention and not kind.kept:
            return "says nothing about what happens to its records (no rule, no statement)"
        rule_kinds = {rule.kind for rule in self.retention_rules()}
        for rule in kind.retention:
            if rule.model.lower() != kind.key:
                return f"retention rule {rule.kind} is about {rule.model}"
            if rule.kind in rule_kinds:
                return f"retention rule {rule.kind} is registered twice"
            rule_kinds.add(rule.kind)
        if kind.subject is not None:
            if not re.fullmatch(r"[a-z0-9-]+", kind.subject.slug):
                return f"the address {kind.subject.slug!r} is not lower-case, digits and dashes"
            if self.subject_kind(kind.subject.slug) is not None:
                return f"the address {kind.subject.slug} is taken"
        return ""

    def exclude(self, model: str, reason: str) -> None:
        """Say why a model that looks like personal data (the completeness check) is not."""
        if not reason.strip():
            raise ImproperlyConfigured(f"privacy: give the reason {model} is excluded")
        self._excluded[model.lower()] = reason

    def kinds(self) -> list[PersonalDataKind[Any]]:
        return list(self._kinds.values())

    def kind(self, key: str) -> PersonalDataKind[Any] | None:
        return self._kinds.get(key)

    def subject_kinds(self) -> list[PersonalDataKind[Any]]:
        return [kind for kind in self._kinds.values() if kind.subject is not None]

    def subject_kind(self, slug: str) -> PersonalDataKind[Any] | None:
        found = (k for k in self.subject_kinds() if k.subject and k.subject.slug == slug)
        return next(found, None)

    def retention_rules(self) -> list[RetentionRule]:
        return [rule for kind in self._kinds.values() for rule in kind.retention]

    def excluded(self) -> dict[str, str]:
        return dict(self._excluded)

    def covered_models(self) -> set[str]:
        """Models covered by a kind: as its record, or as rows that belong to its records."""
        covered = set(self._kinds)
        for kind in self._kinds.values():
            covered |= {related.model.lower() for related in kind.related}
        return covered

    def unregistered_models(self) -> list[str]:
        """Models holding personal data that no kind covers and nobody excluded."""
        known = self.covered_models() | set(self._excluded)
        kind_models = {kind.model for kind in self._kinds.values()}
        return sorted(
            model._meta.label_lower
            for model in apps.get_models()
            if model._meta.label_lower not in known and _holds_personal_data(model, kind_models)
        )


def _holds_personal_data(model: type[models.Model], kind_models: set[type[models.Model]]) -> bool:
    for field in model._meta.get_fields():
        if isinstance(field, EncryptedTextField):
            return True
        # A relation this model declares (not the reverse side) to a registered kind.
        if field.is_relation and not field.auto_created and field.related_model in kind_models:
            return True
    return False


registry = PrivacyRegistry()


def autodiscover() -> None:
    """Import every installed app's ``privacy`` module, which registers its kinds."""
    autodiscover_modules("privacy")
