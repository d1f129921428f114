#!/usr/bin/env python3
"""A field value `<script>alert(1)</script>` is read, reviewed and shown on every page that shows values, and never runs.

Usage:
  xss.py page SAMPLE_PNG OUT_PNG
      Draws a Samples form variant whose "Nơi sinh" (child.placeOfBirth, free text) line says the payload, in the
      sample's own font and size, so that the station's OCR reads it as it reads a citizen's handwriting or type.
  xss.py journey BASE_URL PAIRING_CODE SCREENSHOT_DIR PAGE_PNG TRUTH_JSON
      The paper goes in twice: uploaded at the desk and scanned at the kiosk (the station's test scanner feeds the
      same page). The officer also types the payload into the desk's field editor and sends it through the JSON edit;
      the reviewer confirms it and edits it through the API; the admin opens the audit log. On every page: no dialog
      opens and no hooked alert/confirm/prompt is called, the payload shows as literal text, the raw HTML holds it
      escaped, the response carries a CSP without 'unsafe-inline', and no <script> lacks src (nor any inline style or
      event handler). Passwords come from SOHOA_PW_OFFICER, SOHOA_PW_REVIEWER, SOHOA_PW_ADMIN.
Exits non-zero, naming the step, when any of it fails.
"""
import html
import html.parser
import json
import os
import sys
import urllib.error
import urllib.parse
import urllib.request

PAYLOAD = "<script>alert(1)</script>"
# On paper the payload stands inside the value: the extractor trims punctuation at a value's ends (a leading "<"
# and a trailing ">" go), never inside it.
READ = "Bệnh viện " + PAYLOAD + " Vĩnh Long"
ESCAPED = html.escape(PAYLOAD, quote=True)  # what the station's templates write: &lt;script&gt;alert(1)&lt;/script&gt;


def make_page(sample, out):
    from PIL import Image, ImageDraw, ImageFont
    img = Image.open(sample).convert("L")
    draw = ImageDraw.Draw(img)
    # dev-001-khai-sinh.png (DejaVu Serif 11 pt at 250 dpi): the value after "Nơi sinh:" spans x 464-1123 on the
    # line whose baseline is at y 904. Paper white over the old value, the payload in its place.
    draw.rectangle([458, 860, 1900, 916], fill=255)
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf", 38)
    draw.text((464, 904), READ, font=font, fill=0, anchor="ls")
    img.save(out, dpi=(250, 250))


if sys.argv[1] == "page":
    make_page(sys.argv[2], sys.argv[3])
    sys.exit(0)

from chromium import chromium  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import Select, WebDriverWait  # noqa: E402

BASE, CODE, SHOTS, PAGE = sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5]
# The sample's own values: what the reviewer types for a flagged field the OCR misread (not the payload's field).
truth = json.load(open(sys.argv[6], encoding="utf-8"))["fields"]
os.makedirs(SHOTS, exist_ok=True)

# Runs before any of the page's own scripts in every document: records every dialog call instead of opening it.
HOOK = """
window.__xssCalls = [];
for (const name of ['alert', 'confirm', 'prompt', 'print']) {
  const original = window[name];
  window[name] = function (...args) { window.__xssCalls.push(name + ':' + args.join(',')); };
}
"""


def browser():
    return chromium(1366, 900, script_on_new_document=HOOK)


d = browser()
checked_pages = []


def shot(name):
    d.save_screenshot(os.path.join(SHOTS, "xss-" + name + ".png"))


def fail(step):
    shot("failed")
    raise SystemExit(f"xss journey failed: {step}")


def check(condition, step):
    if not condition:
        fail(step)


def wait(predicate, step, seconds=150):
    try:
        WebDriverWait(d, seconds, poll_frequency=0.5).until(lambda _: predicate())
    except Exception:
        fail(f"{step} (waited {seconds} s)")


class Markup(html.parser.HTMLParser):
    """What a strict CSP would refuse: inline scripts, inline styles, event-handler attributes, javascript: URLs."""

    def __init__(self):
        super().__init__()
        self.problems = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "script":
            self.scripts += 1
            if not a.get("src"):
                self.problems.append("an inline <script> without src")
        if tag == "style":
            self.problems.append("an inline <style>")
        for name, value in attrs:
            if name == "style":
                self.problems.append(f"a style attribute on <{tag}>")
            if name.startswith("on"):
                self.problems.append(f"an event handler {name} on <{tag}>")
            if name in ("href", "src", "action") and (value or "").strip().lower().startswith("javascript:"):
                self.problems.append(f"a javascript: URL on <{tag}>")


def raw(path):
    """The same GET with the browser's cookies, without a browser: status, headers, body as sent."""
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in d.get_cookies())
    request = urllib.request.Request(BASE + path, headers={"Cookie": cookies})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers, r.read().decode("utf-8")
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode("utf-8")


def no_dialogs(step):
    try:
        d.switch_to.alert
        fail(f"{step}: a dialog opened")
    except NoAlertPresentException:
        pass
    calls = d.execute_script("return window.__xssCalls")
    check(isinstance(calls, list), f"{step}: the dialog hook is installed")
    check(calls == [], f"{step}: the page called {calls}")


def visit(path, step, shows_payload=True, name=None):
    """Opens a page; asserts nothing ran, the page obeys the CSP's rules and the payload is text, escaped."""
    d.get(BASE + path)
    no_dialogs(step)
    status, headers, body = raw(path)
    check(status == 200, f"{step}: GET {path} answers {status}")
    csp = headers.get("Content-Security-Policy") or ""
    check("default-src 'none'" in csp and "script-src 'self'" in csp, f"{step}: the page has the strict CSP ({csp})")
    check("unsafe-inline" not in csp and "unsafe-eval" not in csp, f"{step}: the CSP allows no inline script")
    check(headers.get("Content-Type", "").startswith("text/html"), f"{step}: served as HTML")
    markup = Markup()
    markup.feed(body)
    check(not markup.problems, f"{step}: {markup.problems}")
    check(not d.find_elements(By.CSS_SELECTOR, "script:not([src])"), f"{step}: the DOM holds an inline script")
    check(PAYLOAD not in body, f"{step}: the raw HTML holds the payload unescaped")
    if shows_payload:
        check(ESCAPED in body, f"{step}: the raw HTML holds the payload escaped")
    checked_pages.append(path)
    if name:
        shot(name)
    return body


def literal_in(css, step):
    """The payload is the literal text or value of at least one element matching css."""
    for e in d.find_elements(By.CSS_SELECTOR, css):
        if e.tag_name in ("input", "textarea"):
            if PAYLOAD in (e.get_property("value") or ""):
                return e
        elif PAYLOAD in e.text:
            return e
    fail(f"{step}: no {css} shows {PAYLOAD} as text")


def api_json(path, step):
    status, headers, body = raw(path)
    check(status == 200, f"{step}: GET {path} answers {status}")
    check(headers.get("Content-Type", "").startswith("application/json"), f"{step}: served as JSON")
    d.get(BASE + path)  # the browser shows JSON as text: nothing in it runs either
    no_dialogs(step)
    return json.loads(body)


def api_edit(draft, key, value, step):
    """The JSON edit, as a script on the station's page sends it (session cookie + X-CSRF-Token)."""
    reply = d.execute_async_script("""
        const [draft, key, value, done] = arguments;
        const token = document.querySelector('meta[name="csrf-token"]').content;
        fetch('/api/drafts/' + draft + '/fields/' + encodeURIComponent(key), {method: 'POST',
              credentials: 'same-origin', headers: {'Content-Type': 'application/json', 'X-CSRF-Token': token},
              body: JSON.stringify({value: value})})
          .then(r => r.text().then(t => done({status: r.status, type: r.headers.get('content-type'), body: t})))
          .catch(e => done({status: 0, body: String(e)}));
    """, draft, key, value)
    check(reply["status"] == 200, f"{step}: the API edit answers {reply}")
    check(reply["type"].startswith("application/json"), f"{step}: the API answers JSON")
    check(json.loads(reply["body"])["value"] == value, f"{step}: the API keeps the value as typed")
    no_dialogs(step)


def login(user, password):
    d.delete_all_cookies()
    d.get(BASE + "/login")
    d.find_element(By.ID, "username").send_keys(user)
    d.find_element(By.ID, "password").send_keys(password)
    d.find_element(By.ID, "login").click()
    wait(lambda: "/login" not in d.current_url, f"{user} signs in")


def fields_of(draft_json):
    return {f["key"]: f.get("value") for f in draft_json.get("fields", [])}


try:
    # 0. The detector detects: a hooked alert is recorded, not opened.
    d.get(BASE + "/login")
    d.execute_script("alert('probe')")
    check(d.execute_script("return window.__xssCalls") == ["alert:probe"], "the alert hook records a call")
    visit("/login", "the login page", shows_payload=False)

    # 1. A citizen hands the paper in at the kiosk: no kiosk page shows field values, and none runs anything.
    d.get(BASE + "/kiosk/pair")
    d.find_element(By.ID, "code").send_keys(CODE)
    d.find_element(By.ID, "pair").click()
    wait(lambda: "/kiosk" in d.current_url and "id=\"code\"" not in d.page_source, "the kiosk pairs")
    visit("/kiosk", "the kiosk's start screen", shows_payload=False)
    visit("/kiosk/procedures/1.001193", "the kiosk's procedure screen", shows_payload=False)
    d.find_element(By.ID, "phone").send_keys("0912345678")
    d.find_element(By.ID, "start").click()
    wait(lambda: "/kiosk/intakes/" in d.current_url and "id=\"scan\"" in d.page_source, "the intake opens")
    intake_path = urllib.parse.urlparse(d.current_url).path
    # Two sheets (the procedure wants the form and the birth certificate); the test scanner feeds the same page.
    for n in (1, 2):
        d.find_element(By.ID, "scan").click()
        wait(lambda: f"alt=\"Trang {n}\"" in d.page_source and "id=\"check\"" in d.page_source,
             f"the kiosk scans sheet {n}")
        no_dialogs("the kiosk's scanned page")
    d.find_element(By.ID, "check").click()
    wait(lambda: "id=\"confirm\"" in d.page_source, "the kiosk checks the page", seconds=180)
    visit(intake_path, "the kiosk's check screen", shows_payload=False, name="01-kiosk-check")
    d.find_element(By.ID, "confirm").click()
    wait(lambda: "id=\"intake-number\"" in d.page_source, "the kiosk's receipt")
    visit(urllib.parse.urlparse(d.current_url).path, "the kiosk's receipt", shows_payload=False)
    kiosk_batch = intake_path.rstrip("/").split("/")[3]

    # 2. The officer uploads the same paper at the desk; the station reads the payload into child.placeOfBirth.
    login("canbo", os.environ["SOHOA_PW_OFFICER"])
    d.get(BASE + "/desk")
    Select(d.find_element(By.ID, "procedure")).select_by_value("1.001193")
    d.find_element(By.ID, "new-batch").click()
    wait(lambda: "/desk/batches/b_" in d.current_url, "a new batch opens")
    desk_path = urllib.parse.urlparse(d.current_url).path
    desk_batch = desk_path.rsplit("/", 1)[1]
    d.find_element(By.ID, "files").send_keys(PAGE)
    d.find_element(By.ID, "upload").click()
    wait(lambda: "alt=\"Trang 1\"" in d.page_source, "the uploaded page shows")
    d.find_element(By.ID, "read").click()
    wait(lambda: "id=\"fields\"" in d.page_source, "the draft's fields appear", seconds=240)
    no_dialogs("the desk page after the read")
    read = d.find_element(By.CSS_SELECTOR, "input[aria-label='child.placeOfBirth']").get_property("value")
    check(read == READ, f"the OCR reads the payload into child.placeOfBirth (read {read!r})")
    desk_draft = api_json(f"/api/batches/{desk_batch}", "the batch API")["draftId"]

    # The officer types it into the field editor (Quê quán) and sends it through the JSON edit (mother's Nơi cư trú).
    d.get(BASE + desk_path)
    editor = d.find_element(By.CSS_SELECTOR, "input[aria-label='child.hometown']")
    editor.send_keys(Keys.CONTROL, "a")
    editor.send_keys(PAYLOAD)
    editor.send_keys(Keys.ENTER)
    wait(lambda: d.find_element(By.CSS_SELECTOR, "input[aria-label='child.hometown']").get_property("value") == PAYLOAD,
         "the desk editor keeps the typed payload")
    no_dialogs("the desk page after the editor")
    d.get(BASE + desk_path)
    api_edit(desk_draft, "mother.residence", PAYLOAD, "the officer's API edit")
    visit(desk_path, "the desk's batch page", name="02-desk-batch")
    for key in ["child.placeOfBirth", "child.hometown", "mother.residence"]:
        literal_in(f"input[aria-label='{key}']", f"the desk shows {key}")
    # A refusal message that repeats what was sent is escaped too.
    visit(desk_path + "?error=" + urllib.parse.quote(PAYLOAD), "the desk's error message")
    literal_in("p.error", "the desk's error message")

    # 3. The reviewer works the queue: every draft, flagged fields confirmed as they are, the accept view read.
    login("kiemtra", os.environ["SOHOA_PW_REVIEWER"])
    visit("/review", "the review queue", shows_payload=False, name="03-review-queue")
    queue = api_json("/api/review/queue", "the queue API")
    check(len(queue) >= 1, "the kiosk's draft waits for review")
    reviewed = []
    for _ in range(6):
        d.get(BASE + "/review")
        if not d.find_element(By.ID, "next").is_enabled():
            break
        d.find_element(By.ID, "next").click()
        wait(lambda: "/review/drafts/d_" in d.current_url, "the reviewer gets the oldest draft")
        draft_path = urllib.parse.urlparse(d.current_url).path
        draft = draft_path.rsplit("/", 1)[1]
        reviewed.append(draft)
        # The flagged view shows only the flagged fields; the accept view (nothing flagged) shows them all.
        body = visit(draft_path, "the review draft page", shows_payload=False, name=f"04-review-{len(reviewed)}")
        if d.find_elements(By.ID, "accept") or d.find_elements(By.CSS_SELECTOR, "input[data-field='child.placeOfBirth']"):
            check(ESCAPED in body, "the review draft page holds the payload escaped")
        if d.find_elements(By.ID, "accept"):
            literal_in("td", "the accept view shows the read value")
        for field in d.find_elements(By.CSS_SELECTOR, "input[data-field='child.placeOfBirth']"):
            check(field.get_property("value") == READ, "the reviewer's editor holds the read payload as text")
            literal_in("#f-child\\.placeOfBirth code", "the review page shows what was read")
        visit(draft_path + "?error=" + urllib.parse.quote(PAYLOAD), "the review page's error message")
        literal_in("p.error", "the review page's error message")
        # The reviewer's API edit of the free-text field, on the draft they hold (it may settle the last flag).
        api_edit(draft, "child.placeOfBirth", READ, "the reviewer's API edit")
        d.get(BASE + draft_path)
        if d.find_elements(By.ID, "accept"):
            d.find_element(By.ID, "accept").click()
        for _ in range(40):
            inputs = d.find_elements(By.CSS_SELECTOR, "input[data-field]")
            if not inputs:
                break
            field = inputs[0]
            key = field.get_attribute("data-field")
            if key == "child.placeOfBirth":
                check(PAYLOAD in field.get_property("value"), "the reviewer's editor holds the payload as text")
            elif truth.get(key):
                field.send_keys(Keys.CONTROL, "a")
                field.send_keys(truth[key])
            field.send_keys(Keys.ENTER)  # confirm
            wait(lambda: key not in [i.get_attribute("data-field")
                                     for i in d.find_elements(By.CSS_SELECTOR, "input[data-field]")]
                 or "error=" in d.current_url, f"the field {key} is settled")
            check("error=" not in d.current_url, f"the reviewer's value of {key} is accepted")
            no_dialogs(f"the review page after {key}")
        # The last flagged field settled sends the draft on; settled by the API edit, the page says it is done.
        wait(lambda: "/review?done=" in d.current_url or "không còn trường nào cần kiểm tra" in d.page_source,
             "the draft goes on")
        no_dialogs("the queue after a draft")
    check(len(reviewed) >= 1, "the reviewer reviewed a draft")
    for draft in reviewed:
        shown = fields_of(api_json(f"/api/drafts/{draft}", "the draft API"))
        check(shown.get("child.placeOfBirth") == READ, f"the draft API returns the payload as text ({draft})")

    # 4. The officer's desk shows the reviewed values, and the JSON API the same.
    login("canbo", os.environ["SOHOA_PW_OFFICER"])
    visit(desk_path, "the desk after review", name="05-desk-after-review")
    literal_in("input[aria-label='child.placeOfBirth']", "the desk after review")
    desk = api_json(f"/api/drafts/{desk_draft}", "the desk draft's API")
    for key, value in [("child.placeOfBirth", READ), ("child.hometown", PAYLOAD), ("mother.residence", PAYLOAD)]:
        check(fields_of(desk).get(key) == value, f"the draft API returns {key} as text")
    visit(f"/desk/batches/{kiosk_batch}", "the desk's page of the kiosk intake")
    literal_in("input[aria-label='child.placeOfBirth']", "the kiosk intake at the desk")

    # 5. The admin's audit log: values are sealed, so the payload never shows there; a filter typed as the payload
    # comes back as text.
    login("quantri", os.environ["SOHOA_PW_ADMIN"])
    body = visit("/admin/audit", "the audit log", shows_payload=False, name="06-audit")
    check("field.update" in body and "Đã niêm phong" in body, "the audit log lists the sealed edits")
    visit(f"/admin/audit?subject={desk_batch}", "the audit log of the desk batch", shows_payload=False)
    visit("/admin/audit?subject=" + urllib.parse.quote(PAYLOAD), "the audit filter")
    literal_in("input#subject", "the audit filter")
finally:
    d.quit()
print(f"xss passed: {len(checked_pages)} pages checked")
