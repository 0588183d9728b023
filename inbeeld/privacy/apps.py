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
        from inbeeld.privacy.registry import autodiscover

        autodiscover()
