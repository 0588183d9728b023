from __future__ import annotations

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "inbeeld.web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        # Each app's home.py registers its blocks of the home page (lib/home_blocks.py).
        autodiscover_modules("home")
