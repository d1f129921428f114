#!/usr/bin/env python3
"""From a second host on the LAN (a network namespace): sign in over HTTPS and pair a kiosk, in headless chromium
that trusts the station CA through its NSS database ($HOME/.pki/nssdb), with no certificate errors ignored.

Usage: lan.py BASE_URL PAIRING_CODE SCREENSHOT_DIR   (the officer's password in SOHOA_PW_OFFICER)
"""
import os
import sys

from chromium import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, CODE, SHOTS = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(SHOTS, exist_ok=True)

d = chromium(1366, 768, page_load_timeout=120)


def shot(name):
    d.save_screenshot(os.path.join(SHOTS, "lan-" + name + ".png"))


def wait(predicate, step, seconds=60):
    try:
        WebDriverWait(d, seconds, poll_frequency=0.3).until(lambda _: predicate())
    except Exception:
        shot("failed")
        raise SystemExit(f"LAN journey failed: {step} (at {d.current_url}: {d.title!r})")


try:
    d.get(BASE + "/login?next=/desk")
    wait(lambda: "Đăng nhập" in d.title, "the login page opens over HTTPS with the station CA trusted")
    shot("01-login")
    d.find_element(By.ID, "username").send_keys("canbo")
    d.find_element(By.ID, "password").send_keys(os.environ["SOHOA_PW_OFFICER"])
    d.find_element(By.ID, "login").click()
    wait(lambda: d.current_url.startswith(BASE + "/desk"), "the officer is signed in (the browser kept the Secure cookie)")
    cookie = d.get_cookie("sohoa_session")
    if not cookie or not cookie.get("secure") or not cookie.get("httpOnly"):
        raise SystemExit(f"LAN journey failed: the session cookie is not Secure and HttpOnly: {cookie}")
    shot("02-desk")

    d.delete_all_cookies()
    d.get(BASE + "/kiosk/pair")
    wait(lambda: "Ghép nối kiosk" in d.page_source, "the kiosk's pairing page")
    d.find_element(By.ID, "code").send_keys(CODE)
    d.find_element(By.ID, "pair").click()
    wait(lambda: "Xin chào" in d.page_source, "the kiosk is paired and greets in Vietnamese")
    kiosk = d.get_cookie("sohoa_kiosk")
    if not kiosk or not kiosk.get("secure") or not kiosk.get("httpOnly"):
        raise SystemExit(f"LAN journey failed: the kiosk cookie is not Secure and HttpOnly: {kiosk}")
    shot("03-kiosk")
    print("ok")
finally:
    d.quit()
