"""The README's pictures of the page: docs/quote.png (a US quote) and docs/compare.png (the toy compared across
channels, with its chart), taken in Debian's headless Chromium as the browser tests do, and stored as small
palette PNGs.

Run: python tools/page_screenshots.py        (needs: apt-get install chromium; pip install -e '.[test]')
"""

from __future__ import annotations

import io
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "browser"))

from pagetest import CHROMIUM, FLAGS, Server  # noqa: E402

VIEWS = {
    "quote": "?on=2026-03-01&price=24.99&length=10&width=6&height=3&weight=1.2&category=home_and_kitchen",
    "compare": "?view=compare&on=2026-05-01&price=9.99&shipping=0&length=8&width=5&height=0.5&weight=5"
               "&weight_unit=oz&category=toys_and_games&cost_of_goods=5.17",
}
READY = {"quote": "#quote-result tr[data-line=total]", "compare": "#profit-chart .break-even"}
CLIP = {"quote": "#layout", "compare": "#layout"}


def small_png(data: bytes) -> bytes:
    """A screenshot as a 128-colour palette PNG (a fifth of the size, the text still sharp)."""
    from PIL import Image

    image = Image.open(io.BytesIO(data)).convert("RGB").quantize(colors=128, method=Image.Quantize.MEDIANCUT)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    from playwright.sync_api import sync_playwright

    server = Server()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
            page = browser.new_page(viewport={"width": 1180, "height": 900})
            for name, query in VIEWS.items():
                page.goto(server.url + "/" + query)
                page.wait_for_selector(READY[name])
                page.mouse.move(0, 0)
                data = page.locator(CLIP[name]).screenshot()
                path = ROOT / "docs" / f"{name}.png"
                path.parent.mkdir(exist_ok=True)
                path.write_bytes(small_png(data))
                print(f"{path.relative_to(ROOT)}: {path.stat().st_size:,} bytes")
            browser.close()
    finally:
        server.close()


if __name__ == "__main__":
    main()
