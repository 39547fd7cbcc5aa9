"""Regenerate the README's screenshots from a running demo (python3 dev.py demo in another terminal).

    .venv/bin/python docs/screenshot.py [http://127.0.0.1:8000]

docs/screenshot.png: a school psychologist's children list (Russian). docs/screenshot-dashboard.png: the
regional screening campaign as the ЦПП sees it. docs/screenshot-student.png: a student's questionnaire
on a phone (Kazakh), opened with a code of the demo campaign. docs/screenshot-index.png: the child
well-being index with its map (Kazakh, an analyst). docs/screenshot-plan.png: an imported state plan.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

BASE = sys.argv[1] if len(sys.argv) > 1 else "http://127.0.0.1:8000"
HERE = Path(__file__).parent
REPO = HERE.parent


def sign_in(page: Page, username: str, language: str = "ru") -> None:
    page.goto(f"{BASE}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "qorgau-demo-2026")
    page.locator("form button.primary").click()
    page.wait_for_url(f"{BASE}/")
    page.locator(f"form.lang button[value={language}]").click()
    page.wait_for_load_state()


def a_ready_code() -> str:
    """A code of the demo campaign that has not been used (read with the management shell)."""
    script = (
        "from screening.models import Participant as P; "
        "print(P.objects.filter(status='ready', language='kk').values_list('code', flat=True).first())"
    )
    out = subprocess.run(
        [sys.executable, str(REPO / "qorgau" / "manage.py"), "shell", "-c", script],
        check=True,
        capture_output=True,
        text=True,
    )
    return out.stdout.strip().splitlines()[-1]


with sync_playwright() as pw:
    browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_page(viewport={"width": 1200, "height": 760})
    sign_in(page, "psych.kaz004.1")
    page.goto(f"{BASE}/children/")
    page.screenshot(path=str(HERE / "screenshot.png"))

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    sign_in(page, "cpp.kaz004")
    page.goto(f"{BASE}/screening/campaigns/")
    page.locator("table a").last.click()
    page.wait_for_load_state()
    page.screenshot(path=str(HERE / "screenshot-dashboard.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=2, locale="kk-KZ")
    student = phone.new_page()
    student.goto(f"{BASE}/s/")
    student.fill("#code", a_ready_code())
    student.locator("form button.primary").click()
    student.wait_for_url(f"{BASE}/s/survey/")
    student.locator("input[name=asq1][value='0']").check()
    student.locator("input[name=asq2][value='0']").check()
    student.wait_for_selector("#save-status.saved")
    student.screenshot(path=str(HERE / "screenshot-student.png"))

    page = browser.new_page(viewport={"width": 1200, "height": 900})
    sign_in(page, "analyst", "kk")
    page.goto(f"{BASE}/indicators/index/")
    page.wait_for_selector(".js-plotly-plot")
    page.locator(".js-plotly-plot").first.screenshot(path=str(HERE / "screenshot-index.png"))
    page.goto(f"{BASE}/plans/")
    page.locator("table a").first.click()
    page.wait_for_load_state()
    page.screenshot(path=str(HERE / "screenshot-plan.png"))
    browser.close()
print("docs/screenshot.png, -dashboard, -student, -index, -plan .png")
