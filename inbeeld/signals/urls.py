from __future__ import annotations

from django.urls import path

from inbeeld.signals.views import consent, intake, merge, public, queue, search, triage

app_name = "signals"

urlpatterns = [
    path("meldpunt/", public.meldpunt, name="meldpunt"),
    path("meldpunt/status/", public.status, name="public_status"),
    path("signalen/", queue.queue, name="queue"),
    path("signalen/export/", queue.queue_export, name="queue_export"),
    path("signalen/<int:signal_id>/", queue.detail, name="detail"),
    path("signalen/nieuw/", intake.create, name="create"),
    path(
        "signalen/<int:signal_id>/bijlagen/<int:attachment_id>/",
        intake.attachment,
        name="attachment",
    ),
    path("signalen/<int:signal_id>/samenvoegen/", merge.merge, name="merge"),
    path(
        "signalen/<int:signal_id>/samenvoegen/<int:merge_id>/ongedaan/",
        merge.merge_undo,
        name="merge_undo",
    ),
    path("signalen/<int:signal_id>/notities/", triage.note_add, name="note_add"),
    path("signalen/<int:signal_id>/toewijzen/", triage.assign, name="assign"),
    path(
        "signalen/<int:signal_id>/toewijzen/<int:share_id>/beeindigen/",
        triage.unassign,
        name="unassign",
    ),
    path("signalen/<int:signal_id>/tip/", triage.tip, name="tip"),
    path("zoeken/", search.search, name="search"),
    path("tips/", triage.tips_received, name="tips_received"),
    path("signalen/<int:signal_id>/toestemming/", consent.consent_add, name="consent_add"),
    path(
        "signalen/<int:signal_id>/toestemming/<int:consent_id>/ingetrokken/",
        consent.consent_withdraw_view,
        name="consent_withdraw",
    ),
]
