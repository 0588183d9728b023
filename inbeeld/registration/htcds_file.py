"""Cases as HTCDS v2 records (IOM's Human Trafficking Case Data Standard), as CSV or JSON.

Framework-free (an import-linter contract): the Django side (registration/exports.py)
selects the cases of a region and hands over plain ``HtcdsCase`` values with InBeeld's own
codes; this module maps the codes to HTCDS's value labels and writes the file. The mapping
tables below are the ones docs/exports.md prints; a test holds every InBeeld code to a
mapping, so that a code added to cases/codes.py cannot silently fall out of the export.

Field names are HTCDS's own (``prs_``, ``vic_``, ``per_``, ``cas_``, ``hte_``, ``spl_``;
../shared/specs/registration.md, "HTCDS — the complete field list (v2.0)"), with one
addition HTCDS leaves to the system: ``cas_Id``, the record's key.

Personal identifiers (``prs_FirstName``, ``prs_SecondName``, ``prs_Birthdate`` and the
case reference as ``cas_Id``) are only present when the caller passes them (the CLI's
``--identifiers`` with a legal basis); otherwise they are empty and ``cas_Id`` is a keyed
pseudonym made on the Django side. Free text (notes, outcome, care plan goals) is never in
a record: HTCDS's ``spl_Objectives`` / ``spl_ActionPlan`` stay out.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import IO, Any

from inbeeld.lib.safe_csv import SafeWriter

FORMAT_VERSION = "inbeeld-htcds-1"
STANDARD = "HTCDS 2.0"
LIST_SEPARATOR = "|"
DELIMITER = ";"
BOM = "\ufeff"

# --- InBeeld code → HTCDS value label ---------------------------------------------------

CASE_STATUS: dict[str, str] = {
    "open": "Active",
    "closed": "Closed",
    "closed_referred": "Closed Referred",
}
GENDER: dict[str, str] = {
    "female": "Feminine",
    "male": "Masculine",
    "other": "Non-Conforming",
    "": "Not Specified/Unknown",
}
# HTCDS has no step between possible and actual: InBeeld's "presumed" (vermoedelijk) is
# still a possible victim in HTCDS's terms (no authority decided it).
TRAFFICKING_STATUS: dict[str, str] = {
    "possible": "Possible victim of trafficking",
    "presumed": "Possible victim of trafficking",
    "actual": "Actual victim of trafficking",
    "not_victim": "Not a victim of trafficking",
}
DECIDED_BY: dict[str, str] = {
    "police": "Police",
    "ngo": "NGO",
    "court": "Court or prosecution",
    "government": "Non-police governmental organization",
    "other": "Other",
    "": "",
}
# cases/codes.py Relationship: intimate partner and friend are "Acquainted" in HTCDS;
# "other" says nothing HTCDS can hold, so it is left empty.
RELATIONSHIP: dict[str, str] = {
    "family": "Familial",
    "intimate_partner": "Acquainted",
    "acquaintance": "Acquainted",
    "unacquainted": "Unacquainted",
    "other": "",
    "": "",
}
CHANNEL: dict[str, str] = {
    "facebook": "Facebook",
    "instagram": "Instagram",
    "whatsapp": "WhatsApp",
    "telegram": "Telegram",
    "messenger": "Facebook Messenger",
    "viber": "Viber",
    "snapchat": "SnapChat",
    "line": "Line",
    "4sale": "4Sale",
    "wechat": "WeChat",
    "qq": "QQ",
    "qzone": "QZone",
    "tiktok": "TikTok",
    "twitter": "Twitter",
    "other": "Other",
}
RECRUITMENT: dict[str, str] = {
    "place_of_business": "At a place of business",
    "education": "At an educational institution",
    "at_work": "At work",
    "social_networks": "Through online social networks",
    "online_advert": "Through an online advertisement",
    "television_advert": "Through a television advert",
    "newspaper_advert": "Through a newspaper advert",
    "family": "Through family or family events",
    "friends": "Through friends or social events",
    "other": "Other",
}
# HTCDS MethodsOfControl; RestrictsMovement and UsesChildren are defined in HTCDS's
# Field Definitions.md though missing from the picklist.
CONTROL: dict[str, str] = {
    "physical_threats": "Physical threats",
    "threats_law_enforcement": "Threats of law enforcement",
    "threatens_family": "Threatens children/family",
    "debt_bondage": "Debt bondage",
    "false_promises": "False promises",
    "physical_abuse": "Physical abuse",
    "sexual_abuse": "Sexual abuse",
    "psychological_abuse": "Psychological abuse",
    "takes_earnings": "Takes earnings",
    "restricts_financial_access": "Restricts financial access",
    "restricts_movement": "Restricts movement",
    "restricts_medical_care": "Restricts medical care",
    "withholds_necessities": "Withholds necessities",
    "withholds_documents": "Withholds documents",
    "psychoactive_substances": "Psychoactive substance",
    "excessive_working_hours": "Excessive working hours",
    "uses_children": "Uses children",
    "other": "Other",
}
# The signals' forms of exploitation. HTCDS has no "forced criminality": it is "Other".
EXPLOITATION: dict[str, str] = {
    "sexual": "Sexual exploitation",
    "labour": "Forced labour",
    "criminal": "Other",
    "organ_removal": "Organ removal",
    "other": "Other",
}
# Sectors of work → HTCDS ForcedLabourIndustry (ISIC Rev. 4 sections, HTCDS's Tier 1).
LABOUR_INDUSTRY: dict[str, str] = {
    "agriculture": "Agriculture, forestry and fishing",
    "aquafarming": "Agriculture, forestry and fishing",
    "begging": "Other",
    "construction": "Construction",
    "cleaning": "Administrative and support service activities",
    "domestic_work": "Activities of households as employers",
    "hospitality": "Accommodation and food service activities",
    "illicit_activities": "Other",
    "manufacturing": "Manufacturing",
    "mining": "Mining and quarrying",
    "peddling": "Wholesale and retail trade",
    "transportation": "Transportation and storage",
    "labour_other": "Other",
}
# Sectors of sexual exploitation → HTCDS TypeOfSexExploitation.
SEX_EXPLOITATION: dict[str, str] = {
    "prostitution": "Prostitution",
    "pornography": "Pornography",
    "remote_interactive": "Remote Interactive Services",
    "private_sexual": "Private Sexual Services",
}
EVENT_TYPE: dict[str, str] = {
    "recruitment": "Recruitment",
    "transit": "Transit",
    "exploitation": "Exploitation",
}
# The support types of the referrals' services (referrals/models.py HTCDS_SUPPORT_TYPE),
# with the exit programme split by the case's form of exploitation (support_type()).
SUPPORT_TYPE: dict[str, str] = {
    "shelter": "Social Care",
    "health": "Health",
    "mental_health": "Health",
    "legal_aid": "Legal",
    "language_course": "Education",
    "education": "Education",
    "debt_help": "Financial",
    "income": "Financial",
    "work": "Livelihood",
    "social_care": "Social Care",
    "rights_training": "Rights-based Training",
    "other": "",
}
# A recorded relationship to the recruiter means there was a recruiter: HTCDS's perpetrator
# context can say that much (never who).
RECRUITER_ROLE = "Recruiter Or Intermediary"

COLUMNS: tuple[str, ...] = (
    "cas_Id",
    "cas_Status",
    "cas_CaseOwner",
    "prs_FirstName",
    "prs_SecondName",
    "prs_Birthdate",
    "prs_Gender",
    "prs_Citizenship",
    "vic_TraffickingStatus",
    "vic_TraffickingStatusDecisionMakingOrg",
    "vic_RelationshipToTrafficker",
    "vic_AgeWhenTrafficked",
    "vic_RecruitmentWebsitesAndApps",
    "vic_MethodOfRecruitment",
    "vic_MethodsOfControl",
    "vic_TypeOfExploitation",
    "vic_ForcedLabourIndustry",
    "vic_TypeOfSexExploitation",
    "vic_LocationOfExploitation",
    "per_RoleInProcess",
    "hte_Type",
    "hte_City",
    "hte_Country",
    "hte_Date",
    "spl_Type",
    "spl_ActualEndDate",
)
# The columns that are lists of events or support plans: in CSV, lists of equal length
# (the n-th value of each belongs to the n-th event); in JSON, a list of objects.
EVENT_COLUMNS = ("hte_Type", "hte_City", "hte_Country", "hte_Date")
SUPPORT_COLUMNS = ("spl_Type", "spl_ActualEndDate")


@dataclass(frozen=True)
class HtcdsEvent:
    kind: str  # recruitment, transit, exploitation
    city: str = ""  # the municipality's name, in the Netherlands
    country: str = ""  # ISO 3166-1 alpha-2 (NL for a municipality)
    start: date | None = None


@dataclass(frozen=True)
class HtcdsSupport:
    service: str  # referrals' ServiceType code
    end: date | None = None


@dataclass(frozen=True)
class HtcdsCase:
    """One case in InBeeld's codes. ``key`` is the pseudonym, or the case reference when
    identifiers are exported; ``first_name``/``second_name``/``birthdate`` only then."""

    key: str
    status: str
    owner_organisation: str = ""
    gender: str = ""
    nationalities: Sequence[str] = ()
    trafficking_status: str = "possible"
    decided_by: str = ""
    relationship: str = ""
    age_at_exploitation: int | None = None
    channels: Sequence[str] = ()
    recruitment_methods: Sequence[str] = ()
    control_methods: Sequence[str] = ()
    exploitation_forms: Sequence[str] = ()
    sectors: Sequence[str] = ()
    events: Sequence[HtcdsEvent] = ()
    services: Sequence[HtcdsSupport] = ()
    first_name: str = ""
    second_name: str = ""
    birthdate: str = ""  # ISO date, as the case keeps it


def _mapped(table: dict[str, str], codes: Iterable[str]) -> list[str]:
    """The HTCDS labels of codes, each once, in the order first met; unmapped codes and
    empty labels are left out (a test holds every InBeeld code to a mapping)."""
    labels: list[str] = []
    for code in codes:
        label = table.get(code, "")
        if label and label not in labels:
            labels.append(label)
    return labels


def support_type(service: str, exploitation_forms: Sequence[str]) -> str:
    if service == "exit_programme":
        if "sexual" in exploitation_forms:
            return "Sexual Exploitation Rehabilitation"
        return "Labour Exploitation Rehabilitation"
    return SUPPORT_TYPE.get(service, "")


def _iso(value: date | None) -> str:
    return value.isoformat() if value else ""


def as_record(case: HtcdsCase) -> dict[str, Any]:
    """The case as one HTCDS record: field name → value (lists for multi-valued fields;
    ``hte``/``spl`` as lists of objects)."""
    exploitation_countries = sorted(
        {e.country for e in case.events if e.kind == "exploitation" and e.country}
    )
    return {
        "cas_Id": case.key,
        "cas_Status": CASE_STATUS.get(case.status, ""),
        "cas_CaseOwner": case.owner_organisation,
        "prs_FirstName": case.first_name,
        "prs_SecondName": case.second_name,
        "prs_Birthdate": case.birthdate,
        "prs_Gender": GENDER.get(case.gender, GENDER[""]),
        "prs_Citizenship": list(case.nationalities),
        "vic_TraffickingStatus": TRAFFICKING_STATUS.get(case.trafficking_status, ""),
        "vic_TraffickingStatusDecisionMakingOrg": DECIDED_BY.get(case.decided_by, ""),
        "vic_RelationshipToTrafficker": RELATIONSHIP.get(case.relationship, ""),
        "vic_AgeWhenTrafficked": case.age_at_exploitation,
        "vic_RecruitmentWebsitesAndApps": _mapped(CHANNEL, case.channels),
        "vic_MethodOfRecruitment": _mapped(RECRUITMENT, case.recruitment_methods),
        "vic_MethodsOfControl": _mapped(CONTROL, case.control_methods),
        "vic_TypeOfExploitation": _mapped(EXPLOITATION, case.exploitation_forms),
        "vic_ForcedLabourIndustry": _mapped(LABOUR_INDUSTRY, case.sectors),
        "vic_TypeOfSexExploitation": _mapped(SEX_EXPLOITATION, case.sectors),
        "vic_LocationOfExploitation": exploitation_countries,
        "per_RoleInProcess": RECRUITER_ROLE if case.relationship else "",
        "hte": [
            {
                "hte_Type": EVENT_TYPE.get(event.kind, ""),
                "hte_City": event.city,
                "hte_Country": event.country,
                "hte_Date": _iso(event.start),
            }
            for event in case.events
        ],
        "spl": [
            {
                "spl_Type": support_type(service.service, case.exploitation_forms),
                "spl_ActualEndDate": _iso(service.end),
            }
            for service in case.services
        ],
    }


def _csv_row(record: dict[str, Any]) -> list[Any]:
    row: list[Any] = []
    for column in COLUMNS:
        if column in EVENT_COLUMNS:
            value: Any = [item[column] for item in record["hte"]]
        elif column in SUPPORT_COLUMNS:
            value = [item[column] for item in record["spl"]]
        else:
            value = record[column]
        if isinstance(value, list):
            value = LIST_SEPARATOR.join(str(item) for item in value)
        row.append("" if value is None else value)
    return row


def write_csv(cases: Iterable[HtcdsCase], handle: IO[str]) -> int:
    """Write the CSV file (Dutch Excel's convention, as the CoMensha file) to ``handle``,
    one case at a time; the number of records written."""
    handle.write(BOM)
    writer = SafeWriter(handle, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    written = 0
    for case in cases:
        writer.writerow(_csv_row(as_record(case)))
        written += 1
    return written


def write_json(cases: Iterable[HtcdsCase], handle: IO[str], *, meta: dict[str, Any]) -> int:
    """Write one JSON object: ``meta`` (format, region, pseudonymised), then ``records``,
    streamed one case at a time (the whole file is never in memory)."""
    head = {"format": FORMAT_VERSION, "standard": STANDARD, **meta}
    handle.write(json.dumps(head, ensure_ascii=False, indent=1)[:-2])
    handle.write(',\n "records": [')
    written = 0
    for case in cases:
        handle.write("\n  " if written == 0 else ",\n  ")
        handle.write(json.dumps(as_record(case), ensure_ascii=False, sort_keys=False))
        written += 1
    handle.write("\n ]\n}\n" if written else "]\n}\n")
    return written
