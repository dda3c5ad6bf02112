"""Map ClinicalTrials.gov API v2 JSON to the fields of a trial and its French sites.

Pure functions, no database: `map_study(study)` reads one study object (as in
`/api/v2/studies/NCT...` or an element of the `studies` list of a page) and
returns a `MappedStudy`, or raises `StudyError` with a French message naming
the faulty field. Files and live API pages go through the same code.

Reference: https://clinicaltrials.gov/data-api/about-api/study-data-structure
"""

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from centres.validators import normalise_phone
from core.text import normalise

from .axes import axes_for
from .models import EnrollmentType, Phase, Status, Trial, TrialSite, facility_key
from .validators import NCT_RE


class StudyError(ValueError):
    """A study that cannot be imported; the message is shown to staff (French)."""


# --- Vocabularies of the registry --------------------------------------------

STATUSES = frozenset(Status.values)
SITE_STATUSES = frozenset(
    {
        "ACTIVE_NOT_RECRUITING",
        "COMPLETED",
        "ENROLLING_BY_INVITATION",
        "NOT_YET_RECRUITING",
        "RECRUITING",
        "SUSPENDED",
        "TERMINATED",
        "WITHDRAWN",
        "AVAILABLE",
    }
)
PHASES = ("NA", "EARLY_PHASE1", "PHASE1", "PHASE2", "PHASE3", "PHASE4")
STUDY_TYPES = frozenset(Trial.StudyType.values)
ENROLLMENT_TYPES = frozenset(EnrollmentType.values)
SEXES = frozenset(Trial.Sex.values)
SPONSOR_CLASSES = {
    "NIH": Trial.SponsorType.ACADEMIC,
    "FED": Trial.SponsorType.ACADEMIC,
    "OTHER_GOV": Trial.SponsorType.ACADEMIC,
    "NETWORK": Trial.SponsorType.ACADEMIC,
    # Hospitals, universities and cooperative groups are "OTHER" in the registry.
    "OTHER": Trial.SponsorType.ACADEMIC,
    "INDUSTRY": Trial.SponsorType.INDUSTRY,
    "INDIV": Trial.SponsorType.OTHER,
    "AMBIG": Trial.SponsorType.OTHER,
    "UNKNOWN": Trial.SponsorType.OTHER,
}
SECONDARY_ID_TYPES = frozenset(
    {
        "NIH",
        "FDA",
        "VA",
        "CDC",
        "AHRQ",
        "SAMHSA",
        "OTHER_GRANT",
        "EUDRACT_NUMBER",
        "CTIS",
        "REGISTRY",
        "OTHER",
    }
)
CONTACT_ROLES = frozenset(
    {"STUDY_CHAIR", "STUDY_DIRECTOR", "PRINCIPAL_INVESTIGATOR", "SUB_INVESTIGATOR", "CONTACT"}
)

# Countries whose sites are "in France", overseas included, as the registry names them.
FRENCH_COUNTRIES = frozenset(
    normalise(c)
    for c in (
        "France",
        "Guadeloupe",
        "Martinique",
        "French Guiana",
        "Réunion",
        "Reunion",
        "Mayotte",
        "New Caledonia",
        "French Polynesia",
        "Saint Pierre and Miquelon",
        "Saint Martin",
        "Saint Barthélemy",
        "Wallis and Futuna",
    )
)

# Registry text longer than its field is cut to fit, with a warning: prose at a
# word, with an ellipsis; identifiers as they are; a phone keeps its first number.
ELLIPSIS = "…"
IDENTIFIER_FIELDS = frozenset({"acronym", "org_study_id"})
PHONE_FIELDS = frozenset({"contact_phone"})
EMAIL_MAX_LENGTH = 254
_PHONE_LIST_RE = re.compile(r"\s*(?:[/,;]|\b(?:or|ou|and|et)\b)\s*", re.IGNORECASE)
_PHONE_EXT_RE = re.compile(r"\s*(?:ext|extension|poste|p)\b\.?\s*:?\s*\d+.*$", re.IGNORECASE)

# EU CT and EudraCT numbers anywhere in a secondary identifier, not inside a longer number.
_EU_CT_IN_TEXT = re.compile(r"(?<![\d-])((?:19|20)\d{2}-\d{6}-\d{2}-\d{2})(?!-?\d)")
_EUDRACT_IN_TEXT = re.compile(r"(?<![\d-])((?:19|20)\d{2}-\d{6}-\d{2})(?!-?\d)")
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2013\u2014", "-"))  # typographic dashes

_AGE_RE = re.compile(r"^(\d{1,3})\s+(year|month|week|day|hour|minute)s?$", re.IGNORECASE)
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_POSTCODE_RE = re.compile(r"\b(\d{5})\b")
_DAYS_PER_UNIT = {"year": 365.25, "month": 30.44, "week": 7, "day": 1, "hour": 1 / 24, "minute": 0}


# What each site field is read from in a location: a key absent from the location
# leaves the stored value as it is.
SITE_KEYS = {
    "facility_postcode": "zip",
    "status": "status",
    "investigator": "contacts",
    "contact_name": "contacts",
    "contact_phone": "contacts",
    "contact_email": "contacts",
}


@dataclass
class MappedSite:
    """A location in France, as the registry gives it (`known`: the fields it says)."""

    facility_name: str
    facility_city: str
    facility_postcode: str
    facility_country: str
    status: str
    investigator: str = ""
    contact_name: str = ""
    contact_phone: str = ""
    contact_email: str = ""
    latitude: float | None = None  # the registry's geoPoint, when it gives one
    longitude: float | None = None
    known: frozenset = frozenset(("facility_name", "facility_city", "facility_country", *SITE_KEYS))

    @property
    def key(self) -> str:
        return facility_key(self.facility_name, self.facility_city)

    @property
    def label(self) -> str:
        return f"{self.facility_name} ({self.facility_city or 'commune inconnue'})"


@dataclass
class MappedStudy:
    """What the registry says about one study, in the trial's terms.

    `fields` holds only what the record says: a field it does not mention is
    missing (keep what is stored). `sites` is None when the record says nothing
    usable about locations (no locations, or a partial capture of them).
    """

    nct_number: str
    fields: dict
    sites: list[MappedSite] | None = field(default_factory=list)
    axis_slugs: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    is_full: bool = True

    def title(self) -> str:
        """The title a new trial gets: the brief one, else the official one."""
        return self.fields.get("brief_title") or self.fields.get("official_title") or ""


# --- Reading the document ------------------------------------------------------


def studies_in(document) -> list:
    """The studies of a document: one study object, or a page `{"studies": [...]}`."""
    if isinstance(document, dict) and "studies" in document:
        studies = document["studies"]
        if not isinstance(studies, list):
            raise StudyError("« studies » devrait être une liste d’études.")
        return studies
    if isinstance(document, dict) and "protocolSection" in document:
        return [document]
    raise StudyError(
        "ni une étude (« protocolSection ») ni une page de l’API (« studies ») : "
        "ce fichier n’est pas au format JSON de l’API v2 de ClinicalTrials.gov."
    )


def study_label(study, index: int) -> str:
    """How to name a study in a report, even a broken one."""
    try:
        nct = study["protocolSection"]["identificationModule"]["nctId"]
    except (KeyError, TypeError):
        nct = None
    if isinstance(nct, str) and nct.strip():
        return f"étude {nct.strip()[:20]}"
    return f"étude n° {index} (sans numéro NCT)"


# --- Typed access --------------------------------------------------------------


def _obj(parent: dict, key: str, path: str) -> dict:
    value = parent.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise StudyError(f"{path}.{key} devrait être un objet.")
    return value


def _list(parent: dict, key: str, path: str) -> list:
    value = parent.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise StudyError(f"{path}.{key} devrait être une liste.")
    return value


def _text(parent: dict, key: str, path: str) -> str:
    value = parent.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise StudyError(f"{path}.{key} devrait être du texte.")
    return value.replace("\x00", "").strip()


def _enum(parent: dict, key: str, path: str, allowed, *, required=False) -> str:
    value = _text(parent, key, path)
    if not value:
        if required:
            raise StudyError(f"{path}.{key} manque.")
        return ""
    if value not in allowed:
        raise StudyError(f"valeur inconnue « {value[:60]} » pour {path}.{key}.")
    return value


def _lines(values, path: str) -> str:
    lines = []
    for value in values:
        if not isinstance(value, str):
            raise StudyError(f"{path} devrait être une liste de textes.")
        value = " ".join(value.replace("\x00", "").split())
        if value and value not in lines:
            lines.append(value)
    return "\n".join(lines)


def parse_date(value: str, path: str) -> date | None:
    """A registry date: "2024", "2024-03" or "2024-03-15" (partial dates: the first day)."""
    if not value:
        return None
    match = _DATE_RE.match(value)
    if not match:
        raise StudyError(f"date illisible « {value[:30]} » pour {path}.")
    year, month, day = int(match[1]), int(match[2] or 1), int(match[3] or 1)
    try:
        return date(year, month, day)
    except ValueError:
        raise StudyError(f"date impossible « {value[:30]} » pour {path}.") from None


def parse_age(value: str, path: str) -> int | None:
    """ "18 Years" -> 18, "6 Months" -> 0; absent or "N/A" -> None."""
    if not value or value.upper() in ("N/A", "NA"):
        return None
    match = _AGE_RE.match(value.strip())
    if not match:
        raise StudyError(f"âge illisible « {value[:30]} » pour {path}.")
    n, unit = int(match[1]), match[2].lower()
    return n if unit == "year" else int(n * _DAYS_PER_UNIT[unit] // 365.25)


def _date_struct(module: dict, key: str, path: str) -> date | None:
    return parse_date(_text(_obj(module, key, path), "date", f"{path}.{key}"), f"{path}.{key}")


def _phase(design: dict, path: str) -> str:
    phases = _list(design, "phases", path)
    for value in phases:
        if value not in PHASES:
            raise StudyError(f"valeur inconnue « {str(value)[:60]} » pour {path}.phases.")
    joined = "_".join(p for p in PHASES if p in phases)
    if joined and joined not in Phase.values:
        raise StudyError(f"combinaison de phases inconnue {phases!r} pour {path}.phases.")
    return joined


def _email(value: str, warnings: list, where: str) -> str:
    if not value:
        return ""
    try:
        if len(value) > EMAIL_MAX_LENGTH:
            raise ValidationError("too long")
        validate_email(value)
    except ValidationError:
        warnings.append(f"courriel illisible ignoré ({where}) : {value[:60]}")
        return ""
    return value


def fit(model, name: str, value: str, warnings: list, where: str) -> str:
    """`value` cut to the max_length of `model.name`, with a warning when it is cut."""
    max_length = model._meta.get_field(name).max_length
    if max_length is None or len(value) <= max_length:
        return value
    if name in PHONE_FIELDS:
        fitted = first_phone(value, max_length)
    elif name in IDENTIFIER_FIELDS:
        fitted = value[:max_length].rstrip()
    else:
        fitted = shorten(value, max_length)
    verbose = model._meta.get_field(name).verbose_name
    warnings.append(
        f"{verbose} trop long ({len(value)} caractères), raccourci ({where})\u00a0: {fitted[:60]}"
    )
    return fitted


def shorten(text: str, max_length: int) -> str:
    """Prose cut at a word boundary, ending with an ellipsis, within `max_length`."""
    cut = text[: max_length - len(ELLIPSIS)]
    space = cut.rfind(" ")
    if space > max_length // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–(") + ELLIPSIS


def first_phone(text: str, max_length: int) -> str:
    """The first phone number of a list ("02 … / 02 …", "… or …"), its extension
    kept if it fits; "" if even the first number does not fit."""
    numbers, sep, ext = text.rpartition(" poste ")  # the extension `_phone` added
    if not sep:
        numbers, ext = text, ""
    first = next((part for part in _PHONE_LIST_RE.split(numbers) if part.strip()), "")
    number = normalise_phone(_PHONE_EXT_RE.sub("", first))
    for candidate in (f"{number} poste {ext}" if ext else "", number):
        if candidate and len(candidate) <= max_length:
            return candidate
    return ""


def _phone(contact: dict, path: str) -> str:
    phone = normalise_phone(_text(contact, "phone", path))
    ext = _text(contact, "phoneExt", path)
    return f"{phone} poste {ext}" if phone and ext else phone


def _contacts(contacts: list, path: str) -> list[dict]:
    result = []
    for i, contact in enumerate(contacts):
        where = f"{path}[{i}]"
        if not isinstance(contact, dict):
            raise StudyError(f"{where} devrait être un objet.")
        result.append(
            {
                "name": _text(contact, "name", where),
                "role": _enum(contact, "role", where, CONTACT_ROLES),
                "phone": _phone(contact, where),
                "email": _text(contact, "email", where),
            }
        )
    return result


# --- The mapping --------------------------------------------------------------


def map_study(study) -> MappedStudy:
    """One registry study to a `MappedStudy`; `StudyError` if it cannot be trusted."""
    if not isinstance(study, dict):
        raise StudyError("une étude devrait être un objet JSON.")
    protocol = _obj(study, "protocolSection", "study")
    if not protocol:
        raise StudyError("protocolSection manque.")
    p = "protocolSection"
    ident = _obj(protocol, "identificationModule", p)
    status_mod = _obj(protocol, "statusModule", p)
    sponsors = _obj(protocol, "sponsorCollaboratorsModule", p)
    description = _obj(protocol, "descriptionModule", p)
    conditions_mod = _obj(protocol, "conditionsModule", p)
    design = _obj(protocol, "designModule", p)
    arms = _obj(protocol, "armsInterventionsModule", p)
    eligibility = _obj(protocol, "eligibilityModule", p)
    locations_mod = _obj(protocol, "contactsLocationsModule", p)
    warnings: list[str] = []

    ip = f"{p}.identificationModule"
    nct = _text(ident, "nctId", ip).upper()
    if not nct:
        raise StudyError(f"{ip}.nctId manque : une étude sans numéro NCT ne peut être importée.")
    if not NCT_RE.match(nct):
        raise StudyError(f"numéro NCT mal formé « {nct[:20]} » ({ip}.nctId).")

    eu_ct, eudract = "", ""
    for i, info in enumerate(_list(ident, "secondaryIdInfos", ip)):
        where = f"{ip}.secondaryIdInfos[{i}]"
        if not isinstance(info, dict):
            raise StudyError(f"{where} devrait être un objet.")
        kind = _enum(info, "type", where, SECONDARY_ID_TYPES)
        value = _text(info, "id", where).translate(_DASHES)
        # The format tells the register ("EU CT 2023-501234-12-00", "2019-001234-56-FR").
        if found := _EU_CT_IN_TEXT.search(value):
            eu_ct = eu_ct or found[1]
        elif found := _EUDRACT_IN_TEXT.search(value):
            eudract = eudract or found[1]
        elif kind == "CTIS":
            warnings.append(f"numéro EU CT mal formé ignoré : {value[:30]}")
        elif kind == "EUDRACT_NUMBER":
            warnings.append(f"numéro EudraCT mal formé ignoré : {value[:30]}")

    sp = f"{p}.statusModule"
    status = _enum(status_mod, "overallStatus", sp, STATUSES)

    spp = f"{p}.sponsorCollaboratorsModule"
    lead = _obj(sponsors, "leadSponsor", spp)
    sponsor_class = _enum(lead, "class", f"{spp}.leadSponsor", SPONSOR_CLASSES)

    dp = f"{p}.designModule"
    study_type = _enum(design, "studyType", dp, STUDY_TYPES) or Trial.StudyType.INTERVENTIONAL
    enrollment_info = _obj(design, "enrollmentInfo", dp)
    enrollment = enrollment_info.get("count")
    enrollment_type = _enum(enrollment_info, "type", f"{dp}.enrollmentInfo", ENROLLMENT_TYPES)
    if enrollment is not None and (
        not isinstance(enrollment, int) or isinstance(enrollment, bool) or enrollment < 0
    ):
        raise StudyError(f"{dp}.enrollmentInfo.count devrait être un entier positif.")

    cp = f"{p}.conditionsModule"
    conditions = _lines(_list(conditions_mod, "conditions", cp), f"{cp}.conditions")
    keywords = _lines(_list(conditions_mod, "keywords", cp), f"{cp}.keywords")

    ap = f"{p}.armsInterventionsModule"
    names = []
    for i, intervention in enumerate(_list(arms, "interventions", ap)):
        if not isinstance(intervention, dict):
            raise StudyError(f"{ap}.interventions[{i}] devrait être un objet.")
        names.append(_text(intervention, "name", f"{ap}.interventions[{i}]"))
    interventions = _lines(names, f"{ap}.interventions")

    ep = f"{p}.eligibilityModule"
    sex = _enum(eligibility, "sex", ep, SEXES) or Trial.Sex.ALL

    lp = f"{p}.contactsLocationsModule"
    central = _contacts(_list(locations_mod, "centralContacts", lp), f"{lp}.centralContacts")
    main_contact = next((c for c in central if c["role"] in ("", "CONTACT")), None) or (
        central[0] if central else None
    )
    officials = _list(locations_mod, "overallOfficials", lp)
    coordinator = ""
    for i, official in enumerate(officials):
        where = f"{lp}.overallOfficials[{i}]"
        if not isinstance(official, dict):
            raise StudyError(f"{where} devrait être un objet.")
        role = _enum(official, "role", where, CONTACT_ROLES)
        if role in ("PRINCIPAL_INVESTIGATOR", "STUDY_CHAIR") and not coordinator:
            name = _text(official, "name", where)
            affiliation = _text(official, "affiliation", where)
            coordinator = f"{name} ({affiliation})" if name and affiliation else name

    officials_present = "overallOfficials" in locations_mod
    central_present = "centralContacts" in locations_mod
    # Each field with whether the record says anything about it: a module or a key
    # absent from the record (a capture with `fields=`, a study without a module)
    # leaves what is stored unchanged; absent is not empty.
    said = {
        "nct_number": (nct, True),
        "brief_title": (_text(ident, "briefTitle", ip), "briefTitle" in ident),
        "official_title": (_text(ident, "officialTitle", ip), "officialTitle" in ident),
        "acronym": (_text(ident, "acronym", ip), "acronym" in ident),
        "org_study_id": (
            _text(_obj(ident, "orgStudyIdInfo", ip), "id", f"{ip}.orgStudyIdInfo"),
            "id" in _obj(ident, "orgStudyIdInfo", ip),
        ),
        "eu_ct_number": (eu_ct, "secondaryIdInfos" in ident),
        "eudract_number": (eudract, "secondaryIdInfos" in ident),
        "status": (status, "overallStatus" in status_mod),
        "start_date": (
            _date_struct(status_mod, "startDateStruct", sp),
            "startDateStruct" in status_mod,
        ),
        "primary_completion_date": (
            _date_struct(status_mod, "primaryCompletionDateStruct", sp),
            "primaryCompletionDateStruct" in status_mod,
        ),
        "registry_updated": (
            _date_struct(status_mod, "lastUpdatePostDateStruct", sp),
            "lastUpdatePostDateStruct" in status_mod,
        ),
        "sponsor": (_text(lead, "name", f"{spp}.leadSponsor"), "name" in lead),
        "sponsor_type": (
            SPONSOR_CLASSES[sponsor_class] if sponsor_class else "",
            "class" in lead,
        ),
        "registry_summary": (
            _text(description, "briefSummary", f"{p}.descriptionModule"),
            "briefSummary" in description,
        ),
        "conditions": (conditions, "conditions" in conditions_mod),
        "keywords": (keywords, "keywords" in conditions_mod),
        "study_type": (study_type, "studyType" in design),
        "phase": (_phase(design, dp), "phases" in design),
        "enrollment": (enrollment, "count" in enrollment_info),
        "enrollment_type": (enrollment_type, "type" in enrollment_info),
        "interventions": (interventions, "interventions" in arms),
        "eligibility_criteria": (
            _text(eligibility, "eligibilityCriteria", ep),
            "eligibilityCriteria" in eligibility,
        ),
        "sex": (sex, "sex" in eligibility),
        "min_age": (
            parse_age(_text(eligibility, "minimumAge", ep), f"{ep}.minimumAge"),
            "minimumAge" in eligibility,
        ),
        "max_age": (
            parse_age(_text(eligibility, "maximumAge", ep), f"{ep}.maximumAge"),
            "maximumAge" in eligibility,
        ),
        "coordinator": (coordinator, officials_present),
        "contact_name": (main_contact["name"] if main_contact else "", central_present),
        "contact_phone": (main_contact["phone"] if main_contact else "", central_present),
        "contact_email": (
            _email(main_contact["email"], warnings, "contact central") if main_contact else "",
            central_present,
        ),
    }
    full = is_full_record(study)
    fields = {
        name: value
        for name, (value, present) in said.items()
        # An empty value clears what is stored only when the record is a full one.
        if present and (full or value not in ("", None))
    }
    for name, value in fields.items():
        if isinstance(value, str):
            fields[name] = fit(Trial, name, value, warnings, nct)

    sites = None
    if "locations" in locations_mod:
        sites = _french_sites(_list(locations_mod, "locations", lp), f"{lp}.locations", warnings)
    return MappedStudy(
        nct_number=nct,
        fields=fields,
        sites=sites,
        axis_slugs=axes_for(conditions, _mesh_terms(study)),
        warnings=warnings,
        is_full=full,
    )


def _geo_point(location: dict) -> tuple[float | None, float | None]:
    """The registry's coordinates of a location (`geoPoint`), if they make sense."""
    point = location.get("geoPoint")
    if not isinstance(point, dict):
        return None, None
    lat, lon = point.get("lat"), point.get("lon")
    if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (lat, lon)):
        return None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None
    return float(lat), float(lon)


def _mesh_terms(study: dict) -> list[str]:
    """The MeSH terms the registry derived from the conditions, with their ancestors
    (`derivedSection.conditionBrowseModule`); malformed entries are skipped."""
    derived = study.get("derivedSection")
    browse = derived.get("conditionBrowseModule") if isinstance(derived, dict) else None
    if not isinstance(browse, dict):
        return []
    terms = []
    for key in ("meshes", "ancestors"):
        entries = browse.get(key)
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and isinstance(entry.get("term"), str):
                terms.append(entry["term"])
    return terms


def is_full_record(study: dict) -> bool:
    """A record as the API gives a study without `fields=`: its derived section is
    there. A partial capture (`fields=NCTId,OverallStatus...`) lacks it, so an empty
    value or a missing site there never erases what a full record gave."""
    return isinstance(study.get("derivedSection"), dict)


def _french_sites(locations: list, path: str, warnings: list) -> list[MappedSite] | None:
    """The French sites of a full list of locations; None for a partial capture of
    them (a location without its country or city, or none with a facility name:
    `fields=LocationCountry`...), which must leave the stored sites as they are."""
    sites: dict[str, MappedSite] = {}
    for i, location in enumerate(locations):
        if not isinstance(location, dict):
            raise StudyError(f"{path}[{i}] devrait être un objet.")
    if locations and (
        any("country" not in loc or "city" not in loc for loc in locations)
        or not any("facility" in loc for loc in locations)
    ):
        warnings.append(
            "liste des lieux incomplète (capture partielle : pays, commune ou établissement "
            "absents) : les lieux enregistrés sont laissés tels quels"
        )
        return None
    for i, location in enumerate(locations):
        where = f"{path}[{i}]"
        country = _text(location, "country", where)
        if normalise(country) not in FRENCH_COUNTRIES:
            continue  # before any other check: a foreign site never rejects a study
        status = _enum(location, "status", where, SITE_STATUSES)
        facility = " ".join(_text(location, "facility", where).split())
        city = _text(location, "city", where)
        if not facility:
            warnings.append(f"lieu sans nom d’établissement ignoré ({city or where})")
            continue
        postcode = _POSTCODE_RE.search(_text(location, "zip", where))
        contacts = _contacts(_list(location, "contacts", where), f"{where}.contacts")
        investigator = next((c for c in contacts if c["role"] == "PRINCIPAL_INVESTIGATOR"), None)
        contact = next((c for c in contacts if c["role"] == "CONTACT"), None) or next(
            (c for c in contacts if c is not investigator and (c["phone"] or c["email"])), None
        )
        values = {
            "facility_name": facility,
            "facility_city": city,
            "facility_country": country,
            "investigator": investigator["name"] if investigator else "",
            "contact_name": contact["name"] if contact else "",
            "contact_phone": contact["phone"] if contact else "",
        }
        latitude, longitude = _geo_point(location)
        site = MappedSite(
            latitude=latitude,
            longitude=longitude,
            **{
                name: fit(TrialSite, name, value, warnings, f"{facility[:60]}, {city}")
                for name, value in values.items()
            },
            facility_postcode=postcode[1] if postcode else "",
            status=status,
            contact_email=_email(contact["email"], warnings, facility) if contact else "",
            known=frozenset(
                ("facility_name", "facility_city", "facility_country")
                + tuple(name for name, key in SITE_KEYS.items() if key in location)
            ),
        )
        # The registry sometimes lists a facility twice: keep the first.
        sites.setdefault(site.key, site)
    return list(sites.values())
