"""Who may upload, see and link encoded lists (django-rules); predicates in accounts/predicates.py.

Partners upload their organisation's list; the region's coordinators and researchers see all
of the region's lists, link them and read the estimate. Nothing crosses a region boundary.
"""

from __future__ import annotations

from inbeeld.accounts.predicates import (
    holds_role,
    holds_role_in_active_organisation,
    holds_role_in_region,
    permission,
)
from inbeeld.insight.access import (
    ANALYSE_ROLES,
    FIGURES_ROLES,
    INSIGHT_ROLES,
    OPERATIONS_ROLES,
    UPLOAD_ROLES,
)

analyses_region = holds_role_in_region(*ANALYSE_ROLES)
uploads_for_organisation = holds_role_in_active_organisation(*UPLOAD_ROLES)

permission("insight.view_overview", holds_role(*INSIGHT_ROLES))
# The key figures on the home page; which regions is insight/access.py: figures_regions.
permission("insight.view_key_figures", holds_role(*FIGURES_ROLES))
# The dashboards (/inzicht/, insight/dashboard.py: counts only): the page for anyone with a
# figures role; the figures of a region (the record: a Region) only in the user's own
# regions. A municipality's page is its region's: the roles are regional.
permission("insight.view_dashboard", holds_role(*FIGURES_ROLES))
permission("insight.view_dashboard_of", holds_role_in_region(*FIGURES_ROLES))
# The operational figures (/inzicht/werk/, insight/operations.py: durations, counts, the
# caseload of the region's coordinators): the page for the zorgcoördinator and the
# ketenregisseur; a region's figures (the record: a Region) only in their own regions.
permission("insight.view_operations", holds_role(*OPERATIONS_ROLES))
permission("insight.view_operations_of", holds_role_in_region(*OPERATIONS_ROLES))
# The pages: uploading a list (any organisation the user uploads for) and linking (any
# region the user analyses); which organisation or region is decided per object below.
permission("insight.upload_lists", holds_role(*UPLOAD_ROLES))
permission("insight.link_lists", holds_role(*ANALYSE_ROLES))
# Object: the Organisation the list is for (without one: for any organisation).
permission("insight.add_encodedlist", uploads_for_organisation)
permission("insight.view_encodedlist", uploads_for_organisation | analyses_region)
# Object: the Region whose lists are linked.
permission("insight.add_linkagerun", analyses_region)
permission("insight.view_linkagerun", analyses_region)
