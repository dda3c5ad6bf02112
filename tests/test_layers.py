"""Imports run one way: pantogether -> rcp, trials -> centres -> core (docs/architecture.md)."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Every top-level package of the project (a new one must say what it may import).
PACKAGES = tuple(
    sorted(init.parent.name for init in ROOT.glob("*/__init__.py") if init.parent.name != "tests")
)
# What each package may import among ours (itself always).
ALLOWED = {
    "core": set(),
    "centres": {"core"},
    "rcp": {"centres", "core"},
    "trials": {"centres", "core"},
    # Staff accounts: editor invitations and the admin site's second factor.
    "accounts": {"centres", "core"},
    # Open data (API, datasets) reads the domain apps; none of them reads it.
    "opendata": {"centres", "rcp", "trials", "core"},
    # The network's own content (news, documents, pages) reuses centres' axes and
    # the RCP case-form checks.
    "content": {"centres", "rcp", "core"},
    # The site search reads every kind of public content.
    "search": {"centres", "rcp", "trials", "opendata", "content", "core"},
    "pantogether": {
        "accounts",
        "centres",
        "rcp",
        "trials",
        "opendata",
        "content",
        "search",
        "core",
        "demo",
        "bench",
    },
    "demo": {"centres", "rcp", "trials", "content", "core"},
    "bench": {"centres", "rcp", "trials", "opendata", "content", "core", "demo"},
}


def imported_packages(path: Path) -> set[str]:
    """Our top-level packages that a module imports (absolute imports)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        found |= {name.split(".")[0] for name in names} & set(PACKAGES)
    return found


def test_every_package_of_the_project_has_its_layer():
    assert "accounts" in PACKAGES and "core" in PACKAGES
    assert set(PACKAGES) == set(ALLOWED)


def test_every_import_runs_down_the_layers():
    wrong = []
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            extra = imported_packages(path) - ALLOWED[package] - {package}
            if extra:
                wrong.append(f"{path.relative_to(ROOT)} imports {', '.join(sorted(extra))}")
    assert not wrong, "\n".join(wrong)


def test_no_demonstration_or_benchmark_code_lives_in_an_app():
    found = [
        str(path.relative_to(ROOT))
        for app in ("centres", "rcp", "trials", "opendata", "content", "search", "core")
        for path in (ROOT / app).rglob("*.py")
        if path.stem in ("demo", "bench") or "demo" in path.parts or "bench" in path.parts
    ]
    assert not found, found
