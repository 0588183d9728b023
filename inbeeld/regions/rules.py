"""Who may see a region's pages (django-rules): anyone holding a role in it."""

from __future__ import annotations

from inbeeld.accounts.predicates import holds_role_in_region, permission

permission("regions.view_region", holds_role_in_region())
