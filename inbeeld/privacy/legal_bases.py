"""The legal bases InBeeld accepts for sharing personal data, with their sources.

One maintained list: every share (assigning a signal, passing a tip, inviting a partner to a
case) names one of these, so the FG can see on which ground each piece of data travelled.
Special-category (AVG art. 9) and criminal-law data (AVG art. 10) need the additional
grounds of the UAVG on top of an art. 6 ground; docs/privacy.md explains which applies when.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class LegalBasis(models.TextChoices):
    CONSENT = "consent", _("Consent of the person (AVG art. 6(1)(a) and 9(2)(a))")
    LEGAL_OBLIGATION = "avg_6_1_c", _("Legal obligation (AVG art. 6(1)(c))")
    VITAL_INTEREST = "avg_6_1_d", _("Vital interest, acute danger (AVG art. 6(1)(d) and 9(2)(c))")
    PUBLIC_TASK = "avg_6_1_e", _("Task in the public interest (AVG art. 6(1)(e))")
    POLICE_DATA = "wpg_20", _("Police data for a partnership (Wet politiegegevens art. 20)")
    CRIMINAL_DATA = "uavg_33", _("Criminal-law data in a partnership (UAVG art. 33)")
    COVENANT = "covenant", _("The regional covenant on human trafficking")


SOURCES: dict[str, str] = {
    LegalBasis.CONSENT: "https://eur-lex.europa.eu/eli/reg/2016/679/oj (art. 6, 7, 9)",
    LegalBasis.LEGAL_OBLIGATION: "https://eur-lex.europa.eu/eli/reg/2016/679/oj (art. 6)",
    LegalBasis.VITAL_INTEREST: "https://eur-lex.europa.eu/eli/reg/2016/679/oj (art. 6, 9)",
    LegalBasis.PUBLIC_TASK: "https://eur-lex.europa.eu/eli/reg/2016/679/oj (art. 6)",
    LegalBasis.POLICE_DATA: "https://wetten.overheid.nl/BWBR0022463 (art. 20)",
    LegalBasis.CRIMINAL_DATA: "https://wetten.overheid.nl/BWBR0040940 (art. 33)",
    LegalBasis.COVENANT: "the covenant the region's partners signed (kept by the ketenregisseur)",
}
