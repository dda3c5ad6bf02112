"""The benchmark behind `make bench`: build, serve, load, report.

1. The bench database: BENCH_DATABASE_URL if set, else the PostgreSQL
   database `pantogether_bench` when a server answers on 127.0.0.1:5432
   (user postgres), else the SQLite file bench/bench.sqlite3. It is rebuilt
   from scratch (migrate, demo_data, bench_data, ANALYZE) unless --reuse is given.
2. collectstatic, then gunicorn with production settings (DEBUG off, static
   files hashed and served by WhiteNoise, the page cache on; Redis when
   BENCH_REDIS_URL is set, local memory otherwise).
3. Each page is warmed (in every worker) right before it is driven at 1, 8
   and 32 concurrent connections with wrk when installed, else with
   bench/loadgen.py.
4. Cache off: gunicorn again with PAGE_CACHE_SECONDS=0, and the search pages
   (CACHE_OFF_PAGES, where every new search misses the cache) driven at 8
   connections: every request renders.
5. SQL queries, weight and render time of each page are measured in-process
   (bench/measure.py) with the page cache off.
6. Two tables go to the terminal and everything to bench/results.json.
"""

import argparse
import json
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PYTHON = sys.executable
PG_URL = "postgres://postgres@127.0.0.1:5432/pantogether_bench"
SQLITE_FILE = BENCH / "bench.sqlite3"
RESULTS = BENCH / "results.json"
SERVER_LOG = BENCH / "server.log"
TARGET_RATIO = 0.5
MAX_PAGE_BYTES = 100 * 1024
# Calendar feeds (issue 9): the network feed of 500 RCPs at most 600 KB and
# rendered in under 100 ms uncached; the other feeds within the same size.
MAX_FEED_BYTES = 600 * 1024
MAX_FEED_RENDER_MS = {"RCP flux réseau": 100}
# Searches: each new query string is a page-cache miss, so their speed with the
# cache off is what a visitor typing a new search gets (issue 11).
CACHE_OFF_PAGES = (
    "annuaire recherche",
    "centres proches",
    "essais recherche",
    "essais proches",
    "RCP près de",
)
PHASES = ("warm", "cache-off")


def log(message: str) -> None:
    print(f"[bench] {message}", flush=True)


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


def choose_database() -> str:
    if os.environ.get("BENCH_DATABASE_URL"):
        return os.environ["BENCH_DATABASE_URL"]
    if port_open("127.0.0.1", 5432):
        try:
            import psycopg

            psycopg.connect(
                "postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2
            ).close()
            return PG_URL
        except Exception as exc:  # no role, no password...: fall back to SQLite
            log(f"PostgreSQL on 127.0.0.1:5432 not usable ({exc}); SQLite instead")
    return f"sqlite:///{SQLITE_FILE}"


def recreate_database(url: str) -> None:
    if url.startswith("sqlite"):
        path = Path(url.removeprefix("sqlite:///"))
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    import psycopg
    from psycopg import sql

    name = url.rsplit("/", 1)[1].split("?")[0]
    admin = url.rsplit("/", 1)[0] + "/postgres"
    admin = admin.replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def manage(env: dict, *args: str) -> None:
    subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=True)


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent)) or "gunicorn"
    command = [
        gunicorn,
        "pantogether.wsgi",
        "--preload",  # import Django once, before forking the workers
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        "2",
        "--keep-alive",
        "30",
        "--backlog",
        "512",
        "--log-level",
        "warning",
    ]
    out = SERVER_LOG.open("w")
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    for _ in range(150):
        if server.poll() is not None:
            raise SystemExit(f"gunicorn stopped at start: see {SERVER_LOG}")
        if port_open("127.0.0.1", port):
            return server
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start in 30 s")


def fetch(url: str) -> tuple[int, bytes]:
    request = urllib.request.Request(url, headers={"User-Agent": "pantogether-bench"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def first_link(base: str, page: str, pattern: str) -> str | None:
    """The first link of `page` whose path matches `pattern` (a page the site offers)."""
    status, body = fetch(base + page)
    if status != 200:
        return None
    for href in re.findall(r'href="([^"#?]+)"', body.decode("utf-8", "replace")):
        if re.fullmatch(pattern, href):
            return href
    return None


def pages(base: str) -> list[tuple[str, str]]:
    """(name, path) of the pages to drive; RCP and trial pages when those apps answer."""
    found = [
        ("accueil", "/"),
        ("annuaire", "/centres/"),
        ("annuaire filtré", "/centres/?axe=pancreas&region=bretagne"),
        ("annuaire recherche", "/centres/?q=saint+etienne"),
        ("centres proches", "/centres/?pres_de=29200"),
        ("centre", "/centres/chu-brest/"),
        ("carte", "/centres/carte/"),
    ]
    if fetch(base + "/rcp/")[0] == 200:
        found.append(("RCP annuaire", "/rcp/"))
        found.append(("RCP près de", "/rcp/?pres_de=29200"))
        detail = first_link(
            base, "/rcp/", r"/rcp/(?!calendrier/|indicateurs/|abonnement/|quelle-rcp/)[\w-]+/"
        )
        if detail:
            found.append(("RCP", detail))
        found.append(("RCP calendrier", "/rcp/calendrier/"))
        found.append(("RCP calendrier mois", "/rcp/calendrier/?mois=2027-01"))
        found.append(("RCP indicateurs", "/rcp/indicateurs/?periode=quinzaine"))
        found.append(("RCP flux axe", "/rcp/axe/pancreas.ics"))
        found.append(("RCP flux réseau", "/rcp/agenda.ics"))
        found.append(("RCP flux réseau rappel", "/rcp/agenda.ics?rappel=1j"))
        found.append(("RCP échéances réseau", "/rcp/echeances.ics"))
        found.append(("RCP flux centre", "/rcp/centre/chu-brest.ics"))
        if detail:
            found.append(("RCP flux RCP", detail.rstrip("/") + ".ics"))
        chosen = "rcp=banc-1&rcp=banc-2&rcp=banc-3&rcp=banc-4&rcp=banc-5"
        found.append(("RCP flux sélection", f"/rcp/agenda.ics?{chosen}"))
        found.append(("RCP abonnement sélection", f"/rcp/abonnement/?{chosen}"))
    if fetch(base + "/essais/")[0] == 200:
        found.append(("essais", "/essais/"))
        found.append(("essais filtrés", "/essais/?axe=pancreas&statut=tous&phase=PHASE3"))
        found.append(("essais recherche", "/essais/?q=folfirinox"))
        found.append(("essais proches", "/essais/?pres_de=69003&rayon=100"))
        found.append(("essais 3 questions", "/essais/?axe=pancreas&age=62&pres_de=Lyon"))
        found.append(("essais flux Atom", "/essais/flux/?axe=pancreas&age=62&pres_de=Lyon"))
        detail = first_link(base, "/essais/", r"/essais/\d+/")
        if detail:
            found.append(("essai", detail))
    if fetch(base + "/api/")[0] == 200:
        # JSON answers are not kept by the page cache: every request computes them.
        found.append(("API centres", "/api/centres/"))
        found.append(("API RCP", "/api/rcp/"))
        found.append(("API essais", "/api/essais/?statut=recrute"))
        found.append(("recherche", "/recherche/?q=pancreas"))
    return found


def static_file(base: str) -> str:
    """The stylesheet as the pages link it (hashed name, served by WhiteNoise)."""
    status, body = fetch(base + "/")
    match = re.search(r'href="(/static/css/site[^"]*\.css)"', body.decode("utf-8", "replace"))
    return match.group(1) if match else "/static/css/site.css"


def _is_feed(url: str) -> bool:
    """Calendar and Atom feeds: their clients ask for gzip."""
    path = url.split("?")[0]
    return path.endswith(".ics") or path.endswith("/flux/")


def drive_wrk(url: str, connections: int, seconds: float) -> dict:
    threads = max(1, min(connections, os.cpu_count() or 1))
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds:g}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH / "report.lua"),
        *(["-H", "Accept-Encoding: gzip"] if _is_feed(url) else []),
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("BENCH "))
    data = json.loads(line.removeprefix("BENCH "))
    duration = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": data["requests"] / duration if duration else 0.0,
        "errors": data["socket_errors"] + data["status_errors"],
        "p50_ms": data["p50_us"] / 1000,
        "p95_ms": data["p95_us"] / 1000,
        "p99_ms": data["p99_us"] / 1000,
        "bytes_per_response": data["bytes"] / data["requests"] if data["requests"] else 0,
    }


def drive_python(url: str, connections: int, seconds: float) -> dict:
    sys.path.insert(0, str(BENCH))
    from loadgen import drive

    return drive(url, connections, seconds)


def measure_in_process(env: dict, paths: list[str]) -> dict:
    env = {**env, "PAGE_CACHE_SECONDS": "0"}
    output = subprocess.run(
        [PYTHON, str(BENCH / "measure.py"), *paths],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return json.loads(output.strip().splitlines()[-1])


def drive_cache_off(
    env: dict, base: str, port: int, workers: int, targets: list, drive, connections, seconds
) -> list[dict]:
    """The search pages under load with the page cache off: every request renders."""
    server = start_server({**env, "PAGE_CACHE_SECONDS": "0"}, port, workers)
    runs = []
    try:
        for count in connections:
            for name, path in targets:
                # Warm the workers (imports, templates), not a cache: there is none.
                drive(base + path, 2 * workers, 1)
                figures = drive(base + path, count, seconds)
                runs.append({"name": name, "path": path, "connections": count, **figures})
                rps, errors = figures["rps"], figures["errors"]
                log(f"cache off {name:<20} c={count:<3} {rps:8.0f} req/s, {errors} errors")
    finally:
        server.terminate()
        server.wait(timeout=30)
    return runs


def cache_off_table(results: dict) -> str:
    """The cache-off rows as a Markdown table, beside the same page served warm."""
    warm = {(r["name"], r["connections"]): r for r in results.get("rows", [])}
    lines = [
        "| page (cache off) | conn. | req/s | p50 ms | p95 ms | p99 ms | errors "
        "| render ms | warm req/s |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results.get("cache_off", {}).get("rows", []):
        hot = warm.get((row["name"], row["connections"]))
        warm_rps = f"{hot['rps']:.0f}" if hot else "–"
        lines.append(
            f"| {row['name']} | {row['connections']} | {row['rps']:.0f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} "
            f"| {'–' if row.get('render_ms') is None else row['render_ms']} "
            f"| {warm_rps} |"
        )
    return "\n".join(lines)


def print_tables(results: dict) -> None:
    if results.get("rows"):
        print(table(results))
        print()
    if results.get("cache_off", {}).get("rows"):
        print(cache_off_table(results))
        print()
    if not results.get("rows"):
        return  # the aims are read on the warm figures
    for miss in results["misses"] or ["every page meets the aims"]:
        print(f"- {miss}")


def table(results: dict) -> str:
    """The results as a Markdown table (terminal and README)."""
    lines = [
        "| page | conn. | req/s | p50 ms | p95 ms | p99 ms | errors | SQL | KB | render ms "
        "| / static |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in results["rows"]:
        static = row["name"] == "fichier statique"
        lines.append(
            f"| {row['name']} | {row['connections']} | {row['rps']:.0f} | {row['p50_ms']:.1f} "
            f"| {row['p95_ms']:.1f} | {row['p99_ms']:.1f} | {row['errors']} "
            f"| {'–' if static else row['queries']} | {row['bytes'] / 1024:.1f} "
            f"| {'–' if static else row['render_ms']} | {row['ratio']:.2f} |"
        )
    return "\n".join(lines)


def verdict(results: dict) -> list[str]:
    """Pages missing an aim: 50 % of the static file at 8 connections, no error, 100 KB."""
    misses = []
    for row in results["rows"]:
        if row["name"] == "fichier statique":
            continue
        if row["connections"] == 8 and row["ratio"] < TARGET_RATIO:
            misses.append(f"{row['name']}: {row['ratio']:.0%} of the static file at 8 connections")
        if row["errors"]:
            misses.append(f"{row['name']}: {row['errors']} errors at {row['connections']}")
        feed = row["path"].split("?")[0].endswith(".ics")
        limit = MAX_FEED_BYTES if feed else MAX_PAGE_BYTES
        if row["connections"] == 1 and row["bytes"] > limit:
            misses.append(f"{row['name']}: {row['bytes'] / 1024:.0f} KB (aim: {limit // 1024} KB)")
        slowest = MAX_FEED_RENDER_MS.get(row["name"])
        if row["connections"] == 1 and slowest and row["render_ms"] > slowest:
            misses.append(
                f"{row['name']}: rendered in {row['render_ms']:.0f} ms (aim: {slowest} ms)"
            )
    return misses


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_SECONDS", 3)))
    parser.add_argument("--connections", default=os.environ.get("BENCH_CONNECTIONS", "1,8,32"))
    parser.add_argument("--reuse", action="store_true", help="keep the bench database as it is")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", 8123)))
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1)
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    parser.add_argument(
        "--phases",
        default=",".join(PHASES),
        help="warm (pages from the page cache), cache-off (searches, page cache off), or both",
    )
    parser.add_argument(
        "--cache-off-connections",
        default=os.environ.get("BENCH_CACHE_OFF_CONNECTIONS", "8"),
        help="connections of the cache-off phase (comma-separated)",
    )
    parser.add_argument(
        "--results", type=Path, default=RESULTS, help="where to write (or, with --table, read)"
    )
    parser.add_argument(
        "--table",
        action="store_true",
        help="print bench/results.json as a Markdown table, run nothing",
    )
    args = parser.parse_args()
    if args.table:
        print_tables(json.loads(args.results.read_text()))
        return
    phases = [p.strip() for p in args.phases.split(",") if p.strip()]
    if not phases or set(phases) - set(PHASES):
        parser.error(f"--phases: one or more of {', '.join(PHASES)}")
    connections = [int(c) for c in args.connections.split(",")]
    cache_off_connections = [int(c) for c in args.cache_off_connections.split(",")]
    tool = args.tool if args.tool != "auto" else ("wrk" if shutil.which("wrk") else "python")
    if tool == "python":
        log("wrk not found: Python load generator instead (apt-get install wrk: better numbers)")

    database = choose_database()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "pantogether.settings",
        "DEBUG": "false",
        "HTTPS": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "DATABASE_URL": database,
        "REDIS_URL": os.environ.get("BENCH_REDIS_URL", ""),
        "PAGE_CACHE_VERSION_FILE": str(BENCH / ".content-version"),
        "LOG_LEVEL": "ERROR",
    }
    started = time.monotonic()
    log(f"database: {database.split('@')[-1]}")
    if not args.reuse:
        recreate_database(database)
        manage(env, "migrate", "--no-input", "--verbosity", "0")
        manage(env, "demo_data")
        manage(env, "bench_data")
        # Planner statistics, as autovacuum would have them after a bulk load in
        # production: without them PostgreSQL misjudges every join of the new rows.
        analyze = "from django.db import connection; connection.cursor().execute('ANALYZE')"
        manage(env, "shell", "--command", analyze)
    manage(env, "collectstatic", "--no-input", "--verbosity", "0")
    log(f"data ready in {time.monotonic() - started:.0f} s; starting gunicorn")

    base = f"http://127.0.0.1:{args.port}"
    server = start_server(env, args.port, args.workers)
    drive = drive_wrk if tool == "wrk" else drive_python
    runs = []
    try:
        targets = [*pages(base), ("fichier statique", static_file(base))]
        for name, path in targets:
            status, _body = fetch(base + path)
            if status != 200:
                raise SystemExit(f"{name} {path} answers {status}")
        for count in connections if "warm" in phases else []:
            for name, path in targets:
                # Warm figures are those of pages served from the cache: warm every
                # worker's local-memory cache right before, as entries expire after
                # PAGE_CACHE_SECONDS (what a render costs is the "render ms" column).
                drive(base + path, 2 * args.workers, 1)
                figures = drive(base + path, count, args.seconds)
                runs.append({"name": name, "path": path, "connections": count, **figures})
                rps, errors = figures["rps"], figures["errors"]
                log(f"{name:<20} c={count:<3} {rps:8.0f} req/s, {errors} errors")
    finally:
        server.terminate()
        server.wait(timeout=30)

    searches = [(name, path) for name, path in targets if name in CACHE_OFF_PAGES]
    cache_off = []
    if "cache-off" in phases:
        cache_off = drive_cache_off(
            env,
            base,
            args.port,
            args.workers,
            searches,
            drive,
            cache_off_connections,
            args.seconds,
        )
    measured_paths = [path for _name, path in (targets[:-1] if runs else searches)]
    measured = measure_in_process(env, measured_paths)
    static_rps = {r["connections"]: r["rps"] for r in runs if r["name"] == "fichier statique"}
    for row in runs:
        info = measured.get(row["path"], {})
        row["queries"] = info.get("queries")
        row["render_ms"] = info.get("render_ms")
        row["bytes"] = info.get("bytes", row["bytes_per_response"])
        row["ratio"] = (
            row["rps"] / static_rps[row["connections"]] if static_rps[row["connections"]] else 0
        )
    for row in cache_off:
        info = measured.get(row["path"], {})
        row["queries"] = info.get("queries")
        row["render_ms"] = info.get("render_ms")
    results = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "command": "make bench",
        "machine": f"{platform.machine()}, {os.cpu_count()} CPU, "
        f"{platform.python_implementation()} {platform.python_version()}",
        "database": "postgresql" if database.startswith("postgres") else "sqlite",
        "cache": "redis" if env["REDIS_URL"] else "local memory (per worker)",
        "server": f"gunicorn, {args.workers} workers × 2 threads (gthread), production settings",
        "load_generator": tool,
        "seconds_per_run": args.seconds,
        "note": "req/s and latencies are of warm pages (served by the page cache); SQL, KB "
        "and render ms are of one uncached render, in-process",
        "rows": runs,
        "cache_off": {
            "note": "the searches with the page cache off (PAGE_CACHE_SECONDS=0): every "
            "request renders, as a new search does; warm req/s is the same page from the cache",
            "rows": cache_off,
        },
    }
    results["misses"] = verdict(results)
    args.results.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print()
    print_tables(results)
    log(f"written {args.results} in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
