"""Regenerate docs/screenshot.png from a running demo (python3 dev.py demo in another terminal).

    .venv/bin/python docs/screenshot.py [http://127.0.0.1:8000]
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
OUT = Path(__file__).with_name("screenshot.png")

with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport={"width": 1200, "height": 760})
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", "psych.kaz004.1")
    page.fill("#id_password", "qorgau-demo-2026")
    page.locator("form button.primary").click()
    page.wait_for_url(f"{BASE}/")
    page.locator("form.lang button[value=ru]").click()
    page.wait_for_load_state()
    page.goto(f"{BASE}/children/")
    page.screenshot(path=str(OUT))
    browser.close()
print(OUT)
