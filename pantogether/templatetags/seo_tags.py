"""Link previews and structured data: a block's text for Open Graph, and
schema.org JSON-LD for centres (Hospital) and trials (MedicalTrial).

JSON-LD sits in <script type="application/ld+json">: a data block, which the
browser never runs, so the CSP's script-src does not apply to it (as for the
maps' application/json data); tests/browser/test_structured_data.py checks
that Chromium reports no violation. Its text is escaped as json_script does.
"""

import json

from django import template
from django.template.loader_tags import BLOCK_CONTEXT_KEY
from django.utils.html import strip_tags
from django.utils.safestring import mark_safe

register = template.Library()

_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}

# ClinicalTrials.gov statuses as schema.org's MedicalStudyStatus.
STUDY_STATUS = {
    "RECRUITING": "https://schema.org/Recruiting",
    "NOT_YET_RECRUITING": "https://schema.org/NotYetRecruiting",
    "ENROLLING_BY_INVITATION": "https://schema.org/EnrollingByInvitation",
    "ACTIVE_NOT_RECRUITING": "https://schema.org/ActiveNotRecruiting",
    "SUSPENDED": "https://schema.org/Suspended",
    "TERMINATED": "https://schema.org/Terminated",
    "COMPLETED": "https://schema.org/Completed",
    "WITHDRAWN": "https://schema.org/Withdrawn",
}


@register.simple_tag(takes_context=True)
def block_text(context, name):
    """The text of the page's block `name` (as the child template fills it),
    tags stripped: the <title> block again, for og:title."""
    blocks = context.render_context.get(BLOCK_CONTEXT_KEY)
    node = blocks.get_block(name) if blocks is not None else None
    if node is None:
        return ""
    with context.push(block=node):
        return " ".join(strip_tags(node.nodelist.render(context)).split())


def _script(data: dict) -> str:
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(_ESCAPES)
    return mark_safe(f'<script type="application/ld+json">{text}</script>')  # noqa: S308


def _address(centre) -> dict:
    return {
        "@type": "PostalAddress",
        "streetAddress": centre.address,
        "postalCode": centre.postcode,
        "addressLocality": centre.city,
        "addressRegion": centre.department.region.name,
        "addressCountry": "FR",
    }


@register.simple_tag(takes_context=True)
def centre_json_ld(context, centre):
    request = context["request"]
    data = {
        "@context": "https://schema.org",
        "@type": "Hospital",
        "name": centre.name,
        "url": request.build_absolute_uri(centre.get_absolute_url()),
        "telephone": centre.phone,
        "address": _address(centre),
        "geo": {
            "@type": "GeoCoordinates",
            "latitude": centre.latitude,
            "longitude": centre.longitude,
        },
        "medicalSpecialty": "https://schema.org/Oncologic",
    }
    if centre.short_name:
        data["alternateName"] = centre.short_name
    if centre.email:
        data["email"] = centre.email
    if centre.website:
        data["sameAs"] = centre.website
    if centre.finess:
        data["identifier"] = {
            "@type": "PropertyValue",
            "propertyID": "FINESS",
            "value": centre.finess,
        }
    return _script(data)


@register.simple_tag(takes_context=True)
def trial_json_ld(context, trial, sites=()):
    request = context["request"]
    identifiers = [n for n in (trial.nct_number, trial.eu_ct_number, trial.eudract_number) if n]
    data = {
        "@context": "https://schema.org",
        "@type": "MedicalTrial",
        "name": trial.display_title,
        "url": request.build_absolute_uri(trial.get_absolute_url()),
    }
    if trial.official_title:
        data["alternateName"] = trial.official_title
    if identifiers:
        data["identifier"] = identifiers
    if trial.status in STUDY_STATUS:
        data["status"] = STUDY_STATUS[trial.status]
    if trial.phase:
        data["phase"] = trial.get_phase_display()
    if trial.sponsor:
        data["sponsor"] = {"@type": "Organization", "name": trial.sponsor}
    if trial.condition_list:
        data["healthCondition"] = trial.condition_list
    if trial.plain_summary:
        data["description"] = " ".join(trial.plain_summary.split())
    locations = [
        {
            "@type": "Hospital",
            "name": site.centre.name,
            "url": request.build_absolute_uri(site.centre.get_absolute_url()),
            "address": {
                "@type": "PostalAddress",
                "postalCode": site.centre.postcode,
                "addressLocality": site.centre.city,
                "addressCountry": "FR",
            },
        }
        for site in sites
        if site.centre_id
    ]
    if locations:
        data["studyLocation"] = locations
    return _script(data)
