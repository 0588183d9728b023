from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TasksConfig(AppConfig):
    name = "inbeeld.tasks"
    verbose_name = _("Tasks and deadlines")

    def ready(self) -> None:
        # Every app that has dated things registers its kinds of subject in its own
        # task_subjects.py (tasks/registry.py): who may see a subject is that app's decision.
        from django.utils.module_loading import autodiscover_modules

        autodiscover_modules("task_subjects")
