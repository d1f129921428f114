#!/usr/bin/env python3
"""The station's user journeys in a real browser (Debian's chromium, headless, driven by selenium).

Usage: journeys.py BASE_URL SCREENSHOT_DIR TRUTH_JSON
Passwords come from the environment (SOHOA_PW_OFFICER, SOHOA_PW_REVIEWER, SOHOA_PW_ADMIN).
Exits non-zero, naming the step, when a journey does not go as an officer or operator expects.
"""
import json
import os
import sys
import time
import urllib.parse

from chromium import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select, WebDriverWait

BASE, SHOTS, TRUTH = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(SHOTS, exist_ok=True)
truth = json.load(open(TRUTH, encoding="utf-8"))["fields"]


def browser():
    return chromium(1366, 768)


def shot(d, name):
    d.save_screenshot(os.path.join(SHOTS, name + ".png"))


def check(condition, step):
    if not condition:
        raise SystemExit(f"journey failed: {step}")


def wait(d, predicate, step, seconds=90):
    try:
        WebDriverWait(d, seconds, poll_frequency=0.5).until(lambda _: predicate())
    except Exception:
        shot(d, "failed-" + step.replace(" ", "-"))
        raise SystemExit(f"journey failed: {step} (waited {seconds} s)")


def login(d, user, password):
    d.delete_all_cookies()
    d.get(BASE + "/login")
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(password)
    d.find_element(By.ID, "login").click()
    wait(d, lambda: "/login" not in d.current_url, f"{user} signs in")


d = browser()
try:
    # 1. Without a session every page leads to the login page.
    d.get(BASE + "/desk")
    check("/login" in d.current_url, "an anonymous visit is sent to the login page")
    check("Đăng nhập" in d.page_source, "the login page is in Vietnamese")
    shot(d, "01-login")
    d.get(BASE + "/api/review/queue")
    check("unauthorized" in d.page_source, "the API refuses an anonymous request")

    # 2. The officer scans a form from the station's scanner, sees the draft and submits it when nothing is doubtful.
    login(d, "canbo", os.environ["SOHOA_PW_OFFICER"])
    check("/desk" in d.current_url, "the officer lands on the desk")
    shot(d, "02-desk")

    def new_batch():
        d.get(BASE + "/desk")
        Select(d.find_element(By.ID, "procedure")).select_by_value("1.001193")
        d.find_element(By.ID, "new-batch").click()
        wait(d, lambda: "/desk/batches/b_" in d.current_url, "a new batch opens")
        return d.current_url

    scanned_url = new_batch()
    shot(d, "03-batch-empty")
    d.find_element(By.ID, "scan").click()
    wait(d, lambda: "alt=\"Trang 1\"" in d.page_source, "the scanned page arrives as a thumbnail")
    wait(d, lambda: "id=\"fields\"" in d.page_source, "the draft's fields appear", seconds=120)
    shot(d, "04-scanned-draft")
    if d.find_element(By.ID, "submit").is_enabled():
        d.find_element(By.ID, "submit").click()
        wait(d, lambda: "id=\"submitted\"" in d.page_source, "the scanned dossier is submitted")
        shot(d, "05-scanned-submitted")

    # 3. A paper with doubtful fields, uploaded: the flagged fields are highlighted and it cannot be submitted yet.
    uploaded_url = new_batch()
    d.find_element(By.ID, "files").send_keys(os.environ["SOHOA_UPLOAD"])
    d.find_element(By.ID, "upload").click()
    wait(d, lambda: "alt=\"Trang 1\"" in d.page_source, "the uploaded page shows as a thumbnail")
    d.find_element(By.ID, "read").click()
    wait(d, lambda: "id=\"fields\"" in d.page_source, "the uploaded draft's fields appear", seconds=120)
    check("class=\"flagged\"" in d.page_source, "flagged fields are highlighted")
    check(not d.find_element(By.ID, "submit").is_enabled(), "a draft with flagged fields cannot be submitted")
    shot(d, "06-flagged-draft")

    # 4. A forged cross-site POST is refused: the session cookie does not travel with it.
    forged = ("<form method='post' action='" + BASE + "/desk/batches'><input name='procedure' value='x'></form>"
              "<script>document.forms[0].submit()</script>")
    d.get("data:text/html;charset=utf-8," + urllib.parse.quote(forged))
    wait(d, lambda: d.current_url.startswith(BASE), "the forged form was sent")
    check("/desk/batches/b_" not in d.current_url, "the forged POST created nothing")
    shot(d, "07-forged-post-refused")

    # 5. The operator settles the flagged fields of every draft in the queue, keyboard only.
    login(d, "kiemtra", os.environ["SOHOA_PW_REVIEWER"])
    d.get(BASE + "/review")
    shot(d, "08-review-queue")
    for _ in range(5):
        d.get(BASE + "/review")
        if not d.find_element(By.ID, "next").is_enabled():
            break
        d.find_element(By.ID, "next").click()
        wait(d, lambda: "/review/drafts/d_" in d.current_url, "the operator gets the oldest draft")
        shot(d, "09-review-draft")
        for _ in range(40):
            inputs = d.find_elements(By.CSS_SELECTOR, "input[data-field]")
            if not inputs:
                break
            field = inputs[0]
            key = field.get_attribute("data-field")
            value = truth.get(key) or field.get_attribute("value") or ""
            field.send_keys(Keys.CONTROL, "a")
            field.send_keys(value)
            field.send_keys(Keys.ENTER)
            wait(d, lambda: key not in [i.get_attribute("data-field")
                                        for i in d.find_elements(By.CSS_SELECTOR, "input[data-field]")]
                 or "error" in d.current_url, f"the field {key} is settled")
            check("error=" not in d.current_url, f"the value of {key} is accepted")
        wait(d, lambda: "/review?done=" in d.current_url, "the last field sends the draft on")
    shot(d, "10-review-done")
    check("Nhận hồ sơ tiếp theo" in d.page_source, "back on the queue")

    # 6. The officer submits what is now ready.
    login(d, "canbo", os.environ["SOHOA_PW_OFFICER"])
    for url in [scanned_url, uploaded_url]:
        d.get(url)
        if "id=\"submitted\"" not in d.page_source:
            d.find_element(By.ID, "submit").click()
            wait(d, lambda: "id=\"submitted\"" in d.page_source, "the reviewed dossier is submitted")
    shot(d, "11-submitted")

    # 6. The admin sees the audit trail, intact.
    login(d, "quantri", os.environ["SOHOA_PW_ADMIN"])
    d.get(BASE + "/admin/audit")
    check("nguyên vẹn" in d.page_source and "draft.submit" in d.page_source, "the audit log shows the journey")
    shot(d, "12-audit")
finally:
    d.quit()
print("journeys passed")
