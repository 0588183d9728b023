"""System check: the configured keys match the database (fingerprints.py)."""

from __future__ import annotations

from typing import Any

from django.core.checks import Error, register


@register()
def keys_match_the_database(app_configs: Any = None, **kwargs: Any) -> list[Error]:
    from inbeeld.privacy.fingerprints import key_problems_or_none

    return [
        Error(str(problem), id=f"inbeeld.E00{index}")
        for index, problem in enumerate(key_problems_or_none() or [], start=1)
    ]
