#!/usr/bin/env python3
"""Checks truth files against the FORMS.md contract: every key present, values normalised and plausible,
page images present and readable. Exits non-zero on any problem.

    python3 Samples/generator/validate.py Samples/forms Samples/holdout Samples/text
"""
from __future__ import annotations

import datetime as dt
import glob
import json
import os
import re
import sys
import unicodedata

from PIL import Image

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import vndata as vd  # noqa: E402
from generate import KEYS, PROCEDURES, DATA_DIR  # noqa: E402

MEMBER_KEYS = ["fullName", "dateOfBirth", "sex", "idNumber", "relationshipToHead"]
TYPES = {
    "fullName": "name", "dateOfBirth": "date", "signedDate": "date", "birthYear": "year", "idNumber": "id",
    "phone": "phone", "email": "email", "sex": "sex", "ethnicity": "ethnicity", "residence": "address",
    "copies": "int",
}


def ftype(key: str) -> str:
    return TYPES.get(key.split(".")[-1], "text")


def check_capture(im: Image.Image, st: dict) -> list[str]:
    """A phone photo or document-camera frame (generate.py --capture): JPEG, colour, header density as recorded,
    corners consistent with the effective dpi, parameters within the README's ranges."""
    errs = []
    c = st.get("capture")
    if not isinstance(c, dict):
        return ["jpeg-photo without style.capture"]
    if im.format != "JPEG" or im.mode != "RGB":
        errs.append(f"capture is {im.format} {im.mode}, not an RGB JPEG")
    if c.get("kind") not in ("photo", "camera"):
        errs.append(f"capture kind {c.get('kind')}")
    hd, got = c.get("headerDpi"), im.info.get("dpi")
    if hd is None:
        if got is not None:
            errs.append(f"capture: header has density {got}, truth says none")
    elif not got or abs(float(got[0]) - hd) > 0.5 or abs(float(got[1]) - hd) > 0.5:
        errs.append(f"capture: header density {got} != {hd}")
    if hd not in (None, 72):
        errs.append(f"capture: headerDpi {hd}")
    eff = c.get("effectiveDpi")
    if not isinstance(eff, int) or not 150 <= eff <= 225 or st.get("dpi") != eff:
        errs.append(f"capture: effectiveDpi {eff} (style.dpi {st.get('dpi')})")
    if not 60 <= c.get("jpegQuality", 0) <= 85:
        errs.append(f"capture: jpegQuality {c.get('jpegQuality')}")
    if st.get("rotation") not in (0, 180) or st.get("dpiInFile") is not False:
        errs.append(f"capture: rotation {st.get('rotation')} / dpiInFile {st.get('dpiInFile')}")
    if list(im.size) != st.get("pageSizePx"):
        errs.append(f"capture: pageSizePx {st.get('pageSizePx')} != {list(im.size)}")
    q = c.get("corners")
    if not (isinstance(q, list) and len(q) == 4 and all(isinstance(p, list) and len(p) == 2 for p in q)):
        return errs + ["capture: corners not 4 [x, y] pairs"]
    dist = lambda a, b: ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5
    width_px = (dist(q[0], q[1]) + dist(q[3], q[2])) / 2
    if isinstance(eff, int) and abs(width_px / (210 / 25.4) - eff) > 1.0:
        errs.append(f"capture: corners give {width_px / (210 / 25.4):.1f} dpi, not {eff}")
    W, H = im.size
    out = [max(-p[0], p[0] - W, -p[1], p[1] - H) for p in q]
    n_out = sum(o > 0 for o in out)
    lim = 0.03 * width_px + 1
    if n_out > (1 if c["kind"] == "photo" and st.get("split") == "holdout" else 0) or max(out) > lim:
        errs.append(f"capture: corners outside the frame {out}")
    rot_max, key_max = (12.0, 0.14) if c["kind"] == "photo" else (3.0, 0.03)
    if abs(c.get("rotationDeg", 99)) > rot_max or not 0 <= c.get("keystone", 99) <= key_max:
        errs.append(f"capture: rotationDeg {c.get('rotationDeg')} / keystone {c.get('keystone')}")
    s = c.get("seal")
    if s is not None:
        b = s.get("box")
        if not (isinstance(b, list) and len(b) == 4 and 0 <= b[0] < b[2] <= W and 0 <= b[1] < b[3] <= H):
            errs.append(f"capture: seal box {b}")
    return errs


def check_doc(path: str, provinces: set[str], province_names: set[str]) -> list[str]:
    errs = []
    d = json.load(open(path, encoding="utf-8"))
    base = os.path.dirname(path)
    for p in d["pages"]:
        ip = os.path.join(base, p)
        if not os.path.exists(ip):
            errs.append(f"missing page {p}")
            continue
        im = Image.open(ip)
        im.load()
        st = d.get("style", {})
        if st.get("dpiInFile", True) and "dpi" in st:
            got = im.info.get("dpi")
            if not got or abs(float(got[0]) - st["dpi"]) > 1:
                errs.append(f"dpi metadata {got} != {st['dpi']}")
        if st.get("format") == "jpeg-photo":
            errs += check_capture(im, st)
    if d["form"] is None:
        t = os.path.join(base, d["text"])
        lines = open(t, encoding="utf-8").read().split("\n")
        if not lines[-1] == "" or any(not l.strip() for l in lines[:-1]):
            errs.append("text truth: empty lines or no final newline")
        return errs
    form = d["form"]
    if d.get("procedure") != PROCEDURES[form]:
        errs.append("procedure")
    f = d["fields"]
    for k in KEYS[form]:
        if k not in f:
            errs.append(f"missing key {k}")
    if form == "ct01":
        rows = sorted({int(k.split(".")[1]) for k in f if k.startswith("members.")})
        if rows != list(range(1, len(rows) + 1)) or not 1 <= len(rows) <= 4:
            errs.append(f"member rows {rows}")
        for r in rows:
            for mk in MEMBER_KEYS:
                if f"members.{r}.{mk}" not in f:
                    errs.append(f"missing members.{r}.{mk}")
        for k in ("signedAt", "signedDate"):
            if k not in f:
                errs.append(f"missing key {k}")
    extra = [k for k in f if k not in KEYS[form] and not k.startswith("members.") and k not in ("signedAt", "signedDate")]
    if extra:
        errs.append(f"unexpected keys {extra}")
    signed = dt.date.fromisoformat(f["signedDate"])
    for k, v in f.items():
        if v is None:
            continue
        if not isinstance(v, str):
            errs.append(f"{k}: not a string")
            continue
        if unicodedata.normalize("NFC", v) != v or " ".join(v.split()) != v or "…" in v or ".." in v:
            errs.append(f"{k}: not normalised {v!r}")
        t = ftype(k)
        if t == "date":
            try:
                dd = dt.date.fromisoformat(v)
            except ValueError:
                errs.append(f"{k}: bad date {v}")
                continue
            if k.startswith("child."):
                if not 0 <= (signed - dd).days <= 366:
                    errs.append(f"{k}: child not born within the year before signing")
            elif k in ("signedDate",):
                if dd > vd.REF_DATE:
                    errs.append("signed in the future")
            elif not k.startswith("members."):
                age = (signed - dd).days / 365.25
                if not 16 <= age <= 100:
                    errs.append(f"{k}: adult age {age:.1f}")
            elif not 0 <= (signed - dd).days / 365.25 <= 100:
                errs.append(f"{k}: member age")
        elif t == "year":
            if not re.fullmatch(r"(19|20)\d\d", v):
                errs.append(f"{k}: bad year")
        elif t == "id":
            if not re.fullmatch(r"\d{12}", v):
                errs.append(f"{k}: bad id {v}")
                continue
            if v[1:3] not in provinces or v[0] != "0":
                errs.append(f"{k}: province code {v[:3]}")
            prefix = k.rsplit(".", 1)[0]
            sex = f.get(prefix + ".sex") or {"bride": "Nữ", "groom": "Nam", "mother": "Nữ", "father": "Nam"}.get(prefix)
            dob = f.get(prefix + ".dateOfBirth")
            year = int(dob[:4]) if dob else (int(f[prefix + ".birthYear"]) if f.get(prefix + ".birthYear") else None)
            if year is not None:
                if v[4:6] != "%02d" % (year % 100):
                    errs.append(f"{k}: year digits {v} vs {year}")
                c = int(v[3])
                if (c // 2) != (0 if year < 2000 else 1):
                    errs.append(f"{k}: century digit {v} vs {year}")
                if sex and (c % 2) != (0 if sex == "Nam" else 1):
                    errs.append(f"{k}: sex digit {v} vs {sex}")
        elif t == "phone":
            if not re.fullmatch(r"0(3|5|7|8|9)\d{8}", v):
                errs.append(f"{k}: bad phone {v}")
        elif t == "email":
            if v != v.lower() or v.count("@") != 1 or "." not in v.split("@")[1]:
                errs.append(f"{k}: bad email {v}")
        elif t == "sex":
            if v not in ("Nam", "Nữ"):
                errs.append(f"{k}: bad sex {v}")
        elif t == "ethnicity":
            if v not in vd.ETHNICITIES:
                errs.append(f"{k}: bad ethnicity {v}")
        elif t == "int":
            if not re.fullmatch(r"[1-9]\d*", v):
                errs.append(f"{k}: bad int {v}")
        elif t == "address":
            if not any(v.endswith(p) for p in province_names):
                errs.append(f"{k}: address does not end in a province: {v}")
        elif t == "name":
            words = v.split()
            if not 2 <= len(words) <= 6 or not all(w.isalpha() for w in words):
                errs.append(f"{k}: bad name {v}")
    return errs


def main(dirs):
    units = vd.Units(DATA_DIR)
    provinces = set(units.legacy_provinces)
    names = {u[1] for u in units.current} | {u[1] for u in units.legacy}
    n = bad = 0
    for d in dirs:
        for p in sorted(glob.glob(os.path.join(d, "*.json"))):
            n += 1
            errs = check_doc(p, provinces, names)
            if errs:
                bad += 1
                print(p)
                for e in errs:
                    print("   ", e)
    print(f"{n} documents checked, {bad} with problems")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
