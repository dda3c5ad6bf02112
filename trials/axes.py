"""Which of the network's axes a registry study is about, from its conditions and
its MeSH terms: whole words and phrases from a vocabulary kept per axis.

Substrings are not enough ("cardia" is in "myocardial", "pancrea" in
"pancreatitis"): a condition names an axis when it holds a cancer of the axis'
organs as whole words ("Pancreatic Ductal Adenocarcinoma", "Cancer of the
Esophagus", "carcinome hépatocellulaire"), or a term that is one by itself
("PDAC", "cholangiocarcinoma"). A cancer word must follow the organ with only
descriptive words in between ("pancreatic fistula after surgery for cancer" is
not pancreatic cancer), and a condition with an excluded phrase never counts.
The registry's MeSH terms (`derivedSection.conditionBrowseModule`, meshes and
ancestors) count when the record has them. Metastases to the liver are not
liver cancer: the generic liver terms count only when no condition or MeSH term
speaks of metastases.

Pure functions, no database; used once, when the import creates a trial (the
axes are staff's afterwards).
"""

import re
from dataclasses import dataclass

from core.text import normalise

# Words that make "organ … word" a cancer (English and French, normalised).
CANCER_WORDS = (
    "cancer cancers carcinoma carcinomas adenocarcinoma adenocarcinomas neoplasm neoplasms "
    "neoplasia tumor tumors tumour tumours malignancy malignancies carcinome carcinomes "
    "adenocarcinome adenocarcinomes tumeur tumeurs neoplasie neoplasies"
).split()
# Words that may stand between an organ and a cancer word ("pancreatic ductal
# adenocarcinoma", "esophageal squamous cell carcinoma", "liver primary cancer").
DESCRIPTORS = (
    "ductal exocrine endocrine neuroendocrine acinar cell cells squamous mucinous cystic solid "
    "intraductal papillary primary primitive primitif advanced metastatic locally resectable "
    "unresectable borderline localized localised invasive recurrent refractory stage adeno "
    "signet ring and or junction de du la des canalaire epidermoide avance avancee avances "
    "metastatique metastatiques localement resecable non operable"
).split()
# Between a cancer word and an organ ("cancer of the pancreas", "cancer du pancréas").
LINKS = ("of", "of the", "in the", "de", "du", "de la", "de l", "des", "d")


@dataclass(frozen=True)
class Vocabulary:
    """What names one axis: organ words (adjectives and nouns), terms that name a
    cancer of the axis by themselves, MeSH terms, and phrases that rule a condition out."""

    organs: tuple[str, ...]
    terms: tuple[str, ...]
    mesh: tuple[str, ...]
    exclusions: tuple[str, ...] = ()
    # Organ words whose cancers may be metastases from elsewhere (the liver).
    generic_organs: tuple[str, ...] = ()
    generic_mesh: tuple[str, ...] = ()


VOCABULARY = {
    "pancreas": Vocabulary(
        organs=("pancreas", "pancreatic", "pancreatique", "pancreatiques"),
        terms=("pdac", "pancreatoblastoma", "intraductal papillary mucinous neoplasm"),
        mesh=(
            "Pancreatic Neoplasms",
            "Carcinoma, Pancreatic Ductal",
            "Pancreatic Intraductal Neoplasms",
        ),
        exclusions=("pancreatitis", "pancreatite", "pancreatites"),
    ),
    "oesophage": Vocabulary(
        organs=(
            "esophagus",
            "esophageal",
            "oesophagus",
            "oesophageal",
            "oesophage",
            "oesophagien",
            "oesophagienne",
            "oesophagiens",
            "oesophagiennes",
            "esophagogastric junction",
            "esophago gastric junction",
            "gastroesophageal junction",
            "gastro esophageal junction",
            "gastro oesophageal junction",
            "gastroesophageal",
            "gastro oesophageal",
            "oesogastric",
            "oeso gastric",
            "oesogastrique",
            "oeso gastrique",
            "jonction oeso gastrique",
            "jonction oesogastrique",
            "cardia",
            "cardial",
        ),
        terms=("escc", "siewert"),
        mesh=("Esophageal Neoplasms", "Esophageal Squamous Cell Carcinoma"),
        exclusions=(
            "varices",
            "varix",
            "esophagitis",
            "oesophagitis",
            "oesophagite",
            "achalasia",
            "atresia",
            "atresie",
        ),
    ),
    "foie-voies-biliaires": Vocabulary(
        organs=(
            "hepatocellular",
            "hepatocellulaire",
            "biliary",
            "biliary tract",
            "bile duct",
            "bile ducts",
            "gallbladder",
            "gall bladder",
            "voies biliaires",
            "voie biliaire",
            "vesicule biliaire",
            "biliaire",
            "biliaires",
            "intrahepatic bile duct",
            "extrahepatic bile duct",
        ),
        terms=(
            "hcc",
            "hepatocarcinoma",
            "hepatocarcinome",
            "hepatocarcinomes",
            "cholangiocarcinoma",
            "cholangiocarcinomas",
            "cholangiocarcinome",
            "cholangiocarcinomes",
            "cholangiocellular carcinoma",
            "klatskin",
            "hepatoblastoma",
            "hepatoblastome",
            "fibrolamellar",
        ),
        mesh=(
            "Carcinoma, Hepatocellular",
            "Cholangiocarcinoma",
            "Bile Duct Neoplasms",
            "Biliary Tract Neoplasms",
            "Gallbladder Neoplasms",
            "Klatskin Tumor",
            "Hepatoblastoma",
        ),
        exclusions=("atresia", "atresie", "cholangitis", "cholangite", "cholestasis"),
        generic_organs=("liver", "hepatic", "foie", "hepatique", "hepatiques"),
        generic_mesh=("Liver Neoplasms",),
    ),
}
METASTASIS_WORDS = re.compile(r"\b(metasta\w*|secondary|secondaires?)\b")
METASTASIS_MESH = frozenset({"neoplasm metastasis"})


def _alternatives(words) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


# Adjectives after the noun: French (« carcinome hépatocellulaire », « cancer
# pancréatique ») and the registry's MeSH-like headings ("Carcinoma, Hepatocellular").
_ADJECTIVE = re.compile(r"(ic|al|ar|ary|ique|iques|ien|ienne|iens|iennes|aire|aires)$")


def _cancer_of(organs, *, inverted: bool = True) -> re.Pattern:
    """An organ then a cancer word, descriptors in between; a cancer word, a link
    ("of the", "du"), optional descriptors, then the organ; or (`inverted`) a
    cancer word then an organ adjective."""
    organ = _alternatives(organs)
    between = rf"(?:(?:{_alternatives(DESCRIPTORS)}) ){{0,4}}"
    cancer = _alternatives(CANCER_WORDS)
    link = _alternatives(LINKS)
    forms = [
        rf"(?:{organ}) {between}(?:{cancer})",
        rf"(?:{cancer}) {between}(?:{link}) {between}(?:{organ})",
    ]
    adjectives = [word for word in organs if _ADJECTIVE.search(word)]
    if inverted and adjectives:
        forms.append(rf"(?:{cancer}) {between}(?:{_alternatives(adjectives)})")
    return re.compile(rf"\b(?:{'|'.join(forms)})\b")


@dataclass(frozen=True)
class _Compiled:
    cancer: re.Pattern
    terms: re.Pattern
    exclusions: re.Pattern | None
    generic: re.Pattern | None
    mesh: frozenset
    generic_mesh: frozenset


def _compile(vocabulary: Vocabulary) -> _Compiled:
    words = lambda items: re.compile(rf"\b(?:{_alternatives(items)})\b")  # noqa: E731
    return _Compiled(
        cancer=_cancer_of(vocabulary.organs),
        terms=words(vocabulary.terms),
        exclusions=words(vocabulary.exclusions) if vocabulary.exclusions else None,
        # "Colorectal Cancer Hepatic Metastases": no inverted form for the generic words.
        generic=(
            _cancer_of(vocabulary.generic_organs, inverted=False)
            if vocabulary.generic_organs
            else None
        ),
        mesh=frozenset(term.lower() for term in vocabulary.mesh),
        generic_mesh=frozenset(term.lower() for term in vocabulary.generic_mesh),
    )


_COMPILED = {slug: _compile(vocabulary) for slug, vocabulary in VOCABULARY.items()}


def axes_for(conditions: str, mesh_terms=()) -> list[str]:
    """Axis slugs the conditions (one per line) and MeSH terms name, in VOCABULARY order."""
    lines = [normalise(line) for line in conditions.splitlines() if line.strip()]
    mesh = {term.strip().lower() for term in mesh_terms if isinstance(term, str)}
    metastases = any(METASTASIS_WORDS.search(line) for line in lines) or bool(
        mesh & METASTASIS_MESH
    )
    found = []
    for slug, rules in _COMPILED.items():
        if _names_axis(rules, lines, mesh, metastases):
            found.append(slug)
    return found


def _names_axis(rules: _Compiled, lines, mesh, metastases: bool) -> bool:
    if mesh & rules.mesh or (not metastases and mesh & rules.generic_mesh):
        return True
    for line in lines:
        if rules.terms.search(line):
            return True
        if rules.exclusions and rules.exclusions.search(line):
            continue  # "pancreatitis", "biliary atresia"...: not the cancer
        if rules.cancer.search(line):
            return True
        if rules.generic and not metastases and rules.generic.search(line):
            return True
    return False
