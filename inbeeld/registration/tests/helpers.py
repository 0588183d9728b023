"""Registrations for tests, made through the services like a zorgcoördinator would."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

from django.utils import timezone

from inbeeld.accounts.models import Role, User
from inbeeld.cases.models import Case
from inbeeld.regions.models import Municipality
from inbeeld.registration.models import Registration
from inbeeld.registration.services import RegistrationInput, prefill, registration_save
from inbeeld.testing.world import World


def coordinator(world: World, letter: str = "A") -> User:
    return world.user(Role.ZORGCOORDINATOR, letter)


def complete_input(case: Case, **changes: Any) -> RegistrationInput:
    """The prefill, completed so that it may be sent: an adult who signed her consent."""
    data = replace(
        prefill(case),
        exploitation_forms=["sexual"],
        place_municipality=Municipality.objects.get(code="GM0664"),
        place_country="",
        age=24,
        minority="adult",
        legal_basis="consent",
        consent_signed_by="person",
        consent_date=timezone.localdate() - timedelta(days=1),
    )
    return replace(data, **changes)


def draft(world: World, case: Case, letter: str = "A", **changes: Any) -> Registration:
    return registration_save(
        by=coordinator(world, letter), case=case, data=complete_input(case, **changes)
    )
