"""The network's facts, from its own material: the pilot and referent centres, the
axes' referent centres, the national and axis coordinators (centres/data/network.json).

Every environment has them from `migrate` on, production included. What exists
is never changed: a row already there (written by an earlier `demo_data`, or
edited by staff) keeps its values, and an axis that has a referent keeps it.
Real people get no contact details here: only title, name and specialty.
"""

import json
from pathlib import Path

from django.db import migrations

from core.text import normalise

FACTS = Path(__file__).resolve().parent.parent / "data" / "network.json"


def load(apps, schema_editor):
    Axis = apps.get_model("centres", "Axis")
    Centre = apps.get_model("centres", "Centre")
    CentreAxis = apps.get_model("centres", "CentreAxis")
    Department = apps.get_model("centres", "Department")
    Person = apps.get_model("centres", "Person")
    Role = apps.get_model("centres", "Role")
    facts = json.loads(FACTS.read_text(encoding="utf-8"))
    axes = {axis.slug: axis for axis in Axis.objects.all()}
    centres = {}
    for fact in facts["centres"]:
        centre = Centre.objects.filter(slug=fact["slug"]).first()
        if centre is None:
            values = {
                k: v for k, v in fact.items() if k not in ("axes", "referent_of", "department")
            }
            centre = Centre.objects.create(
                **values,
                department=Department.objects.get(code=fact["department"]),
                is_demo=False,
                is_published=True,
                # Centre.save() fills it; historical models have no save() of ours.
                search_text=normalise(
                    " ".join([fact["name"], fact["short_name"], fact["city"], fact["postcode"]])
                ),
            )
            for slug in fact["axes"]:
                CentreAxis.objects.create(centre=centre, axis=axes[slug])
        centres[fact["slug"]] = centre
        axis = axes[fact["referent_of"]]
        if axis.referent_centre_id is None:
            axis.referent_centre = centre
            axis.save(update_fields=["referent_centre"])
    for fact in facts["people"]:
        person = Person.objects.filter(
            first_name=fact["first_name"], last_name=fact["last_name"], is_demo=False
        ).first()
        if person is None:
            person = Person.objects.create(
                title=fact["title"],
                first_name=fact["first_name"],
                last_name=fact["last_name"],
                specialty=fact["specialty"],
                is_demo=False,
            )
        for role in fact["roles"]:
            Role.objects.get_or_create(
                person=person,
                kind=role["kind"],
                centre=centres[role["centre"]],
                axis=axes[role["axis"]] if role["axis"] else None,
                defaults={"order": fact["order"]},
            )


class Migration(migrations.Migration):
    dependencies = [("centres", "0005_constraint_messages")]

    # Not reversible into nothing: staff may have edited these rows since.
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
