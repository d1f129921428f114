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
