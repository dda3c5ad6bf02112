"""The contact page becomes an editable page: the text its template held is
now its Markdown. The network's e-mail address (a setting of each deployment)
and the link to the pilot centre's page stay computed in the template.
"""

from django.db import migrations

from core.text import normalise

CONTACT = """Le réseau ne donne pas d’avis médical par courriel ni par téléphone : pour une question sur votre santé, adressez-vous à votre médecin ou à votre centre. En cas d’urgence, appelez le 15 (ou le 112).

## Vous êtes patient ou proche

- Pour un rendez-vous ou une question sur votre prise en charge : appelez votre centre. [Trouvez-le dans l’annuaire](/centres/) : chaque fiche donne le numéro à appeler.
- Pour vous informer sur les cancers, les traitements et vos droits : Cancer Info, le service de l’Institut national du cancer, au [0805 123 124](tel:0805123124) (service et appel gratuits).

[Tout ce que le réseau fait pour les patients et leurs proches](/patients/)

## Vous êtes médecin

- Pour présenter un dossier en RCP : le secrétariat de la RCP. [L’annuaire des RCP](/rcp/) donne pour chacune le téléphone du secrétariat, son adresse de messagerie sécurisée (MSSanté) et la date limite d’envoi.
- Pour adresser un patient : le centre expert, dont la [fiche](/centres/) indique le téléphone et les documents à joindre.
- Pour choisir la bonne réunion : [quelle RCP pour mon patient ?](/rcp/quelle-rcp/)

## Adresse postale

Réseau PAN-TOGETHER  
Centre pilote : CHU de Brest  
2 avenue Foch  
29609 Brest Cedex
"""

SUMMARY = (
    "Contacter le réseau PAN-TOGETHER\u00a0: qui appeler quand on est patient ou proche, "
    "qui joindre quand on est médecin, l’adresse du réseau."
)


def seed_contact(apps, schema_editor):
    # No row could have this slug before (it was not among the pages' choices).
    Page = apps.get_model("content", "Page")
    if Page.objects.filter(slug="contact").exists():
        return
    title = "Contacter le réseau"
    Page.objects.create(
        slug="contact",
        title=title,
        summary=SUMMARY,
        body=CONTACT,
        search_text=normalise(" ".join([title, SUMMARY, CONTACT])),
    )


class Migration(migrations.Migration):
    dependencies = [("content", "0005_whole_pages")]

    operations = [
        migrations.RunPython(seed_contact, migrations.RunPython.noop),
    ]
