#!/usr/bin/env python3
"""A citizen's whole kiosk journey in headless chromium, touch-sized screens, no keyboard but for the phone.

Usage: kiosk.py BASE_URL PAIRING_CODE SCREENSHOT_DIR WIDTH HEIGHT
The station's scanner jams on the second sheet; the kiosk's idle timeout is a few seconds.
"""
import os
import sys

from chromium import chromium
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

BASE, CODE, SHOTS, WIDTH, HEIGHT = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
os.makedirs(SHOTS, exist_ok=True)
size = f"{WIDTH}x{HEIGHT}"

d = chromium(WIDTH, HEIGHT)


def shot(name):
    d.save_screenshot(os.path.join(SHOTS, f"kiosk-{size}-{name}.png"))


def wait(predicate, step, seconds=150):
    try:
        WebDriverWait(d, seconds, poll_frequency=0.3).until(lambda _: predicate())
    except Exception:
        shot("failed")
        raise SystemExit(f"kiosk journey failed at {size}: {step}")


def check(condition, step):
    if not condition:
        shot("failed")
        raise SystemExit(f"kiosk journey failed at {size}: {step}")


try:
    # Pairing: the kiosk's own page takes the one-time code `sohoa kiosk pair-code` printed.
    d.get(BASE + "/kiosk/pair")
    wait(lambda: "Ghép nối kiosk" in d.page_source, "the pairing page")
    d.find_element(By.ID, "code").send_keys(CODE)
    d.find_element(By.ID, "pair").click()
    wait(lambda: "Xin chào" in d.page_source, "the start screen greets in Vietnamese")
    shot("01-start")
    d.find_element(By.CLASS_NAME, "lang").click()
    wait(lambda: "Welcome" in d.page_source, "English on request")
    shot("02-english")
    d.find_element(By.CLASS_NAME, "lang").click()
    wait(lambda: "Xin chào" in d.page_source, "back to Vietnamese")

    d.find_element(By.PARTIAL_LINK_TEXT, "Đăng ký khai sinh").click()
    wait(lambda: "Chuẩn bị các giấy tờ" in d.page_source, "the papers the procedure needs")
    check("Giấy chứng sinh" in d.page_source, "the catalogue's papers are listed")
    d.find_element(By.ID, "phone").send_keys("0912345678")
    shot("03-procedure")
    d.find_element(By.ID, "start").click()
    wait(lambda: "Đặt giấy tờ vào khay" in d.page_source, "the kiosk says where to put the papers")
    shot("04-place-papers")

    d.find_element(By.ID, "scan").click()
    wait(lambda: "alt=\"Trang 1\"" in d.page_source and "id=\"check\"" in d.page_source, "the first sheet is scanned")
    d.find_element(By.ID, "scan").click()
    wait(lambda: "id=\"scan-error\"" in d.page_source, "the jam is explained")
    check("kẹt giấy" in d.page_source, "the jam message says what to do")
    check("alt=\"Trang 1\"" in d.page_source, "the page scanned before the jam is kept")
    shot("05-jam")
    d.find_element(By.ID, "continue").click()
    wait(lambda: "alt=\"Trang 2\"" in d.page_source and "id=\"check\"" in d.page_source, "scanning continues after the jam")
    shot("06-pages")
    d.find_element(By.ID, "check").click()
    wait(lambda: "id=\"confirm\"" in d.page_source, "the pages are checked", seconds=120)
    shot("07-check")
    d.find_element(By.ID, "confirm").click()
    wait(lambda: "id=\"intake-number\"" in d.page_source, "the receipt")
    number = d.find_element(By.ID, "intake-number").text
    check(number.startswith("TN-"), "the receipt has an intake number")
    check("<svg" in d.page_source, "the receipt has a QR code")
    check(d.find_element(By.ID, "page-count").text == "2", "the receipt counts the pages")
    shot("08-receipt")
    d.find_element(By.ID, "done").click()
    wait(lambda: "Xin chào" in d.page_source, "finishing returns to the start")

    # Walk away mid-intake: the screen clears itself and goes back to the start.
    d.find_element(By.PARTIAL_LINK_TEXT, "Đăng ký khai sinh").click()
    wait(lambda: "id=\"start\"" in d.page_source, "a second citizen starts")
    d.find_element(By.ID, "start").click()
    wait(lambda: "Đặt giấy tờ vào khay" in d.page_source, "the second intake opens")
    shot("09-before-idle")
    wait(lambda: d.current_url.rstrip("/").endswith("/kiosk") and "Xin chào" in d.page_source,
         "the idle timeout returns to the start", seconds=30)
    check("0912345678" not in d.page_source and "Trang 1" not in d.page_source, "nothing of the last citizen stays")
    shot("10-after-idle")
    print(number)
finally:
    d.quit()
