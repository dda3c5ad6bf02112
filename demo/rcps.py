"""Demonstration RCPs, their exceptions and a year and a half of activity (demo/data/rcps.json).

Loaded after the centres: RCPs are attached to centres by slug (an RCP
whose organiser is missing is skipped). Everything here is marked
``is_demo=True``: the network's real RCP calendars are not published facts
we hold.

The activity has a network-wide dip in the last full month before the first
load (about a third fewer files discussed) so that the indicator page shows
an alert. Each later run adds the meetings held since, never changing a
record that exists; a reset moves the dip to the last full month again.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.core.files.base import ContentFile
from django.utils import timezone
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from centres.models import Axis, Centre, Person, Role
from core.text import typo
from rcp import specialties
from rcp.models import Rcp, RcpActivity, RcpException, RcpMember
from rcp.schedule import occurrences
from rcp.specialties import Specialty

from . import Writer
from .fiction import DEMO_EMAIL_DOMAIN, FICTION_PHONE_PREFIXES, phone_zone, read_json

ACTIVITY_DAYS = 548  # a year and a half
DEMO_REASON = "Données de démonstration (demo_data)"  # in the rows' history
# The demonstration teams' specialties (demo/data/people.json) that sit at an RCP.
DEMO_SPECIALTIES = {
    "Chirurgie digestive": Specialty.SURGERY,
    "Oncologie médicale": Specialty.ONCOLOGY,
    "Radiothérapie": Specialty.RADIOTHERAPY,
    "Radiologie": Specialty.RADIOLOGY,
    "Anatomo-pathologie": Specialty.PATHOLOGY,
    "Gastro-entérologie": Specialty.GASTROENTEROLOGY,
}
OTHER_SPECIALTIES = [
    Specialty.RADIOLOGY,
    Specialty.PATHOLOGY,
    Specialty.GASTROENTEROLOGY,
    Specialty.HEPATOLOGY,
    Specialty.NUCLEAR,
]
DIP_FACTOR = 0.62  # files discussed in the dip month, against a usual month


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


def _table() -> tuple[list[DemoRcp], dict]:
    data = read_json("rcps.json")
    rcps = []
    for row in data["rcps"]:
        row = dict(row)
        for name in ("axes", "participants", "files"):
            if name in row:
                row[name] = tuple(row[name])
        row["first_date"] = date.fromisoformat(row["first_date"])
        for name in ("start", "deadline_time"):
            if name in row:
                row[name] = time.fromisoformat(row[name])
        rcps.append(DemoRcp(**row))
    return rcps, data["specialties_by_axis"]


def _description(spec: DemoRcp, organiser: Centre, specialties: dict) -> str:
    if spec.scope == Rcp.Scope.MOLECULAR:
        return (
            "Discussion des altérations moléculaires des tumeurs digestives (panels NGS, "
            "fusions, instabilité microsatellitaire) et des thérapies ciblées ou essais "
            "accessibles. Présents\u00a0: oncologues, biologistes moléculaires, pathologistes "
            "et généticiens."
        )
    who = specialties[spec.axes[0]]
    if spec.scope == Rcp.Scope.RECOURSE:
        what = (
            "Deuxième avis pour les situations complexes\u00a0: tumeurs limites ou localement "
            "avancées, récidives, indications chirurgicales discutées, patients jeunes."
        )
    else:
        what = (
            "Tous les dossiers de la région, du diagnostic à la récidive\u00a0; les médecins des "
            "centres de proximité présentent eux-mêmes leurs dossiers."
        )
    return f"{what} Présents\u00a0: {who}. Organisée par {organiser}."


def _submission(email: str, spec: DemoRcp) -> str:
    if spec.deadline_days == 1:
        delay = "la veille de la séance"
    else:
        delay = f"{spec.deadline_days} jours avant la séance"
    at = f"{spec.deadline_time.hour}\u00a0h\u00a0{spec.deadline_time.minute:02d}"
    return (
        "1. Remplissez la fiche de présentation du dossier.\n"
        f"2. Envoyez-la par messagerie sécurisée de santé à {email}, avec les documents "
        "listés ci-dessous, "
        f"au plus tard {delay}, à {at} (le jour ouvré précédent si ce jour tombe un week-end "
        "ou un jour férié).\n"
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


def _secretariat_phone(spec: DemoRcp, organiser: Centre) -> str:
    """A number of the ARCEP range kept for fiction, in the organiser's zone
    (a demo centre's own block, else its zone's)."""
    if organiser.is_demo and organiser.phone:
        return f"{organiser.phone[:-2]}05"
    prefix = FICTION_PHONE_PREFIXES[phone_zone(organiser.department)]
    number = random.Random(f"pan-together-rcp-phone:{spec.slug}").randint(0, 9999)
    return f"{prefix} {number // 100:02d} {number % 100:02d}"


def _save_rcp(writer: Writer, spec: DemoRcp, organiser: Centre, specialties, today: date):
    email = f"rcp.{spec.slug}@{DEMO_EMAIL_DOMAIN}"
    # A secure-messaging address under a domain reserved for examples (never delivered).
    mssante = f"rcp.{spec.slug}@mssante.{DEMO_EMAIL_DOMAIN}"
    on_site = spec.mode == Rcp.Mode.ON_SITE
    values = {
        "name": spec.name,
        "scope": spec.scope,
        "organiser": organiser,
        "description": _description(spec, organiser, specialties),
        "coordinator": _person(Role.Kind.RCP_COORDINATOR, organiser)
        or _person(Role.Kind.CENTRE_REFERENT, organiser),
        "secretary": _person(Role.Kind.SECRETARY, organiser),
        "secretariat_phone": _secretariat_phone(spec, organiser),
        "secretariat_email": email,
        "secretariat_mssante": mssante,
        "mode": spec.mode,
        "place": spec.place,
        "video_url": "" if on_site else f"https://visio.{DEMO_EMAIL_DOMAIN}/{spec.slug}",
        "video_url_is_public": spec.public_video,
        "submission": _submission(mssante, spec),
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
    return writer.upsert(
        Rcp,
        {"slug": spec.slug},
        values,
        label=f"RCP {spec.slug}",
        clean={"exclude": ["case_form", "slug"]},
    )


def _file_exists(rcp: Rcp) -> bool:
    return bool(rcp.case_form) and rcp.case_form.storage.exists(rcp.case_form.name)


def _wanted_exceptions(rcp: Rcp, index: int, today: date) -> dict[date, dict]:
    """One congress, one moved meeting (public holidays need no exception: the
    schedule leaves them out)."""
    upcoming = sorted(
        {
            o.original_date
            for o in occurrences(rcp, today, today + timedelta(days=365))
            if not o.is_holiday
        }
    )
    wanted = {}
    later = [d for d in upcoming if d > today + timedelta(days=6)]
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
            "note": "Congrès national\u00a0: séance reportée à la suivante",
        }
    return wanted


def _write_members(writer: Writer, rcp: Rcp, centres: list[Centre]) -> None:
    """One demonstration doctor per specialty found among the teams of the
    organiser and the participating centres (fictional people only)."""
    found: dict[str, Person] = {}
    people = (
        Person.objects.filter(is_demo=True, roles__centre__in=centres)
        .order_by("roles__order", "pk")
        .distinct()
    )
    for person in people:
        code = DEMO_SPECIALTIES.get(person.specialty)
        if code and code not in found:
            found[code] = person
    for order, (code, person) in enumerate(sorted(found.items())):
        writer.upsert(
            RcpMember,
            {"rcp_id": rcp.pk, "person_id": person.pk, "specialty": code},
            {"order": order},
            label=f"Membre {person} de {rcp.slug}",
        )
    if writer.reset:
        keep = [m.pk for m in rcp.members.all() if found.get(m.specialty) == m.person]
        writer.delete(rcp.members.exclude(pk__in=keep), label=f"Autres membres de {rcp.slug}")


def _write_exceptions(writer: Writer, rcp: Rcp, wanted: dict[date, dict]) -> None:
    for day, values in wanted.items():
        writer.upsert(
            RcpException,
            {"rcp_id": rcp.pk, "original_date": day},
            {"new_date": None, "new_start_time": None, **values},
            label=f"Séance du {day:%d/%m/%Y} de {rcp.slug}",
        )
    if writer.reset:
        writer.delete(
            rcp.exceptions.exclude(original_date__in=list(wanted)),
            label=f"Autres séances annulées ou déplacées de {rcp.slug}",
        )


def dip_month(today: date) -> tuple[date, date]:
    """The last full month before `today`: the demo's activity falls there, so the
    indicators show an alert against the same month a year before."""
    last = today.replace(day=1) - timedelta(days=1)
    return last.replace(day=1), last


def _specialties_present(rng: random.Random) -> str:
    """Most meetings meet the quorum; about one in eight lacks its radiotherapist."""
    present = {Specialty.SURGERY, Specialty.ONCOLOGY, Specialty.RADIOTHERAPY}
    if rng.random() < 0.12:
        present.discard(Specialty.RADIOTHERAPY)
    present.update(rng.sample(OTHER_SPECIALTIES, rng.randint(1, 3)))
    return specialties.join(present)


def _activity(spec: DemoRcp, rcp: Rcp, day: date, dip: tuple[date, date]) -> RcpActivity:
    rng = random.Random(f"pan-together-rcp:{spec.slug}:{day.isoformat()}")
    low, high = spec.files
    files = rng.randint(low, high)
    if dip[0] <= day <= dip[1]:
        files = max(1, round(files * DIP_FACTOR))
    first = min(files, round(files * rng.uniform(0.5, 0.8)))
    participants = len(spec.participants) + 1
    doctors = rng.randint(5, 9) + min(participants, 6)
    centres = rng.randint(max(1, participants // 2), participants)
    activity = RcpActivity(
        rcp=rcp,
        date=day,
        files_discussed=files,
        first_presentations=first,
        doctors_present=doctors,
        specialties_present=0,
        centres_represented=centres,
        specialties=_specialties_present(rng),
        source=RcpActivity.Source.DEMO,
    )
    activity.normalise_fields()  # bulk_create skips save()
    return activity


def _write_activity(writer: Writer, spec: DemoRcp, rcp: Rcp, now: datetime) -> int:
    """Add the meetings held and not yet recorded; on reset, also bring the demo
    records back (the dip moves with the calendar) and drop those not held."""
    today = now.astimezone(rcp.zone).date()
    held = [
        o.start.date()
        for o in occurrences(rcp, today - timedelta(days=ACTIVITY_DAYS), today)
        if o.takes_place and o.start <= now
    ]
    dip = dip_month(today)
    wanted = {day: _activity(spec, rcp, day, dip) for day in held}
    existing = {a.date: a for a in rcp.activities.all()}
    missing = [a for day, a in wanted.items() if day not in existing]
    bulk_create_with_history(missing, RcpActivity, default_change_reason=DEMO_REASON)
    writer.created += len(missing)
    if not writer.reset:
        return len(missing)
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
    if changed:
        writer.note(f"Activité de {rcp.slug} : {len(changed)} séance(s) remise(s) aux chiffres")
        bulk_update_with_history(
            changed,
            RcpActivity,
            ["files_discussed", "first_presentations"],
            default_change_reason=DEMO_REASON,
        )
    writer.delete(
        RcpActivity.objects.filter(rcp=rcp, source=RcpActivity.Source.DEMO).exclude(date__in=held),
        label=f"Activité de {rcp.slug} hors des séances tenues",
    )
    return len(missing)


def load(writer: Writer) -> str:
    """Create the missing demonstration RCPs and the activity of the meetings held."""
    now = timezone.now()
    today = timezone.localdate()
    specs, specialties_by_axis = _table()
    axes = {a.slug: a for a in Axis.objects.all()}
    centres = {c.slug: c for c in Centre.objects.all()}
    skipped, activities = [], 0
    for index, spec in enumerate(specs):
        organiser = centres.get(spec.organiser)
        if organiser is None:
            skipped.append(spec.slug)
            continue
        rcp, is_new = _save_rcp(writer, spec, organiser, specialties_by_axis, today)
        if not rcp.is_demo:
            continue  # the slug is now a real RCP's: never touched
        if writer.may_change(rcp, is_new):
            label = f"RCP {spec.slug}"
            writer.set_relation(rcp, "axes", [axes[a] for a in spec.axes], label=label)
            participants = [centres[s] for s in spec.participants if s in centres]
            writer.set_relation(rcp, "participants", participants, label=label)
            if not _file_exists(rcp):
                rcp.case_form.save(
                    f"fiche-{spec.slug}.pdf",
                    ContentFile(demo_case_form_pdf(f"Fiche {spec.name} (demonstration)")),
                )
            _write_members(writer, rcp, [organiser, *participants])
            _write_exceptions(writer, rcp, _wanted_exceptions(rcp, index, today))
        activities += _write_activity(writer, spec, rcp, now)
    return typo(
        f"RCP : {len(specs) - len(skipped)} de démonstration, {activities} séances tenues "
        f"ajoutées."
        + (f" Centres absents, RCP ignorées : {', '.join(skipped)}." if skipped else "")
    )
