"""The registry of kinds of personal data: complete, and strict about what a kind must say."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured

from inbeeld.insight.models import EncodedList
from inbeeld.privacy.registry import Kept, PersonalDataKind, PrivacyRegistry, Related, registry
from inbeeld.privacy.retention import RetentionRule
from inbeeld.signals.models import Signal
from inbeeld.signals.privacy import SignalRights


def test_every_model_holding_personal_data_is_registered_or_excluded_with_a_reason() -> None:
    # A model with an encrypted field, or a relation to a registered kind's model, that no
    # app registered (as a kind or as rows belonging to one) fails here.
    assert registry.unregistered_models() == []
    assert all(reason.strip() for reason in registry.excluded().values())


def test_the_check_names_personal_data_nobody_registered() -> None:
    nobody = PrivacyRegistry()
    assert {"signals.signal", "insight.encodedlist", "privacy.share"} <= set(
        nobody.unregistered_models()
    )
    # Registering the signal alone is not enough: its notes point at it and hold text.
    signals_only = PrivacyRegistry()
    signals_only.register(PersonalDataKind(model=Signal, label="Signals", kept=(Kept("kept"),)))
    missing = signals_only.unregistered_models()
    assert "signals.signal" not in missing
    assert {"signals.signalnote", "signals.signalidentifier", "signals.signalmerge"} <= set(missing)
    signals_only.register(
        PersonalDataKind(
            model=EncodedList,
            label="Lists",
            kept=(Kept("kept"),),
            related=(Related("signals.SignalNote", "Notes", "with their signal"),),
        )
    )
    assert "signals.signalnote" not in signals_only.unregistered_models()


def test_the_apps_registered_their_kinds_from_their_own_privacy_modules() -> None:
    keys = {kind.key for kind in registry.kinds()}
    assert {
        "signals.signal",
        "insight.encodedlist",
        "axes.accessattempt",
        "axes.accessfailurelog",
        "axes.accesslog",
        "audit.auditentry",
        "privacy.share",
        "privacy.consent",
        "privacy.datasubjectrequest",
    } <= keys
    # In the order of INSTALLED_APPS; the apps that build on cases come after it.
    subject_kinds = [kind.key for kind in registry.subject_kinds()]
    assert subject_kinds[:2] == ["signals.signal", "cases.case"]
    assert "careplans.careplan" in subject_kinds


def test_every_kind_says_what_happens_to_its_records() -> None:
    for kind in registry.kinds():
        assert kind.retention or kind.kept, kind.key
        for kept in kind.kept:
            assert str(kept.statement).strip(), kind.key


def test_a_kind_that_says_nothing_is_refused() -> None:
    with pytest.raises(ImproperlyConfigured, match="says nothing"):
        PrivacyRegistry().register(PersonalDataKind(model=Signal, label="Signals"))


def test_a_kind_and_a_rule_are_registered_once() -> None:
    rule = RetentionRule("lists", "Lists", "insight.EncodedList", "uploaded_at", "region", 1)
    twice = PrivacyRegistry()
    twice.register(PersonalDataKind(model=EncodedList, label="Lists", retention=(rule,)))
    with pytest.raises(ImproperlyConfigured, match="registered twice"):
        twice.register(PersonalDataKind(model=EncodedList, label="Lists", kept=(Kept("k"),)))
    same_rule = PersonalDataKind(
        model=Signal,
        label="Signals",
        retention=(RetentionRule("lists", "Lists", "signals.Signal", "closed_at", "region", 1),),
    )
    with pytest.raises(ImproperlyConfigured, match="rule lists is registered twice"):
        twice.register(same_rule)


def test_a_rule_belongs_to_its_kinds_model() -> None:
    rule = RetentionRule("lists", "Lists", "insight.EncodedList", "uploaded_at", "region", 1)
    with pytest.raises(ImproperlyConfigured, match=r"is about insight\.EncodedList"):
        PrivacyRegistry().register(PersonalDataKind(model=Signal, label="S", retention=(rule,)))


def test_an_exclusion_needs_its_reason() -> None:
    with pytest.raises(ImproperlyConfigured, match="give the reason"):
        PrivacyRegistry().exclude("signals.SignalNote", " ")


def test_a_kind_for_data_subject_requests_needs_an_address_of_its_own() -> None:
    class Odd(SignalRights):
        slug = "Signalen/oud"

    with pytest.raises(ImproperlyConfigured, match="not lower-case"):
        PrivacyRegistry().register(
            PersonalDataKind(model=Signal, label="S", kept=(Kept("k"),), subject=Odd())
        )
    taken = PrivacyRegistry()
    taken.register(
        PersonalDataKind(model=Signal, label="S", kept=(Kept("k"),), subject=SignalRights())
    )
    with pytest.raises(ImproperlyConfigured, match="signalen is taken"):
        taken.register(
            PersonalDataKind(
                model=EncodedList, label="L", kept=(Kept("k"),), subject=SignalRights()
            )
        )
