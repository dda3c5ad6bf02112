"""Demonstration centres and their fictional teams (demo/data/centres.csv).

About fifty expert centres and a few partner centres over mainland France,
Corsica and the five overseas departments, all marked ``is_demo``. Phone
numbers come only from the ranges ARCEP reserves for fiction, e-mails only
from example.org, and no FINESS number is given: a patient must never be led
to call or write to a real hospital on a made-up contact. Deterministic:
each centre draws from its own seeded random generator.
"""

import csv
import random
from datetime import timedelta
from typing import NamedTuple

from django.utils import timezone
from django.utils.text import slugify

from centres.models import Axis, Centre, CentreAxis, Department, Person, Role, Service
from core import geo
from core.text import normalise, typo

from . import Writer
from .fiction import DATA, DEMO_EMAIL_DOMAIN, FICTION_PHONE_PREFIXES, names, phone_zone, read_json

UNIVERSITY_PREFIXES = ("CHU", "CHRU", "AP-H", "Hospices", "Hôpitaux")


class DemoCentre(NamedTuple):
    slug: str
    name: str
    short_name: str
    address: str
    postcode: str
    city: str
    axes: tuple[str, ...]  # axis slugs
    kind: str
    transplant: bool  # offers liver transplantation


def demo_centres() -> list[DemoCentre]:
    with (DATA / "centres.csv").open(encoding="utf-8", newline="") as fh:
        return [
            DemoCentre(
                **{
                    **row,
                    "axes": tuple(row["axes"].split()),
                    "transplant": row["transplant"] == "1",
                }
            )
            for row in csv.DictReader(fh)
        ]


def _axes() -> dict[str, Axis]:
    """The three axes by slug; they come with the data migration."""
    axes = {a.slug: a for a in Axis.objects.all()}
    missing = {"pancreas", "oesophage", "foie-voies-biliaires"} - set(axes)
    if missing:
        raise RuntimeError(
            f"Axes absents ({', '.join(sorted(missing))}) : lancez d’abord « manage.py migrate »."
        )
    return axes


def _place(postcode: str, city: str) -> geo.Place:
    """The commune of the postcode file that the centre's address names."""
    wanted = normalise(city)
    for place in geo.postcode_places(postcode):
        name = normalise(place.commune)
        # "Paris 15", "Lyon 03", "Marseille 05": arrondissements of the city.
        if name == wanted or name.startswith(wanted + " "):
            return place
    raise ValueError(f"{postcode} {city} n’est pas dans core/data/postcodes-fr.csv")


def _description(spec: DemoCentre, texts: dict, rng: random.Random) -> str:
    parts = [texts["axis_cancers"][s] for s in spec.axes]
    cancers = "cancers " + (", ".join(parts[:-1]) + " et " if len(parts) > 1 else "")
    cancers += parts[-1]
    if spec.kind == Centre.Kind.PARTNER:
        return typo(
            f"Centre de proximité lié par convention aux centres experts de la région. "
            f"L’équipe assure le diagnostic, la chimiothérapie et les soins de support près "
            f"du domicile\u00a0; les {cancers} sont discutés en RCP avec un centre expert.\n\n"
            f"- consultation d’oncologie digestive {rng.choice(['deux', 'trois'])} jours par "
            f"semaine\u00a0;\n- hôpital de jour de chimiothérapie\u00a0;\n- lien direct avec "
            f"l’infirmière de coordination du centre expert."
        )
    if spec.name.startswith(UNIVERSITY_PREFIXES):
        intro = (
            f"Établissement universitaire\u00a0: l’équipe d’oncologie digestive réunit "
            f"chirurgiens, "
            f"gastro-entérologues, oncologues, radiologues et pathologistes autour des {cancers}"
        )
    elif spec.name.startswith("Centre hospitalier"):
        intro = f"Centre hospitalier expert de son territoire pour les {cancers}"
    else:
        intro = f"Centre de lutte contre le cancer, expert pour les {cancers}"
    day = rng.choice(texts["weekdays"])
    return typo(
        f"{intro}.\n\n"
        f"- RCP d’oncologie digestive chaque {day}, ouverte en visioconférence aux "
        f"médecins du territoire\u00a0;\n"
        f"- consultation d’annonce et accompagnement par une infirmière de coordination\u00a0;\n"
        f"- accès aux essais cliniques du réseau PAN-TOGETHER\u00a0;\n"
        f"- soins de support dès le diagnostic (nutrition, douleur, psychologie).\n\n"
        f"Premier rendez-vous proposé en {rng.choice([5, 7, 8, 10])} jours ouvrés en moyenne."
    )


# How long before a meeting a file is due, as the referral text says it.
_DEADLINES = ["48\u00a0h", "la veille à midi", "trois jours"]


def _referral(phone: str, email: str, rng: random.Random) -> str:
    return typo(
        f"Appelez le secrétariat d’oncologie digestive au {phone} (du lundi au vendredi, "
        f"de 9\u00a0h à {rng.choice([16, 17, 18])}\u00a0h) ou écrivez à {email}.\n\n"
        f"Joignez à la demande\u00a0:\n\n"
        f"1. la lettre du médecin qui adresse le patient, avec ses antécédents et ses "
        f"traitements\u00a0;\n"
        f"2. les comptes rendus d’imagerie (scanner thoraco-abdomino-pelvien, IRM, "
        f"écho-endoscopie) et, si possible, les images\u00a0;\n"
        f"3. le compte rendu d’anatomo-pathologie s’il existe\u00a0;\n"
        f"4. un bilan biologique récent (dont le CA 19-9 pour le pancréas).\n\n"
        f"Pour une discussion en RCP, envoyez le dossier au plus tard "
        f"{rng.choice(_DEADLINES)} avant la réunion."
    )


def _unique_name(rng, used: set, female: bool, local: list[str]) -> tuple[str, str]:
    people = names()
    while True:
        first = rng.choice(people["first_names_f"] if female else people["first_names_m"])
        last = (
            rng.choice(local) if local and rng.random() < 0.5 else rng.choice(people["last_names"])
        )
        if (first, last) not in used:
            used.add((first, last))
            return first, last


def _services(spec: DemoCentre, texts: dict, rng: random.Random) -> list[str]:
    slugs = []
    for axis in spec.axes:
        slugs += texts["services_by_axis"][axis]
    if spec.transplant:
        slugs.append("transplantation-hepatique")
    slugs = list(dict.fromkeys(slugs))  # de-duplicate, keep the order
    if spec.kind == Centre.Kind.PARTNER:
        return slugs[:1] + ["soins-de-support", "oncogeriatrie"][: rng.randint(1, 2)]
    return (slugs + rng.sample(texts["common_services"], 3))[: rng.randint(3, 6)]


def _team(spec: DemoCentre, department: Department, rng, used: set) -> list[dict]:
    """The centre's fictional team (2 to 5 people), one role each at the centre.

    Drawn for every centre, written or not, so that the names drawn for the
    next centres do not depend on which centres already exist.
    """
    size = 2 if spec.kind == Centre.Kind.PARTNER else rng.randint(2, 5)
    local = names()["local_last_names_by_region"].get(department.region.code, [])
    team = []
    for member in names()["team"][:size]:
        kind, doctor = member["kind"], member["doctor"]
        female = rng.random() < 0.6
        first, last = _unique_name(rng, used, female, local)
        specialty = rng.choice(member["specialties"])
        if doctor and not specialty.startswith("Attachée"):
            university = spec.name.startswith(UNIVERSITY_PREFIXES)
            title = "pr" if university and kind == Role.Kind.CENTRE_REFERENT else "dr"
        else:
            title = "mme" if female else "m"
            if not female:
                specialty = specialty.replace("Attachée", "Attaché").replace(
                    "infirmière", "infirmier"
                )
        team.append(
            {
                "first_name": first,
                "last_name": last,
                "title": title,
                "specialty": specialty,
                "doctor": doctor,
                "kind": kind,
                "label": rng.choice(member["labels"]),
            }
        )
    return team


def _write_team(writer: Writer, centre: Centre, team: list[dict], block: str, axis) -> None:
    kept = []
    for j, member in enumerate(team):
        first, last = member["first_name"], member["last_name"]
        person, _new = writer.upsert(
            Person,
            {"first_name": first, "last_name": last, "is_demo": True},
            {
                "title": member["title"],
                "specialty": member["specialty"],
                "email": f"{slugify(first)}.{slugify(last)}@{DEMO_EMAIL_DOMAIN}",
                "phone": f"{block} {20 + j:02d}" if not member["doctor"] or j == 0 else "",
                "last_reviewed": centre.last_reviewed,
            },
            label=f"Personne {first} {last}",
        )
        role_axis = axis if member["kind"] == Role.Kind.RCP_COORDINATOR else None
        role, _new = writer.upsert(
            Role,
            {
                "person_id": person.pk,
                "kind": member["kind"],
                "centre_id": centre.pk,
                "axis_id": role_axis.pk if role_axis else None,
            },
            {"label": member["label"], "order": j},
            label=f"Rôle de {person} à {centre}",
        )
        if writer.reset:
            writer.delete(
                Role.objects.filter(person=person).exclude(pk=role.pk),
                label=f"Autres rôles de {person}",
            )
        kept.append(person.pk)
    if writer.reset:
        # A smaller team than in an earlier version of the table: drop the others.
        writer.delete(
            Role.objects.filter(centre=centre, person__is_demo=True).exclude(person__in=kept),
            label=f"Rôles fictifs en trop à {centre}",
        )


def load(writer: Writer) -> str:
    """Create the missing demonstration centres (or, on reset, put them back)."""
    axes = _axes()
    texts = read_json("centres-texts.json")
    services = {s.slug: s for s in Service.objects.all()}
    departments = {d.code: d for d in Department.objects.select_related("region")}
    today = timezone.localdate()
    # Fictional people never take the name of a real one.
    used_names = set(Person.objects.filter(is_demo=False).values_list("first_name", "last_name"))
    specs = demo_centres()
    for index, spec in enumerate(specs):
        rng = random.Random(f"pan-together-demo:{spec.slug}")
        place = _place(spec.postcode, spec.city)
        department = departments[place.department]
        prefix = FICTION_PHONE_PREFIXES[phone_zone(department)]
        block = f"{prefix} {10 + index:02d}"  # 100 numbers of this centre
        email = f"onco-digestif.{spec.slug}@{DEMO_EMAIL_DOMAIN}"
        centre_axes = [axes[slug] for slug in spec.axes]
        centre, is_new = writer.upsert(
            Centre,
            {"slug": spec.slug},
            {
                "name": spec.name,
                "short_name": spec.short_name,
                "kind": spec.kind,
                "finess": "",
                "address": spec.address,
                "postcode": spec.postcode,
                "city": spec.city,
                "department_id": department.pk,
                # The commune's point, moved a little so that centres of one
                # city do not sit on top of each other on the map.
                "latitude": round(place.latitude + rng.uniform(-0.01, 0.01), 5),
                "longitude": round(place.longitude + rng.uniform(-0.01, 0.01), 5),
                "phone": f"{block} 00",
                "email": email,
                "website": "",
                "description": _description(spec, texts, rng),
                "referral": _referral(f"{block} 01", email, rng),
                "is_published": True,
                "is_demo": True,
                "last_reviewed": today - timedelta(days=rng.randint(3, 350)),
            },
            label=f"Centre {spec.slug}",
        )
        # The same draws whether the centre is new or not: a reset finds the same team.
        details = {}
        for axis in centre_axes:
            detail = rng.choice(texts["axis_details"][axis.slug])
            detail = detail.format(day=rng.choice(texts["weekdays"]), n=rng.choice([7, 10, 15]))
            phone = f"{block} 1{axis.order}" if rng.random() < 0.35 else ""
            details[axis] = (typo(detail), phone)
        wanted_services = [services[s] for s in _services(spec, texts, rng)]
        team = _team(spec, department, rng, used_names)
        if not writer.may_change(centre, is_new):
            continue
        for axis, (detail, phone) in details.items():
            writer.upsert(
                CentreAxis,
                {"centre_id": centre.pk, "axis_id": axis.pk},
                {"details": detail, "phone": phone},
                label=f"Axe {axis.short_name} de {spec.slug}",
            )
        if writer.reset:
            writer.delete(
                CentreAxis.objects.filter(centre=centre).exclude(axis__in=centre_axes),
                label=f"Autres axes de {spec.slug}",
            )
        writer.set_relation(centre, "services", wanted_services, label=f"Centre {spec.slug}")
        _write_team(writer, centre, team, block, centre_axes[0])
    if writer.reset:
        # Fictional people left without a role by such a change go too.
        writer.delete(
            Person.objects.filter(is_demo=True, roles__isnull=True), label="Personnes fictives"
        )
    demo = Centre.objects.filter(is_demo=True, slug__in=[s.slug for s in specs]).count()
    return typo(
        f"Centres : {demo} de démonstration sur {len(specs)} ; "
        f"{Person.objects.filter(is_demo=True).count()} personnes fictives."
    )
