"""The coded statistical fields of a case, aligned with HTCDS v2's victim context (``vic_``).

They say how the exploitation worked, never who: they are what CoMensha's registration and
the open figures count (``shared/specs/registration.md``). Each list keeps HTCDS's own items;
where InBeeld differs, the comment says how a code maps back for an HTCDS export.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sector(models.TextChoices):
    """Where the exploitation took place: HTCDS ForcedLabourIndustry (Tier 1) and
    TypeOfSexExploitation, in the CTDC's published groups (``typeOfLabour*``, ``typeOfSex*``)."""

    AGRICULTURE = "agriculture", _("Agriculture and horticulture")
    AQUAFARMING = "aquafarming", _("Fishing and fish farming")
    BEGGING = "begging", _("Begging")
    CONSTRUCTION = "construction", _("Construction")
    # Cleaning is a sector of its own in the Labour Inspectorate's reports; CTDC: Other.
    CLEANING = "cleaning", _("Cleaning")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    HOSPITALITY = "hospitality", _("Hospitality")
    ILLICIT_ACTIVITIES = "illicit_activities", _("Criminal activities (drugs, theft, fraud)")
    MANUFACTURING = "manufacturing", _("Manufacturing and food processing")
    MINING = "mining", _("Mining")
    PEDDLING = "peddling", _("Street selling")
    TRANSPORTATION = "transportation", _("Transport and distribution")
    LABOUR_OTHER = "labour_other", _("Other work")
    PROSTITUTION = "prostitution", _("Prostitution")
    PORNOGRAPHY = "pornography", _("Pornography")
    REMOTE_INTERACTIVE = "remote_interactive", _("Sexual services at a distance (webcam)")
    PRIVATE_SEXUAL = "private_sexual", _("Private sexual services")


class RecruitmentMethod(models.TextChoices):
    """HTCDS MethodOfRecruitment."""

    PLACE_OF_BUSINESS = "place_of_business", _("At a place of business")
    EDUCATION = "education", _("At a school or college")
    AT_WORK = "at_work", _("At work")
    SOCIAL_NETWORKS = "social_networks", _("Through online social networks")
    ONLINE_ADVERT = "online_advert", _("Through an online advertisement")
    TELEVISION_ADVERT = "television_advert", _("Through a television advertisement")
    NEWSPAPER_ADVERT = "newspaper_advert", _("Through a newspaper advertisement")
    FAMILY = "family", _("Through family or family events")
    FRIENDS = "friends", _("Through friends or social events")
    OTHER = "other", _("Other")


class ControlMethod(models.TextChoices):
    """HTCDS MethodsOfControl, with RestrictsMovement and UsesChildren that its field
    definitions (and the CTDC's ``meansOfControl*``) add."""

    PHYSICAL_THREATS = "physical_threats", _("Threats of violence")
    THREATS_LAW_ENFORCEMENT = "threats_law_enforcement", _("Threats with the police or deportation")
    THREATENS_FAMILY = "threatens_family", _("Threats against children or family")
    DEBT_BONDAGE = "debt_bondage", _("Debt bondage")
    FALSE_PROMISES = "false_promises", _("False promises")
    PHYSICAL_ABUSE = "physical_abuse", _("Physical abuse")
    SEXUAL_ABUSE = "sexual_abuse", _("Sexual abuse")
    PSYCHOLOGICAL_ABUSE = "psychological_abuse", _("Psychological abuse")
    TAKES_EARNINGS = "takes_earnings", _("Takes the earnings")
    RESTRICTS_FINANCIAL_ACCESS = "restricts_financial_access", _("Restricts access to money")
    RESTRICTS_MOVEMENT = "restricts_movement", _("Restricts freedom of movement")
    RESTRICTS_MEDICAL_CARE = "restricts_medical_care", _("Withholds medical care")
    WITHHOLDS_NECESSITIES = "withholds_necessities", _("Withholds food, sleep or shelter")
    WITHHOLDS_DOCUMENTS = "withholds_documents", _("Withholds identity documents")
    PSYCHOACTIVE_SUBSTANCES = "psychoactive_substances", _("Drugs or alcohol")
    EXCESSIVE_WORKING_HOURS = "excessive_working_hours", _("Excessive working hours")
    USES_CHILDREN = "uses_children", _("Uses the person's children")
    OTHER = "other", _("Other")


class OnlineChannel(models.TextChoices):
    """HTCDS RecruitmentWebsitesAndApps (the same list as ExploitationWebsitesAndApps). The
    names are brands: they stay as they are in every language."""

    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    WHATSAPP = "whatsapp", "WhatsApp"
    TELEGRAM = "telegram", "Telegram"
    MESSENGER = "messenger", "Facebook Messenger"
    VIBER = "viber", "Viber"
    SNAPCHAT = "snapchat", "Snapchat"
    LINE = "line", "Line"
    FOURSALE = "4sale", "4Sale"
    WECHAT = "wechat", "WeChat"
    QQ = "qq", "QQ"
    QZONE = "qzone", "QZone"
    TIKTOK = "tiktok", "TikTok"
    TWITTER = "twitter", "Twitter / X"
    OTHER = "other", _("Other")


class Relationship(models.TextChoices):
    """The recruiter's relationship to the person. HTCDS RelationshipToTrafficker has three
    items (Familial, Acquainted, Unacquainted); the CTDC counts the intimate partner apart,
    and in the Netherlands that is the loverboy method, so InBeeld keeps it apart too. For an
    HTCDS export: family → Familial; intimate partner, friend or acquaintance → Acquainted;
    unacquainted → Unacquainted; other → not given."""

    UNKNOWN = "", _("Unknown")
    INTIMATE_PARTNER = "intimate_partner", _("(Ex-)partner or lover")
    FAMILY = "family", _("Family")
    ACQUAINTANCE = "acquaintance", _("Friend or acquaintance")
    UNACQUAINTED = "unacquainted", _("Did not know the person")
    OTHER = "other", _("Other")


# The multi-valued code lists of a case: field name → its list. Validation, the form, the
# API and the privacy export all go over this one mapping.
CODED_LISTS: dict[str, type[models.TextChoices]] = {
    "sectors": Sector,
    "recruitment_methods": RecruitmentMethod,
    "control_methods": ControlMethod,
    "recruitment_channels": OnlineChannel,
}

# Every field of the victim context, as Case, CaseInput, the case form and the API name them.
CONTEXT_FIELDS = (*CODED_LISTS, "recruiter_relationship", "age_at_exploitation")

# The oldest age at exploitation a case may give (older is a typing error).
AGE_AT_EXPLOITATION_MAX = 100


def code_labels(field: str, codes: list[str]) -> list[str]:
    """The codes of one of CODED_LISTS in the reader's language (unknown codes as they are)."""
    choices = CODED_LISTS[field]
    return [str(choices(code).label) if code in choices.values else code for code in codes]
