"""Import trials from ClinicalTrials.gov API v2 JSON: files, the live API with --fetch,
or every registry trial already in the database, again, with --refresh."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from trials import fetch
from trials.models import Status, Trial
from trials.services import CentreMatcher, ImportReport, import_document

MAX_FILE_BYTES = 200 * 1024 * 1024


class Command(BaseCommand):
    help = (
        "Importe des essais depuis le JSON de l’API v2 de ClinicalTrials.gov : une étude ou une "
        "page de /api/v2/studies par fichier, ou directement depuis l’API avec --fetch. "
        "Crée ou met à jour les essais par numéro NCT sans toucher à ce que l’équipe a écrit "
        "(titre et résumé en français, axes, situation). Peut être relancée sans effet de bord. "
        "Le statut d’un essai du registre n’est tenu pour vérifié que pendant 45 jours après la "
        "dernière lecture de sa fiche\u00a0: au-delà, le site public l’affiche avec la mention "
        "«\u00a0Statut non vérifié auprès du registre depuis le …\u00a0» et ne le compte plus "
        "parmi les essais qui "
        "recrutent ou vont ouvrir (recherche, page d’accueil, pages des centres). Lancez "
        "--refresh au moins chaque semaine\u00a0: --fetch avec --status ne ramène plus un essai "
        "fermé entre-temps, --refresh relit chaque essai par son numéro NCT."
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
        parser.add_argument("--max-pages", type=int, default=20)
        parser.add_argument("--timeout", type=float, default=30, help="Secondes par requête.")
        parser.add_argument("--retries", type=int, default=3)
        parser.add_argument(
            "--publish",
            action="store_true",
            help="Publie aussitôt les essais créés (sinon ils attendent une relecture).",
        )

    def handle(self, *args, paths, **options):
        if not paths and not options["fetch"] and not options["refresh"]:
            raise CommandError("Donnez au moins un fichier JSON, --fetch TERMES ou --refresh.")
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
                report.errors.append(str(exc))
        if options["refresh"]:
            self._refresh(report, matcher, options)
        self._print(report)

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
            report.errors.append(str(exc))
        imported = report.imported
        report.not_refreshed = [n for n in numbers if n not in imported]

    def _read(self, path: str, report: ImportReport):
        file = Path(path)
        try:
            if file.stat().st_size > MAX_FILE_BYTES:
                report.errors.append(f"{path} : fichier trop gros (plus de 200 Mo).")
                return None
            with file.open("rb") as fh:
                return json.load(fh)
        except FileNotFoundError:
            report.errors.append(f"{path} : fichier introuvable.")
        except IsADirectoryError:
            report.errors.append(f"{path} : c’est un dossier, pas un fichier.")
        except UnicodeDecodeError:
            report.errors.append(f"{path} : le fichier n’est pas en UTF-8.")
        except json.JSONDecodeError as exc:
            report.errors.append(
                f"{path} : JSON mal formé (ligne {exc.lineno}, colonne {exc.colno}) : {exc.msg}."
            )
        except OSError as exc:
            report.errors.append(f"{path} : lecture impossible ({exc.strerror or exc}).")
        return None

    def _print(self, report: ImportReport) -> None:
        for title, items in (
            ("Créés", report.created),
            ("Mis à jour", report.updated),
            ("Inchangés", report.unchanged),
            ("À revoir (statut ou dates changés dans le registre)", report.flagged),
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
        for error in report.errors:
            self.stderr.write(self.style.ERROR(f"Erreur : {error}"))
        self.stdout.write(report.summary())
