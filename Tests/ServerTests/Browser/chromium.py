"""Debian's chromium, headless, driven by selenium: the one browser set-up every journey script uses."""

from selenium import webdriver
from selenium.webdriver.chrome.service import Service


def chromium(width=1366, height=768, page_load_timeout=180, script_on_new_document=None):
    """A headless chromium at width×height in Vietnamese; `script_on_new_document` runs before a page's own scripts."""
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for arg in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", f"--window-size={width},{height}",
                "--lang=vi-VN", "--disable-gpu"]:
        options.add_argument(arg)
    d = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    d.set_page_load_timeout(page_load_timeout)
    if script_on_new_document:
        d.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": script_on_new_document})
    return d
