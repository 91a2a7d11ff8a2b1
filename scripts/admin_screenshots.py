"""Take README's admin screenshots (docs/admin-desk.png, admin-queue.png, admin-review.png) from a running
portal.

Needs an editor and a coordinator of Region Kalmar län (README, "Editors and coordinators"), and
PUBLISH_REQUIRES_EDITOR=1 on the server. The script does what they would: the coordinator submits a
change to one of Kalmar's insatsområden for review; then her desk, the queue and the review are
photographed.

    BASE_URL=http://127.0.0.1:8000 EDITOR=eva COORDINATOR=anna PASSWORD=… \\
        .venv/bin/python scripts/admin_screenshots.py
"""

import os
import re

from playwright.sync_api import sync_playwright

BASE = os.environ.get("BASE_URL", "http://127.0.0.1:8000")
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def log_in(page, username):
    page.goto(f"{BASE}/admin/login/?next=/admin/")
    page.get_by_label("Användarnamn").fill(username)
    page.get_by_label("Lösenord").fill(os.environ["PASSWORD"])
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{BASE}/admin/")


with sync_playwright() as p:
    browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    coordinator = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(coordinator, os.environ["COORDINATOR"])
    coordinator.goto(f"{BASE}/admin/initiatives/focusarea/?q=digital")
    coordinator.locator("#result_list tbody a").first.click()
    summary = coordinator.get_by_label("Ingress")
    summary.fill(re.sub(r"\s+$", "", summary.input_value()) + " Nu även med ett regionalt vätgaskluster.")
    coordinator.get_by_role("button", name="Skicka för granskning").first.click()
    coordinator.goto(f"{BASE}/admin/")
    coordinator.screenshot(path="docs/admin-desk.png", full_page=False)
    editor = browser.new_page(viewport={"width": 1280, "height": 900})
    log_in(editor, os.environ["EDITOR"])
    editor.goto(f"{BASE}/admin/editorial/revision/")
    editor.screenshot(path="docs/admin-queue.png", full_page=False)
    editor.locator("#result_list tbody a").first.click()
    editor.screenshot(path="docs/admin-review.png", full_page=False)
    browser.close()
print("docs/admin-desk.png docs/admin-queue.png docs/admin-review.png")
