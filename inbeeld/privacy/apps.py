from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "inbeeld.privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        # Every app's privacy.py registers its kinds of personal data (registry.py). ready()
        # runs once all models are loaded, so an app listed after privacy in INSTALLED_APPS
        # (signals) is importable here although its own ready() has not run yet.
        from django.db.models.signals import post_migrate

        from inbeeld.privacy import checks  # noqa: F401 - registers the key check
        from inbeeld.privacy.registry import autodiscover

        autodiscover()
        post_migrate.connect(_record_key_fingerprints, sender=self)


def _record_key_fingerprints(**kwargs: object) -> None:
    """After migrate: a new installation records its keys; new encryption keys are added."""
    from inbeeld.privacy.fingerprints import key_fingerprints_record, key_problems

    if not key_problems():
        key_fingerprints_record()
