"""Import trials from ClinicalTrials.gov API v2 JSON: files, the live API with --fetch,
or every registry trial already in the database, again, with --refresh.

Made for cron and systemd timers: the exit status says whether everything asked
was done (see trials.services.EXIT_*, documented in the README), and the last
line of the output sums up the run.
"""

import argparse
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trials import fetch
from trials.models import Status, Trial
from trials.services import EXIT_USAGE, CentreMatcher, ImportReport, import_document

MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Importe des essais depuis le JSON de l’API v2 de ClinicalTrials.gov : une étude ou une "
        "page de /api/v2/studies par fichier, ou directement depuis l’API avec --fetch. "
        "Crée ou met à jour les essais par numéro NCT sans toucher à ce que l’équipe a écrit "
        "(titre et résumé en français, axes, situation). Peut être relancée sans effet de bord. "
        "Ce qu’une fiche ne mentionne pas (capture partielle avec fields=, module absent) reste "
        "tel quel\u00a0; une version plus ancienne que celle de la base ne change rien\u00a0; "
        "un lieu que le registre ne cite plus est fermé, jamais supprimé. "
        "Le statut d’un essai du registre n’est tenu pour vérifié que pendant 45 jours après la "
        "dernière lecture de sa fiche\u00a0: au-delà, le site public l’affiche avec la mention "
        "«\u00a0Statut non vérifié auprès du registre depuis le …\u00a0» et ne le compte plus "
        "parmi les essais qui "
        "recrutent ou vont ouvrir (recherche, page d’accueil, pages des centres). Lancez "
        "--refresh au moins chaque semaine\u00a0: --fetch avec --status ne ramène plus un essai "
        "fermé entre-temps, --refresh relit chaque essai par son numéro NCT. "
        "Code de sortie\u00a0: 0 si tout ce qui était demandé a été fait, 1 si un fichier ou "
        "une étude n’a pu être importé (ou un essai n’a pas été relu), 2 si la ligne de "
        "commande est fausse, 3 si le registre en ligne n’a pu être lu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "paths", nargs="*", metavar="FICHIER", help="Fichiers JSON de l’API v2."
        )
        parser.add_argument(
            "--fetch",
            metavar="TERMES",
            help="Interroge l’API en ligne avec ces termes de pathologie (query.cond), "
            "par exemple « pancreatic cancer ».",
        )
        parser.add_argument(
            "--refresh",
            action="store_true",
            help="Relit dans l’API en ligne chaque essai du registre déjà en base, par son "
            "numéro NCT (filter.ids, par lots de 100), quel que soit son statut\u202f; les essais "
            "de démonstration sont laissés de côté. Les essais que le registre ne renvoie pas "
            "sont signalés.",
        )
        parser.add_argument(
            "--country",
            default="France",
            help="Pays des lieux de recrutement pour --fetch (query.locn, défaut : France).",
        )
        parser.add_argument(
            "--status",
            action="append",
            choices=Status.values,
            default=[],
            help="Statut(s) du registre à retenir avec --fetch (répétable).",
        )
        parser.add_argument("--max-pages", type=_positive_int, default=20)
        parser.add_argument(
            "--timeout", type=_positive_float, default=30, help="Secondes par requête."
        )
        parser.add_argument(
            "--retries",
            type=_natural_int,
            default=3,
            help="Nouvelles tentatives après l’échec d’une requête (défaut : 3, soit 4 en tout).",
        )
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publie aussitôt les essais créés (sinon ils attendent une relecture), sauf "
            "ceux qui n’ont aucun lieu dans un centre du réseau ou aucun des trois cancers du "
            "réseau dans leurs pathologies : ceux-là restent à revoir.",
        )

    def handle(self, *args, paths, **options):
        if not paths and not options["fetch"] and not options["refresh"]:
            raise CommandError(
                "Donnez au moins un fichier JSON, --fetch TERMES ou --refresh.",
                returncode=EXIT_USAGE,
            )
        report = ImportReport()
        matcher = CentreMatcher()
        publish = options["publish"]
        for path in paths:
            document = self._read(path, report)
            if document is not None:
                import_document(
                    document, source=path, report=report, publish=publish, matcher=matcher
                )
        if options["fetch"]:
            try:
                for label, page in fetch.fetch_pages(
                    condition=options["fetch"],
                    country=options["country"],
                    statuses=options["status"],
                    max_pages=options["max_pages"],
                    timeout=options["timeout"],
                    retries=options["retries"],
                ):
                    import_document(
                        page, source=label, report=report, publish=publish, matcher=matcher
                    )
            except fetch.FetchError as exc:
                report.registry_errors.append(str(exc))
        if options["refresh"]:
            self._refresh(report, matcher, options)
        self._print(report)
        if report.exit_code:
            # Not a CommandError: the summary above says it all, without a traceback
            # or a "CommandError:" line (run_from_argv still closes the connections).
            raise SystemExit(report.exit_code)

    def _refresh(self, report: ImportReport, matcher: CentreMatcher, options) -> None:
        """Read every registry trial again by NCT number, through the same import code."""
        numbers = list(
            Trial.objects.to_refresh().order_by("nct_number").values_list("nct_number", flat=True)
        )
        if not numbers:
            report.warnings.append("--refresh\u00a0: aucun essai du registre à relire.")
            return
        try:
            for label, page in fetch.fetch_by_ids(
                numbers,
                max_pages=options["max_pages"],
                timeout=options["timeout"],
                retries=options["retries"],
            ):
                import_document(page, source=label, report=report, matcher=matcher)
        except fetch.FetchError as exc:
            report.registry_errors.append(str(exc))
        imported = report.imported
        report.not_refreshed = [n for n in numbers if n not in imported]

    def _read(self, path: str, report: ImportReport):
        file = Path(path)
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                report.errors.append(f"{path} : fichier trop gros (plus de 200 Mo).")
                return None
            body = file.read_bytes()
            if fetch.looks_like_html(body):
                report.errors.append(
                    f"{path} : page HTML et non JSON (sans doute une page d’erreur ou de "
                    "connexion enregistrée à la place de l’étude) : téléchargez à nouveau "
                    "le JSON depuis l’API v2."
                )
                return None
            if not body.strip():
                report.errors.append(f"{path} : fichier vide.")
                return None
            return json.loads(body.decode("utf-8-sig"))  # the API's encoding
        except FileNotFoundError:
            report.errors.append(f"{path} : fichier introuvable.")
        except IsADirectoryError:
            report.errors.append(f"{path} : c’est un dossier, pas un fichier.")
        except UnicodeDecodeError:
            report.errors.append(f"{path} : le fichier n’est pas en UTF-8.")
        except json.JSONDecodeError as exc:
            truncated = exc.pos >= len(exc.doc.rstrip()) if isinstance(exc.doc, str) else False
            report.errors.append(
                f"{path} : JSON mal formé (ligne {exc.lineno}, colonne {exc.colno}) : {exc.msg}"
                + (
                    " ; le fichier semble tronqué (téléchargement interrompu ?)."
                    if truncated
                    else "."
                )
            )
        except RecursionError:
            report.errors.append(f"{path} : JSON trop profondément imbriqué pour être lu.")
        except OSError as exc:
            report.errors.append(f"{path} : lecture impossible ({exc.strerror or exc}).")
        return None

    def _print(self, report: ImportReport) -> None:
        for title, items in (
            ("Créés", report.created),
            ("Mis à jour", report.updated),
            ("Inchangés", report.unchanged),
            ("Ignorés (version plus ancienne que celle de la base, ou sans date)", report.ignored),
            ("À revoir (statut, dates ou lieux changés dans le registre)", report.flagged),
            (
                "Non publiés malgré --publish (aucun lieu dans un centre du réseau, ou aucun "
                "des trois cancers du réseau) : à revoir",
                report.held,
            ),
            ("Lieux en France sans centre du réseau (à rapprocher dans l’admin)", report.unmatched),
            (
                "Non vérifiés auprès du registre (absents de sa réponse, en erreur ou "
                "non lus)\u202f; leur statut sera présenté comme non vérifié 45 jours après "
                "leur dernière lecture",
                report.not_refreshed,
            ),
        ):
            if items:
                self.stdout.write(f"{title} ({len(items)}) :")
                for item in items:
                    self.stdout.write(f"  - {item}")
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"Attention : {warning}"))
        for error in report.errors + report.registry_errors:
            self.stderr.write(self.style.ERROR(f"Erreur : {error}"))
        outcome = {
            0: "tout ce qui était demandé a été fait",
            1: "des fichiers ou des études n’ont pas été importés (voir les erreurs)",
            3: "le registre en ligne n’a pas pu être lu en entier",
        }[report.exit_code]
        self.stdout.write(
            f"Bilan : {report.summary()} Code de sortie {report.exit_code} : {outcome}."
        )


def _natural_int(text: str) -> int:
    value = int(text) if text.strip().isdigit() else -1
    if value < 0 or value > 100:
        raise argparse.ArgumentTypeError("un entier de 0 à 100 est attendu")
    return value


def _positive_int(text: str) -> int:
    value = _natural_int(text)
    if value == 0:
        raise argparse.ArgumentTypeError("un entier de 1 à 100 est attendu")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not 0 < value <= 600:
        raise argparse.ArgumentTypeError("un nombre de secondes entre 0 et 600 est attendu")
    return value
