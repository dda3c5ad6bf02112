"""Demonstration RCPs, their exceptions and a year and a half of activity.

`load()` is run by `manage.py demo_data` after the centres' loader: RCPs are
attached to the demo centres by slug (an RCP whose centre is missing is
skipped). Everything here is marked ``is_demo=True``: the network's real RCP
calendars are not published facts we hold.

Idempotent: RCPs are keyed by slug and saved only when a value differs; the
exceptions and activity records of the demo RCPs are brought to the wanted
set (deterministic, from seeded generators), so a second run the same day
changes nothing.

The activity has a network-wide dip in October 2026 (about a third fewer
files discussed) so that the indicator page shows an alert.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.utils import timezone

from centres.models import Axis, Centre, Role
from core.text import typo

from . import recurrence
from .models import Rcp, RcpActivity, RcpException

DEMO_EMAIL_DOMAIN = "example.org"
ACTIVITY_DAYS = 548  # a year and a half
DIP_FACTOR = 0.62  # files discussed in the dip month, against a usual month
# Fixed-date public holidays: meetings falling on them are cancelled.
HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}

PAN, OES, LIV = "pancreas", "oesophage", "foie-voies-biliaires"


class DemoRcp(NamedTuple):
    slug: str
    name: str
    organiser: str
    axes: tuple[str, ...]
    scope: str
    rrule: str
    first_date: date
    start: time
    mode: str = Rcp.Mode.VIDEO
    timezone: str = "Europe/Paris"
    participants: tuple[str, ...] = ()
    duration: int = 120
    deadline_days: int = 2
    deadline_time: time = time(12, 0)
    files: tuple[int, int] = (8, 16)  # usual range of files discussed
    place: str = ""
    public_video: bool = False


R, S, N, M = (
    Rcp.Scope.REGIONAL,
    Rcp.Scope.LOCAL,
    Rcp.Scope.RECOURSE,
    Rcp.Scope.MOLECULAR,
)
HY, ON = Rcp.Mode.HYBRID, Rcp.Mode.ON_SITE
# fmt: off
DEMO_RCPS = [
    # National recourse RCPs, one per axis, led by the referent centres.
    DemoRcp("recours-pancreas", "RCP nationale de recours pancréas", "chu-pitie-salpetriere", (PAN,), N, "FREQ=WEEKLY;BYDAY=TU", date(2025, 1, 7), time(17, 0), participants=("chu-brest", "chu-lille-huriez", "hcl-edouard-herriot", "chu-bordeaux-haut-leveque", "chu-reunion-felix-guyon"), files=(6, 12)),  # noqa: E501
    DemoRcp("recours-oesophage", "RCP nationale de recours œsophage et jonction œso-gastrique", "chu-brest", (OES,), N, "FREQ=MONTHLY;BYDAY=1TH,3TH", date(2025, 1, 2), time(14, 0), participants=("chu-rennes-pontchaillou", "chu-lille-huriez", "institut-paoli-calmettes", "iuct-oncopole"), files=(5, 10)),  # noqa: E501
    DemoRcp("recours-foie-voies-biliaires", "RCP nationale de recours foie et voies biliaires", "chu-avicenne", (LIV,), N, "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE", date(2025, 1, 8), time(16, 0), participants=("aphp-beaujon", "aphp-henri-mondor", "hcl-croix-rousse", "chu-montpellier-saint-eloi"), files=(6, 12)),  # noqa: E501
    DemoRcp("moleculaire-digestif", "RCP moléculaire des cancers digestifs", "gustave-roussy", (PAN, OES, LIV), M, "FREQ=MONTHLY;BYDAY=-1TH", date(2025, 1, 30), time(13, 0), participants=("centre-leon-berard", "institut-bergonie", "icans-strasbourg"), duration=90, deadline_days=7, files=(8, 14), public_video=True),  # noqa: E501
    DemoRcp("recours-transplantation-hepatique", "RCP de recours transplantation hépatique", "aphp-beaujon", (LIV,), N, "FREQ=WEEKLY;BYDAY=MO", date(2025, 1, 6), time(13, 30), mode=HY, place="Salle de staff, pavillon Abrami", participants=("chu-avicenne", "aphp-henri-mondor"), deadline_days=3, deadline_time=time(16, 0), files=(5, 10)),  # noqa: E501
    # Regional RCPs.
    DemoRcp("pancreas-bretagne", "RCP régionale pancréas Bretagne", "chu-rennes-pontchaillou", (PAN,), R, "FREQ=WEEKLY;BYDAY=TH", date(2025, 1, 2), time(13, 0), mode=HY, place="Salle Laennec, bâtiment des consultations", participants=("chu-brest", "ch-cornouaille-quimper", "chba-vannes", "ch-saint-brieuc", "ch-pays-de-morlaix")),  # noqa: E501
    DemoRcp("digestif-bretagne-occidentale", "RCP digestive Bretagne occidentale", "chu-brest", (PAN, OES), R, "FREQ=WEEKLY;BYDAY=MO", date(2025, 1, 6), time(14, 0), mode=HY, place="Salle de staff, hôpital Morvan, 3e étage", participants=("ch-cornouaille-quimper", "ch-pays-de-morlaix"), files=(12, 22)),  # noqa: E501
    DemoRcp("hepatobiliaire-pays-de-la-loire", "RCP régionale hépato-biliaire Pays de la Loire", "chu-nantes", (LIV,), R, "FREQ=WEEKLY;BYDAY=WE", date(2025, 1, 8), time(12, 30), participants=("chu-angers", "ch-le-mans")),  # noqa: E501
    DemoRcp("oesophage-hauts-de-france", "RCP régionale œsophage et estomac Hauts-de-France", "chu-lille-huriez", (OES,), R, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", date(2025, 1, 14), time(14, 0), participants=("centre-oscar-lambret", "chu-amiens-picardie")),  # noqa: E501
    DemoRcp("digestif-auvergne-rhone-alpes", "RCP régionale cancers digestifs Auvergne-Rhône-Alpes", "hcl-edouard-herriot", (PAN, OES), R, "FREQ=WEEKLY;BYDAY=FR", date(2025, 1, 3), time(12, 30), participants=("hcl-lyon-sud", "centre-leon-berard", "chu-saint-etienne-nord", "chu-grenoble-alpes", "chu-clermont-estaing"), deadline_days=3, files=(14, 26)),  # noqa: E501
    DemoRcp("hepatobiliaire-occitanie", "RCP hépato-biliaire Occitanie", "chu-toulouse-rangueil", (LIV,), R, "FREQ=WEEKLY;BYDAY=TU", date(2025, 1, 7), time(13, 0), participants=("chu-montpellier-saint-eloi", "chu-nimes-caremeau")),  # noqa: E501
    DemoRcp("pancreas-nouvelle-aquitaine", "RCP régionale pancréas Nouvelle-Aquitaine", "chu-bordeaux-haut-leveque", (PAN,), R, "FREQ=MONTHLY;BYDAY=2MO,4MO", date(2025, 1, 13), time(17, 30), participants=("institut-bergonie", "chu-poitiers", "chu-limoges-dupuytren")),  # noqa: E501
    DemoRcp("digestif-grand-est", "RCP digestive Grand Est", "hus-nouvel-hopital-civil", (PAN, OES, LIV), R, "FREQ=WEEKLY;BYDAY=WE", date(2025, 1, 8), time(14, 0), mode=HY, place="Amphithéâtre du Nouvel Hôpital civil", participants=("icans-strasbourg", "chru-nancy-brabois", "chu-reims-robert-debre"), files=(12, 24)),  # noqa: E501
    DemoRcp("digestif-paca-corse", "RCP régionale cancers digestifs PACA-Corse", "ap-hm-timone", (PAN, OES), R, "FREQ=WEEKLY;BYDAY=TH", date(2025, 1, 2), time(15, 0), participants=("institut-paoli-calmettes", "chu-nice-archet", "ch-bastia", "ch-ajaccio")),  # noqa: E501
    DemoRcp("digestif-paris-est", "RCP digestive Paris-Est", "aphp-saint-antoine", (PAN, LIV), S, "FREQ=WEEKLY;BYDAY=MO", date(2025, 1, 6), time(12, 0), mode=ON, place="Salle de réunion du service d’hépato-gastro-entérologie, bâtiment Caroli", deadline_days=1, deadline_time=time(10, 0), files=(6, 12)),  # noqa: E501
    # Overseas RCPs, in their own time zones.
    DemoRcp("digestif-guadeloupe", "RCP de cancérologie digestive de Guadeloupe", "chu-guadeloupe", (PAN, OES, LIV), R, "FREQ=WEEKLY;BYDAY=TH", date(2025, 1, 2), time(13, 0), timezone="America/Guadeloupe", files=(5, 10)),  # noqa: E501
    DemoRcp("digestif-martinique", "RCP de cancérologie digestive de Martinique", "chu-martinique", (PAN, OES, LIV), R, "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU", date(2025, 1, 7), time(12, 30), timezone="America/Martinique", files=(5, 10)),  # noqa: E501
    DemoRcp("digestif-guyane", "RCP de cancérologie digestive de Guyane", "ch-cayenne", (PAN, LIV), R, "FREQ=MONTHLY;BYDAY=1WE,3WE", date(2025, 1, 1), time(8, 30), timezone="America/Cayenne", deadline_days=1, deadline_time=time(18, 0), files=(3, 7)),  # noqa: E501
    DemoRcp("digestif-la-reunion", "RCP régionale de cancérologie digestive de La Réunion", "chu-reunion-felix-guyon", (PAN, OES, LIV), R, "FREQ=WEEKLY;BYDAY=TU", date(2025, 1, 7), time(14, 0), timezone="Indian/Reunion", mode=HY, place="Salle de visioconférence, site Félix-Guyon", participants=("chu-reunion-sud", "ch-mayotte"), files=(6, 14)),  # noqa: E501
    DemoRcp("digestif-mayotte", "RCP de cancérologie digestive de Mayotte", "ch-mayotte", (PAN, LIV), S, "FREQ=MONTHLY;BYDAY=2TH,4TH", date(2025, 1, 9), time(10, 0), timezone="Indian/Mayotte", participants=("chu-reunion-felix-guyon",), deadline_days=1, deadline_time=time(16, 0), files=(2, 6)),  # noqa: E501
]
# fmt: on

SPECIALTIES = {
    PAN: "chirurgiens digestifs et hépato-bilio-pancréatiques, oncologues, gastro-entérologues "
    "et endoscopistes, radiologues, radiothérapeutes et pathologistes",
    OES: "chirurgiens œso-gastriques, oncologues, gastro-entérologues et endoscopistes, "
    "radiothérapeutes, radiologues et pathologistes",
    LIV: "hépatologues, chirurgiens hépato-biliaires et de transplantation, radiologues "
    "interventionnels, oncologues et pathologistes",
}


def _description(spec: DemoRcp, organiser: Centre) -> str:
    if spec.scope == M:
        return (
            "Discussion des altérations moléculaires des tumeurs digestives (panels NGS, "
            "fusions, instabilité microsatellitaire) et des thérapies ciblées ou essais "
            "accessibles. Présents : oncologues, biologistes moléculaires, pathologistes "
            "et généticiens."
        )
    who = SPECIALTIES[spec.axes[0]]
    if spec.scope == N:
        what = (
            "Deuxième avis pour les situations complexes : tumeurs limites ou localement "
            "avancées, récidives, indications chirurgicales discutées, patients jeunes."
        )
    else:
        what = (
            "Tous les dossiers de la région, du diagnostic à la récidive ; les médecins des "
            "centres de proximité présentent eux-mêmes leurs dossiers."
        )
    return f"{what} Présents : {who}. Organisée par {organiser}."


def _submission(email: str, spec: DemoRcp) -> str:
    if spec.deadline_days == 1:
        delay = "la veille de la séance"
    else:
        delay = f"{spec.deadline_days} jours avant la séance"
    at = f"{spec.deadline_time.hour} h {spec.deadline_time.minute:02d}"
    return (
        "1. Remplissez la fiche de présentation du dossier.\n"
        f"2. Envoyez-la par messagerie sécurisée de santé à {email}, avec le dernier compte "
        "rendu d’imagerie, l’histologie si elle existe et le courrier du médecin, "
        f"au plus tard {delay}, à {at} (le vendredi si ce jour tombe un week-end).\n"
        "3. Le secrétariat confirme l’inscription et vous indique l’heure de passage du "
        "dossier.\n\n"
        "Le médecin qui présente le dossier reçoit l’avis de la RCP dans les 48 heures."
    )


def demo_case_form_pdf(title: str) -> bytes:
    """A one-page PDF (valid structure and offsets) standing for a case form."""
    text = title.encode("latin-1", errors="replace")
    stream = b"BT /F1 16 Tf 60 760 Td (" + text + b") Tj 0 -28 Td /F1 11 Tf "
    stream += b"(Document de demonstration : ne pas utiliser pour un patient.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def _person(kind: str, centre: Centre):
    role = (
        Role.objects.filter(kind=kind, centre=centre)
        .select_related("person")
        .order_by("order", "pk")
        .first()
    )
    return role.person if role else None


def _save_rcp(spec: DemoRcp, organiser: Centre, participants, axes, today: date, tally) -> Rcp:
    prefix = organiser.phone[:-2] if organiser.is_demo and organiser.phone else ""
    email = f"rcp.{spec.slug}@{DEMO_EMAIL_DOMAIN}"
    values = {
        "name": spec.name,
        "scope": spec.scope,
        "organiser": organiser,
        "description": _description(spec, organiser),
        "coordinator": _person(Role.Kind.RCP_COORDINATOR, organiser)
        or _person(Role.Kind.CENTRE_REFERENT, organiser),
        "secretary": _person(Role.Kind.SECRETARY, organiser),
        "secretariat_phone": f"{prefix}05" if prefix else "",
        "secretariat_email": email,
        "mode": spec.mode,
        "place": spec.place,
        "video_url": "" if spec.mode == ON else f"https://visio.{DEMO_EMAIL_DOMAIN}/{spec.slug}",
        "video_url_is_public": spec.public_video,
        "submission": _submission(email, spec),
        "deadline_days_before": spec.deadline_days,
        "deadline_time": spec.deadline_time,
        "deadline_skips_weekend": True,
        "rrule": spec.rrule,
        "first_date": spec.first_date,
        "start_time": spec.start,
        "duration_minutes": spec.duration,
        "timezone": spec.timezone,
        "is_published": True,
        "is_demo": True,
        "last_reviewed": today - timedelta(days=random.Random(spec.slug).randint(5, 200)),
    }
    rcp = Rcp.objects.filter(slug=spec.slug).first()
    if rcp is None:
        rcp = Rcp(slug=spec.slug, **values)
        rcp.full_clean(exclude=["case_form"])
        rcp.save()
        tally["created"] += 1
    elif any(getattr(rcp, k) != v for k, v in values.items()):
        for k, v in values.items():
            setattr(rcp, k, v)
        rcp.full_clean(exclude=["case_form", "slug"])
        rcp.save()
        tally["updated"] += 1
    if set(rcp.axes.all()) != set(axes):
        rcp.axes.set(axes)
    if set(rcp.participants.all()) != set(participants):
        rcp.participants.set(participants)
    if spec.slug == "recours-pancreas" and not _file_exists(rcp):
        rcp.case_form.save(
            "fiche-recours-pancreas.pdf",
            ContentFile(demo_case_form_pdf("Fiche RCP de recours pancreas (demonstration)")),
        )
    return rcp


def _file_exists(rcp: Rcp) -> bool:
    return bool(rcp.case_form) and rcp.case_form.storage.exists(rcp.case_form.name)


def _wanted_exceptions(rcp: Rcp, index: int, today: date) -> dict[date, dict]:
    """Holidays cancelled over the coming year; one congress, one moved meeting."""
    rule = recurrence.parse(rcp.rrule)
    upcoming = recurrence.dates_between(rule, rcp.first_date, today, today + timedelta(days=365))
    wanted = {
        day: {"kind": RcpException.Kind.CANCELLED, "note": "Jour férié"}
        for day in upcoming
        if (day.month, day.day) in HOLIDAYS
    }
    later = [d for d in upcoming if d > today + timedelta(days=6) and d not in wanted]
    if index == 0 and len(later) > 2:
        # The national pancreas RCP moves one meeting to the next day.
        wanted[later[1]] = {
            "kind": RcpException.Kind.MOVED,
            "new_date": later[1] + timedelta(days=1),
            "new_start_time": time(12, 30),
            "note": "Salle et lien réservés pour le séminaire du réseau ce jour-là",
        }
    if index == 1 and len(later) > 1:
        wanted[later[0]] = {
            "kind": RcpException.Kind.CANCELLED,
            "note": "Congrès national : séance reportée à la suivante",
        }
    return wanted


def _sync_exceptions(rcp: Rcp, wanted: dict[date, dict], tally) -> None:
    existing = {e.original_date: e for e in rcp.exceptions.all()}
    for day, values in wanted.items():
        full = {"new_date": None, "new_start_time": None, **values}
        exception = existing.pop(day, None)
        if exception is None:
            exception = RcpException(rcp=rcp, original_date=day, **full)
            exception.full_clean()
            exception.save()
            tally["exceptions"] += 1
        elif any(getattr(exception, k) != v for k, v in full.items()):
            for k, v in full.items():
                setattr(exception, k, v)
            exception.full_clean()
            exception.save()
    for exception in existing.values():
        exception.delete()


def dip_month(today: date) -> tuple[date, date]:
    """The last full month before `today`: the demo's activity falls there, so the
    indicators always show an alert against the same month a year before."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _activity(spec: DemoRcp, rcp: Rcp, day: date, dip: tuple[date, date]) -> RcpActivity:
    rng = random.Random(f"pan-together-rcp:{spec.slug}:{day.isoformat()}")
    low, high = spec.files
    files = rng.randint(low, high)
    if dip[0] <= day <= dip[1]:
        files = max(1, round(files * DIP_FACTOR))
    first = min(files, round(files * rng.uniform(0.5, 0.8)))
    participants = len(spec.participants) + 1
    return RcpActivity(
        rcp=rcp,
        date=day,
        files_discussed=files,
        first_presentations=first,
        doctors_present=rng.randint(5, 9) + min(participants, 6),
        specialties_present=rng.randint(4, 7),
        centres_represented=rng.randint(max(1, participants // 2), participants),
        source=RcpActivity.Source.DEMO,
    )


def _sync_activity(spec: DemoRcp, rcp: Rcp, now: datetime, tally) -> None:
    local_now = now.astimezone(rcp.zone)
    today = local_now.date()
    rule = recurrence.parse(rcp.rrule)
    held = [
        day
        for day in recurrence.dates_between(
            rule, rcp.first_date, today - timedelta(days=ACTIVITY_DAYS), today
        )
        if (day.month, day.day) not in HOLIDAYS
        and (day < today or local_now.time() >= rcp.start_time)
    ]
    dip = dip_month(today)
    wanted = {day: _activity(spec, rcp, day, dip) for day in held}
    existing = {a.date: a for a in rcp.activities.all()}
    missing = [a for day, a in wanted.items() if day not in existing]
    # The dip moves with the calendar: put back the figures of the days it left
    # and lower those of the days it reached (nothing else changes).
    changed = []
    for day, activity in existing.items():
        if (
            activity.source == RcpActivity.Source.DEMO
            and day in wanted
            and activity.files_discussed != wanted[day].files_discussed
        ):
            activity.files_discussed = wanted[day].files_discussed
            activity.first_presentations = wanted[day].first_presentations
            changed.append(activity)
    RcpActivity.objects.bulk_create(missing)
    RcpActivity.objects.bulk_update(changed, ["files_discussed", "first_presentations"])
    tally["activities"] += len(missing)
    RcpActivity.objects.filter(rcp=rcp, source=RcpActivity.Source.DEMO).exclude(
        date__in=held
    ).delete()


def load(*, stdout) -> None:
    """Write the demonstration RCPs, exceptions and activity; print a summary."""
    now = timezone.now()
    today = timezone.localdate()
    axes = {a.slug: a for a in Axis.objects.all()}
    centres = {c.slug: c for c in Centre.objects.all()}
    tally = {"created": 0, "updated": 0, "exceptions": 0, "activities": 0}
    skipped = []
    for index, spec in enumerate(DEMO_RCPS):
        organiser = centres.get(spec.organiser)
        if organiser is None:
            skipped.append(spec.slug)
            continue
        participants = [centres[s] for s in spec.participants if s in centres]
        rcp = _save_rcp(spec, organiser, participants, [axes[a] for a in spec.axes], today, tally)
        _sync_exceptions(rcp, _wanted_exceptions(rcp, index, today), tally)
        _sync_activity(spec, rcp, now, tally)
    stdout.write(
        typo(
            f"RCP : {len(DEMO_RCPS) - len(skipped)} de démonstration ({tally['created']} créées, "
            f"{tally['updated']} mises à jour), {tally['exceptions']} séances annulées ou "
            f"déplacées ajoutées, {tally['activities']} séances tenues ajoutées."
            + (f" Centres absents, RCP ignorées : {', '.join(skipped)}." if skipped else "")
        )
    )
