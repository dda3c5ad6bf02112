"""Take the README's screenshots: home, centre directory, map and a centre page,
at 1,280 and 375 pixels wide, with the demonstration data.

    .venv/bin/python docs/screenshots/take.py

builds a demo database in /tmp/shots.sqlite3 (migrate, collectstatic,
demo_data), serves it with `runserver 127.0.0.1:8766`, shoots with Playwright
and Debian's /usr/bin/chromium (`apt-get install chromium`; never `playwright
install`), stops the server and writes palette PNGs here. `--base URL` shoots
a server that is already running instead. Map tiles and every other host are
blocked: the pages must be whole without them.
"""

import argparse
import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

from PIL import Image
from playwright.sync_api import sync_playwright

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PORT = 8766
DATABASE_URL = "sqlite:////tmp/shots.sqlite3"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PAGES = [
    ("accueil", "/"),
    ("annuaire", "/centres/"),
    ("carte", "/centres/carte/"),
    ("centre", "/centres/chu-brest/"),
]
# (width, height of the window, height kept): a desktop's first screen or so,
# a phone's first two screens. Full pages would weigh megabytes.
WIDTHS = [(1280, 800, 1450), (375, 812, 1600)]
COLOURS = 256


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5):
            return True
    except OSError:
        return False


def serve_demo() -> subprocess.Popen:
    """A demo portal on 127.0.0.1:PORT, production settings (DEBUG off)."""
    env = {**os.environ, "DATABASE_URL": DATABASE_URL, "DEBUG": "false"}
    for command in (
        ["migrate", "--no-input", "--verbosity", "0"],
        ["collectstatic", "--no-input", "--verbosity", "0"],
        ["demo_data"],
    ):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", f"127.0.0.1:{PORT}", "--noreload"],
        cwd=ROOT,
        env=env,
    )
    for _ in range(150):
        if port_open(PORT):
            return server
        if server.poll() is not None:
            raise SystemExit("runserver stopped at start")
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("runserver did not start in 30 s")


def optimise(png: bytes, path: Path) -> int:
    """A palette PNG (screenshots have few colours): about a third of the RGB size."""
    image = Image.open(io.BytesIO(png)).convert("RGB")
    image = image.quantize(COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    image.save(path, optimize=True)
    return path.stat().st_size


def shoot(base: str) -> None:
    host = base.split("//", 1)[1].split("/", 1)[0]
    total = 0
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for width, height, kept in WIDTHS:
            context = browser.new_context(
                viewport={"width": width, "height": height}, locale="fr-FR"
            )
            page = context.new_page()
            # Only the portal itself: no tiles, no other host.
            page.route(
                "**/*",
                lambda route: (
                    route.continue_()
                    if route.request.url.split("//", 1)[1].startswith(host)
                    else route.abort()
                ),
            )
            for name, path in PAGES:
                response = page.goto(base + path, wait_until="networkidle")
                if response is None or response.status != 200:
                    raise SystemExit(f"{path} answers {response and response.status}")
                full = page.evaluate("document.documentElement.scrollHeight")
                clip = {"x": 0, "y": 0, "width": width, "height": min(full, kept)}
                png = page.screenshot(full_page=True, clip=clip, animations="disabled")
                target = HERE / f"{name}-{width}.png"
                size = optimise(png, target)
                total += size
                print(f"{target.relative_to(ROOT)}: {size // 1024} KB")
            context.close()
        browser.close()
    print(f"total: {total // 1024} KB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="shoot this running server (e.g. http://127.0.0.1:8766)")
    args = parser.parse_args()
    if args.base:
        shoot(args.base.rstrip("/"))
        return
    server = serve_demo()
    try:
        shoot(f"http://127.0.0.1:{PORT}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
