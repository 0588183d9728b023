from __future__ import annotations

from django.urls import path

from inbeeld.signals import (
    consent_views,
    intake_views,
    merge_views,
    public_views,
    triage_views,
    views,
)

app_name = "signals"

urlpatterns = [
    path("meldpunt/", public_views.meldpunt, name="meldpunt"),
    path("meldpunt/status/", public_views.status, name="public_status"),
    path("signalen/", views.queue, name="queue"),
    path("signalen/<int:signal_id>/", views.detail, name="detail"),
    path("signalen/nieuw/", intake_views.create, name="create"),
    path(
        "signalen/<int:signal_id>/bijlagen/<int:attachment_id>/",
        intake_views.attachment,
        name="attachment",
    ),
    path("signalen/<int:signal_id>/samenvoegen/", merge_views.merge, name="merge"),
    path(
        "signalen/<int:signal_id>/samenvoegen/<int:merge_id>/ongedaan/",
        merge_views.merge_undo,
        name="merge_undo",
    ),
    path("signalen/<int:signal_id>/notities/", triage_views.note_add, name="note_add"),
    path("signalen/<int:signal_id>/toewijzen/", triage_views.assign, name="assign"),
    path(
        "signalen/<int:signal_id>/toewijzen/<int:share_id>/beeindigen/",
        triage_views.unassign,
        name="unassign",
    ),
    path("signalen/<int:signal_id>/tip/", triage_views.tip, name="tip"),
    path("tips/", triage_views.tips_received, name="tips_received"),
    path("overlegtafel/", triage_views.case_table_view, name="case_table"),
    path("signalen/<int:signal_id>/toestemming/", consent_views.consent_add, name="consent_add"),
    path(
        "signalen/<int:signal_id>/toestemming/<int:consent_id>/ingetrokken/",
        consent_views.consent_withdraw_view,
        name="consent_withdraw",
    ),
]
