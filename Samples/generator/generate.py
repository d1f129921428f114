#!/usr/bin/env python3
"""Renders filled Vietnamese application forms (khai-sinh, ct01, ket-hon) and clean text pages, each with
a truth file, for developing and evaluating sohoa's OCR and field extraction.

    python3 Samples/generator/generate.py --out DIR --count N --seed S --split dev|holdout \
        [--forms khai-sinh,ct01,ket-hon] [--text-pages K] [--no-degrade] [--compact] \
        [--capture scan|photo|camera|mixed|photo,camera]

See Samples/README.md for the truth-file format and what varies between the dev and holdout splits.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import photo  # noqa: E402
import vndata as vd  # noqa: E402
from render import F, S, Box, Digits, Overflow, Page, check_fonts  # noqa: E402
from prose import TITLES, PARAGRAPH_SENTENCES  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
DATA_DIR = os.path.normpath(os.path.join(HERE, "..", "..", "..", "shared", "data", "admin-units"))
if not os.path.isdir(DATA_DIR):
    DATA_DIR = "/work/shared/data/admin-units"

PROCEDURES = {"khai-sinh": "1.001193", "ct01": "1.004222", "ket-hon": "1.000894"}
ALL_FORMS = ["khai-sinh", "ct01", "ket-hon"]

# --- style distributions per split -------------------------------------------------------------------

SPLITS = {
    "dev": {
        "fonts": ["DejaVu Serif", "Noto Serif Display", "DejaVu Sans"],
        "hand": ["DejaVu Serif Italic", "DejaVu Sans Oblique", "Noto Serif Display Italic"],
        "size": (11.0, 13.0),
        "margins": ((25, 30), (15, 20), (15, 20), (15, 20)),   # left, top, right, bottom (mm)
        "spacing": (1.25, 1.5),
        "dpi": [(300, 6), (250, 2), (200, 2)],
        "fill": [("typed", 5), ("dots", 3.5), ("typed-dots", 1.5)],
        "date": [("slash", 7), ("slash-short", 1.5), ("words", 1.5)],
        "nameCase": [("upper", 19), ("title", 1)],
        "numbering": [("1.", 1)],
        "tuyThan": [("tùy", 1)],
        "skew": 1.5, "turnRate": 0.08, "noise": (0.0, 6.0), "speckles": (0, 250), "blur": (0.0, 0.6),
        "borderRate": 0.3,
    },
    "holdout": {
        "fonts": ["Noto Serif", "Noto Sans", "Noto Sans Display", "DejaVu Sans Condensed", "DejaVu Serif Condensed"],
        "hand": ["Noto Serif Italic", "Noto Sans Italic", "Noto Sans Display Italic", "DejaVu Serif Condensed Italic",
                 "DejaVu Sans Condensed Oblique", "DejaVu Sans ExtraLight"],
        "size": (10.0, 14.0),
        "margins": ((15, 35), (10, 25), (10, 25), (10, 22)),
        "spacing": (1.1, 1.7),
        "dpi": [(300, 4), (240, 2), (220, 1), (200, 3)],
        "fill": [("typed", 3.5), ("dots", 4.5), ("typed-dots", 2)],
        "date": [("slash", 4.5), ("slash-short", 2), ("words", 2), ("dash", 1), ("dot", 0.5)],
        "nameCase": [("upper", 8), ("title", 2)],
        "numbering": [("1.", 8.5), ("1)", 1.5)],
        "tuyThan": [("tùy", 3), ("tuỳ", 1)],
        "skew": 3.0, "turnRate": 0.15, "noise": (0.0, 10.0), "speckles": (0, 600), "blur": (0.0, 1.0),
        "borderRate": 0.45,
    },
}

FORMAT_WEIGHTS = [("png-gray", 28), ("png-rgb", 8), ("png-palette", 6), ("png-gray16", 5), ("jpeg", 33),
                  ("tiff-g4", 20)]
EXT = {"png-gray": "png", "png-rgb": "png", "png-palette": "png", "png-gray16": "png", "jpeg": "jpg",
       "tiff-g4": "tif", "jpeg-photo": "jpg"}


def sample_style(rng: random.Random, split: str, fmt: str, turn: int, degrade: bool, compact: bool = False) -> dict:
    """Draws the page style. Every value is drawn in the same order whatever the format and flags, so the
    same seed gives the same document with and without --no-degrade / --compact (only the scan differs)."""
    sp = SPLITS[split]
    w = vd.wchoice
    u = rng.uniform
    fontname = rng.choice(sp["fonts"])
    hands = [h for h in sp["hand"] if not h.startswith(fontname)]
    fill = w(rng, sp["fill"])
    st = {
        "split": split,
        "font": fontname,
        "fontSizePt": round(u(*sp["size"]), 1),
        "titleScale": round(u(1.12, 1.35), 2),
        "headScale": round(u(0.95, 1.08), 2),
        "lineSpacing": round(u(*sp["spacing"]), 2),
        "marginsMm": [round(u(*r), 1) for r in sp["margins"]],
        "dpi": w(rng, sp["dpi"]),
        "fillMode": fill,
        "handFont": rng.choice(hands),
        "handScale": round(u(0.95, 1.1), 2),
        "handShear": round(u(0.0, 0.22), 2),
        "handJitter": round(u(0.02, 0.08), 3),
        "handLead": round(u(0.2, 1.6), 2),
        "handRaise": round(u(0.06, 0.25), 2),
        "dotChar": rng.choice([".", ".", "…"]),
        "dotDateSlots": rng.random() < 0.6,
        "valueBold": (rng.random() < 0.15) and fill == "typed",
        "typedGap": round(u(2.0, 5.0), 1),
        "digitBoxEm": round(u(1.15, 1.5), 2),
        "dateStyle": w(rng, sp["date"]),
        "nameCase": w(rng, sp["nameCase"]),
        "numbering": w(rng, sp["numbering"]),
        "tuyThan": w(rng, sp["tuyThan"]),
        "motto": rng.choice(["Độc lập - Tự do - Hạnh phúc", "Độc lập - Tự do - Hạnh phúc",
                             "Độc lập – Tự do – Hạnh phúc"]),
        "ink": 0 if rng.random() < 0.6 else rng.randint(10, 40),
        "pen": [20, 40, 140] if rng.random() < 0.7 else [35, 35, 45],
        "format": fmt,
        "degraded": degrade,
    }
    dots_spacing = round(u(1.4, 1.6) if split == "dev" else u(1.3, 1.7), 2)
    if fill == "dots":   # templates meant for a pen leave room between the dotted lines
        st["lineSpacing"] = max(st["lineSpacing"], dots_spacing)
    light_shear = round(u(0.15, 0.3), 2)
    if st["handFont"] == "DejaVu Sans ExtraLight":   # upright font: slant it like a pen
        st["handShear"] = light_shear
    pen_bold = rng.random() < 0.4
    # scan effects, all drawn, then kept or not
    paper = 255 if rng.random() < 0.6 else rng.randint(236, 252)
    no_dpi = rng.random() < 0.15
    skew = round(u(-sp["skew"], sp["skew"]), 2) if rng.random() < 0.85 else 0.0
    blur = round(u(*sp["blur"]), 2) if rng.random() < 0.6 else 0.0
    noise = round(u(*sp["noise"]), 1) if rng.random() < 0.75 else 0.0
    speckles = rng.randint(*sp["speckles"]) if rng.random() < 0.7 else 0
    edges = ["left", "top", "right", "bottom"]
    rng.shuffle(edges)
    border = sorted(edges[: rng.choice([1, 1, 2])]) if rng.random() < sp["borderRate"] else []
    clip_png, clip_other, clip_other_on = rng.randint(212, 228), rng.randint(225, 240), rng.random() < 0.3
    jpeg_q, jpeg_color = rng.randint(78, 90), rng.random() < 0.3
    g4 = rng.randint(150, 185)

    st.update({"paper": 255, "dpiInFile": True, "skewDeg": 0.0, "rotation": 0, "blur": 0.0, "noiseSigma": 0.0,
               "speckles": 0, "border": [], "whiteClip": False})
    if degrade:
        st.update({"paper": paper, "dpiInFile": not (fmt.startswith("png") and no_dpi), "skewDeg": skew,
                   "rotation": turn, "blur": blur, "noiseSigma": noise, "speckles": speckles, "border": border})
        # lossless scans come from scanners that drop the paper tone to white (also keeps PNGs small)
        if fmt.startswith("png"):
            st["whiteClip"], st["whiteClipLevel"] = True, clip_png
            st["noiseSigma"] = min(noise, 6.0 if split == "dev" else 8.0)
        elif clip_other_on:
            st["whiteClip"], st["whiteClipLevel"] = True, clip_other
    if fmt == "jpeg":
        st["jpegQuality"], st["jpegColor"] = jpeg_q, jpeg_color
    if fmt == "tiff-g4":
        st["g4Threshold"] = g4
    if compact:   # size caps for the committed samples (README): same styles, smaller files
        st["compact"] = True
        st["noiseSigma"] = min(st["noiseSigma"], 4.0)
        if fmt in ("png-rgb", "png-gray16"):
            st["dpi"] = 200
            st["noiseSigma"] = 0.0
        elif fmt != "tiff-g4":
            st["dpi"] = min(st["dpi"], 250)
        if fmt == "jpeg":
            st["jpegQuality"], st["jpegColor"] = 85, False
            if degrade:
                st["whiteClip"], st["whiteClipLevel"] = True, clip_other
    thin = st["handFont"] in ("DejaVu Sans ExtraLight", "Noto Serif Display Italic")
    st["penWeight"] = (1 if thin or pen_bold else 0) + (1 if thin and st["dpi"] >= 280 else 0)
    return st


def fit_page(draw_fn, st: dict, rng_seed: str):
    """Renders with the style; on overflow shrinks font and spacing until the form fits one page."""
    for attempt in range(14):
        rng = random.Random(rng_seed)
        page = Page(st, rng)
        try:
            draw_fn(page, rng)
            return page
        except Overflow:
            if attempt % 2 == 0 and st["lineSpacing"] > 1.12:
                st["lineSpacing"] = round(max(1.1, st["lineSpacing"] - 0.08), 2)
            else:
                st["fontSizePt"] = round(st["fontSizePt"] - 0.5, 1)
                st["marginsMm"] = [max(10.0, round(m - 1.5, 1)) for m in st["marginsMm"]]
    raise RuntimeError("form does not fit a page")


# --- printing helpers ---------------------------------------------------------------------------------

def fmt_date(d: dt.date, style: str) -> str:
    if style == "slash-short":
        return f"{d.day}/{d.month}/{d.year}"
    if style == "dash":
        return f"{d.day:02d}-{d.month:02d}-{d.year}"
    if style == "dot":
        return f"{d.day:02d}.{d.month:02d}.{d.year}"
    if style == "words":
        return f"ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"
    return f"{d.day:02d}/{d.month:02d}/{d.year}"


def date_runs(st: dict, d: dt.date | None, flex: float = 0.6):
    """Value runs for a full date field ("Ngày, tháng, năm sinh:")."""
    style = st["dateStyle"]
    if d is None:
        return [F(None, 8, flex)]
    if st["fillMode"] == "dots" and st["dotDateSlots"]:
        dd, mm = f"{d.day:02d}", f"{d.month:02d}"
        if style == "words":
            return [S("ngày", brk=False), F(dd, 2.5, 0.0, wrap=False), S("tháng", brk=False),
                    F(mm, 2.5, 0.0, wrap=False), S("năm", brk=False), F(str(d.year), 4.0, 0.0, wrap=False)]
        return [F(dd, 2.5, 0.0, wrap=False), S("/", brk=False), F(mm, 2.5, 0.0, wrap=False), S("/", brk=False),
                F(str(d.year), 4.0, 0.0, wrap=False)]
    return [F(fmt_date(d, style), 8, flex, wrap=False)]


def signed_runs(st: dict, place: str | None, d: dt.date, with_label: bool = True):
    runs = []
    if with_label:
        runs.append(S("Làm tại:"))
    if place is not None or st["fillMode"] != "typed":
        runs.append(F(place, 9 if place else 5, 2.0 if place else 0.5))
        runs.append(S(", ngày"))
    else:
        runs.append(S("Ngày" if not with_label else "ngày", brk=False))
    day = f"{d.day:02d}" if st["dateStyle"] != "slash-short" else str(d.day)
    mon = f"{d.month:02d}" if st["dateStyle"] in ("slash", "dash", "dot") and d.month < 10 and st["fillMode"] != "typed" else str(d.month)
    runs += [F(day, 2.2, 0.2, wrap=False), S("tháng", brk=False), F(mon, 2.2, 0.2, wrap=False), S("năm", brk=False), F(str(d.year), 3.5, 0.2, wrap=False)]
    return runs


def national_header(pg: Page, st: dict, rng: random.Random, form_note: tuple[str, str] | None = None):
    if form_note:
        y0 = pg.y
        note, sub = form_note
        w = pg.width(note, "smallbold")
        x = pg.right - w - pg.size * rng.uniform(0, 2)
        pg.text(x, note, "smallbold")
        if sub:
            pg.y += pg.size * 1.1
            w2 = pg.width(sub, "smallit")
            pg.text(min(x, pg.right - w2), sub, "smallit")
        pg.y = max(y0 + pg.lh * 1.4, pg.y + pg.lh * 0.9)
    pg.center("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" if st["split"] == "dev" or rng.random() < 0.8
              else "CỘNG HOÀ XÃ HỘI CHỦ NGHĨA VIỆT NAM", "head")
    x, w = pg.center(st["motto"], "bold", adv=False)
    pg.hline(x + w * 0.05, x + w * 0.95, pg.y + pg.size * 0.42)
    pg.adv(1.0 + rng.uniform(0.6, 1.4))


def title(pg: Page, text: str, rng: random.Random, sub: str | None = None):
    pg.center(text, "title", adv=False)
    pg.adv(1.0 + 0.2 * (pg.st["titleScale"] - 1))
    if sub:
        pg.center(sub, "it")
    pg.adv(rng.uniform(0.3, 0.9))


def kinh_gui(pg: Page, recipient: str, rng: random.Random):
    indent = (pg.right - pg.left) * rng.choice([0.0, 0.0, 0.1, 0.18, 0.25])
    pg.runs([S("Kính gửi:"), F(recipient, 20, 1.0)], x0=pg.left + indent, cont_indent=0)
    pg.adv(rng.uniform(0.1, 0.6))


def signature_block(pg: Page, cx: float, width: float, head: str, note: str, name: str | None, rng: random.Random):
    pg.center(head, "bold", cx - width / 2, cx + width / 2)
    pg.center(note, "it", cx - width / 2, cx + width / 2)
    top = pg.y - pg.size * 0.4
    pg.adv(2.6)
    if name:
        pg.signature(cx, top, width * 0.7)
        if pg.st["fillMode"] == "dots":
            w = pg.hand_width(name)
            pg.mark("signer", pg.draw_hand(cx - w / 2, pg.y, name))
        else:
            x, _ = pg.center(name, "bold", cx - width / 2, cx + width / 2, adv=False)
            pg.mark("signer", pg.text_box(x, name, "bold"))
    pg.adv()
    pg.check()


def case_name(st: dict, name: str) -> str:
    return vd.nfc(name.upper() if st["nameCase"] == "upper" else vd.title_case_name(name))


def id_paper_text(rng: random.Random, st: dict, idn: str, dob: dt.date, brief: bool = False) -> str:
    lo = max(dt.date(2016, 1, 1), dt.date(dob.year + 14, dob.month, min(dob.day, 28)))
    issued = vd.rand_date(rng, lo, vd.REF_DATE - dt.timedelta(days=60))
    shown = idn
    if st["split"] == "holdout" and rng.random() < 0.1:
        shown = f"{idn[:3]} {idn[3:6]} {idn[6:9]} {idn[9:]}"
    d = fmt_date(issued, st["dateStyle"] if st["dateStyle"] != "words" else "slash")
    if issued >= dt.date(2024, 7, 1):
        kind, by = rng.choice(["Căn cước", "Căn cước", "Thẻ căn cước"]), "Bộ Công an"
    else:
        kind = rng.choice(["Căn cước công dân", "CCCD", "Thẻ Căn cước công dân"])
        by = rng.choice(["Cục Cảnh sát quản lý hành chính về trật tự xã hội", "Cục Cảnh sát QLHC về TTXH"])
    if brief or rng.random() < 0.2:
        return f"{kind} số {shown}"
    if rng.random() < 0.25:
        return f"{kind} số {shown}, cấp ngày {d}"
    return f"{kind} số {shown} do {by} cấp ngày {d}"


def recipient_for(rng: random.Random, units: vd.Units, addr: vd.Address, police: bool) -> str:
    if addr.district is None:
        ward, prov = addr.ward, addr.province
    else:
        pc, prov, ward = units.current_unit(rng, addr.ward.startswith("Phường"), addr.pcode)
    who = "Công an" if police else vd.wchoice(rng, [("Ủy ban nhân dân", 9), ("UBND", 1)])
    if rng.random() < 0.75:
        return f"{who} {vd.lower_unit(ward)}, {prov}"
    return f"{who} {vd.lower_unit(ward)}"


def signed_place(rng: random.Random, addr: vd.Address) -> str:
    return vd.wchoice(rng, [(addr.ward, 4), (f"{addr.ward}, {addr.province}", 3),
                            (vd.province_short(addr.province), 3)])


def person(rng, units, sex, dob, surname=None, young=False, prov=None):
    name = vd.person_name(rng, sex, surname, young)
    if prov is None:
        prov = rng.choice(units.legacy_provinces)
    return {"name": name, "sex": sex, "dob": dob, "id": vd.id_number(rng, prov, sex, dob)}


def legacy_rate(st):
    return 0.12 if st["split"] == "dev" else 0.2


# --- khai-sinh -------------------------------------------------------------------------------------------

def build_khai_sinh(rng: random.Random, units: vd.Units, st: dict):
    signed = vd.rand_date(rng, vd.REF_DATE - dt.timedelta(days=200), vd.REF_DATE)
    age_days = int(rng.triangular(1, 330, 20))
    child_dob = signed - dt.timedelta(days=age_days)
    template = "04/2024" if rng.random() < 0.65 else "04/2020"
    has_father = rng.random() < 0.92
    f_eth = vd.ethnicity(rng)
    m_eth = f_eth if rng.random() < 0.85 else vd.ethnicity(rng)
    res = vd.address(rng, units, legacy_rate(st))
    home_prov = res.pcode if res.pcode in units.legacy_provinces else rng.choice(units.legacy_provinces)
    m_dob = child_dob.replace(year=child_dob.year - rng.randint(18, 42), day=min(child_dob.day, 28))
    m_dob = vd.rand_date(rng, m_dob - dt.timedelta(days=180), m_dob + dt.timedelta(days=180))
    mother = person(rng, units, "Nữ", m_dob, prov=home_prov if rng.random() < 0.7 else None)
    father = None
    if has_father:
        f_dob = vd.rand_date(rng, dt.date(m_dob.year - 8, 1, 1), dt.date(min(m_dob.year + 3, child_dob.year - 20), 12, 28))
        father = person(rng, units, "Nam", f_dob, prov=home_prov)
    surname = (father or mother)["name"].split()[0]
    child_sex = rng.choice(["Nam", "Nữ"])
    child_name = vd.person_name(rng, child_sex, surname, young=True)
    child_eth = f_eth if has_father else m_eth
    m_res = res
    f_res = res if rng.random() < 0.9 else vd.address(rng, units, legacy_rate(st))
    # requester
    r = rng.random()
    if r < 0.5 or not has_father:
        req, rel, req_res = mother, "Mẹ", m_res
    elif r < 0.9:
        req, rel, req_res = father, rng.choice(["Cha", "Cha", "Bố"]), f_res
    else:
        sex = rng.choice(["Nam", "Nữ"])
        rel = ("Ông " if sex == "Nam" else "Bà ") + rng.choice(["nội", "ngoại"])
        base = father if (rel.endswith("nội") and has_father) else mother
        g_dob = vd.rand_date(rng, dt.date(base["dob"].year - 35, 1, 1), dt.date(base["dob"].year - 19, 12, 28))
        sur = base["name"].split()[0] if sex == "Nam" else None
        req = person(rng, units, sex, g_dob, surname=sur)
        req_res = res
    rec_addr = req_res
    recipient = recipient_for(rng, units, rec_addr, police=False)
    place = signed_place(rng, rec_addr) if rng.random() < 0.93 else None
    # place of birth / hometown
    birth_unit = units.current_unit(rng, None, res.pcode)
    prov_s = vd.province_short(birth_unit[1])
    pob = vd.wchoice(rng, [
        (f"Bệnh viện Phụ sản {prov_s}" if birth_unit[1].startswith("Thành phố") else f"Bệnh viện Sản Nhi {prov_s}", 3),
        (f"Bệnh viện Đa khoa tỉnh {prov_s}" if birth_unit[1].startswith("Tỉnh") else f"Bệnh viện Đa khoa {prov_s}", 3),
        (f"Trạm Y tế {vd.lower_unit(birth_unit[2])}, {birth_unit[1]}", 2),
        (f"Trung tâm Y tế khu vực {birth_unit[2].split(' ', 1)[1]}, {birth_unit[1]}", 1),
        (f"{birth_unit[2]}, {birth_unit[1]}", 1),
    ])
    home = vd.address(rng, units, 0.3 if st["split"] == "dev" else 0.4, with_street=False).text
    nat = "Việt Nam"
    copies_wanted = rng.random() < 0.88
    copies = rng.choice([1, 1, 2, 2, 2, 3, 4]) if copies_wanted else None
    words = vd.date_in_words(rng, child_dob) if rng.random() < 0.6 else None
    words_label = words is not None or st["fillMode"] != "typed" or rng.random() < 0.5

    cn = lambda n: case_name(st, n)
    fields = {
        "recipient": recipient,
        "requester.fullName": cn(req["name"]),
        "requester.dateOfBirth": req["dob"].isoformat() if template == "04/2024" else None,
        "requester.residence": req_res.text,
        "requester.idNumber": req["id"],
        "requester.relationship": rel,
        "child.fullName": cn(child_name),
        "child.dateOfBirth": child_dob.isoformat(),
        "child.sex": child_sex,
        "child.ethnicity": child_eth,
        "child.nationality": nat,
        "child.placeOfBirth": pob,
        "child.hometown": home,
        "mother.fullName": cn(mother["name"]),
        "mother.birthYear": str(mother["dob"].year),
        "mother.ethnicity": m_eth,
        "mother.nationality": nat,
        "mother.residence": m_res.text,
        "father.fullName": cn(father["name"]) if father else None,
        "father.birthYear": str(father["dob"].year) if father else None,
        "father.ethnicity": f_eth if father else None,
        "father.nationality": nat if father else None,
        "father.residence": f_res.text if father else None,
        "signedAt": place,
        "signedDate": signed.isoformat(),
        "copies": str(copies) if copies else None,
    }
    id_text = id_paper_text(rng, st, req["id"], req["dob"])
    layout = {
        "template": template,
        "copiesOneLine": rng.random() < 0.6,
        "copiesPadded": rng.random() < 0.3,
        "boldRequestSentence": rng.random() < 0.4,
        "sigWidth": rng.uniform(0.38, 0.5),
        "blockGap": rng.choice([0.0, 0.0, 0.3]),
    }
    tt = st["tuyThan"]

    def draw(pg: Page, rng: random.Random):
        national_header(pg, st, rng)
        title(pg, "TỜ KHAI ĐĂNG KÝ KHAI SINH", rng)
        kinh_gui(pg, recipient, rng)
        f = fields
        pg.runs([S("Họ, chữ đệm, tên người yêu cầu:"), F(f["requester.fullName"])])
        if template == "04/2024":
            pg.runs([S("Ngày, tháng, năm sinh:")] + date_runs(st, req["dob"], 1.0))
        pg.runs([S("Nơi cư trú:"), F(f["requester.residence"])])
        pg.runs([S(f"Giấy tờ {tt} thân:"), F(id_text)])
        pg.runs([S("Quan hệ với người được khai sinh:"), F(rel)])
        pg.adv(layout["blockGap"])
        pg.paragraph("Đề nghị cơ quan đăng ký khai sinh cho người dưới đây:",
                     "bold" if layout["boldRequestSentence"] else "reg")
        pg.runs([S("Họ, chữ đệm, tên:"), F(f["child.fullName"])])
        dr = [S("Ngày, tháng, năm sinh:")] + date_runs(st, child_dob, 0.4)
        if words_label:
            dr += [S("ghi bằng chữ:"), F(words, 10, 1.0)]
        pg.runs(dr)
        pg.runs([S("Giới tính:"), F(child_sex, 3, 0.6, wrap=False), S("Dân tộc:"), F(child_eth, 4, 1.0), S("Quốc tịch:"),
                 F(nat, 5, 1.0)])
        pg.runs([S("Nơi sinh:"), F(pob)])
        pg.runs([S("Quê quán:"), F(home)])
        pg.adv(layout["blockGap"])
        for who, p, eth, rr in (("mẹ", mother, m_eth, m_res), ("cha", father, f_eth, f_res)):
            key = "mother" if who == "mẹ" else "father"
            pg.runs([S(f"Họ, chữ đệm, tên người {who}:"), F(f[f"{key}.fullName"])])
            pg.runs([S("Năm sinh:"), F(f[f"{key}.birthYear"], 3.5, 0.6, wrap=False), S("Dân tộc:"), F(f[f"{key}.ethnicity"], 4, 1.0),
                     S("Quốc tịch:"), F(f[f"{key}.nationality"], 5, 1.0)])
            pg.runs([S("Nơi cư trú:"), F(f[f"{key}.residence"])])
        pg.adv(layout["blockGap"] * 0.5)
        pg.paragraph("Tôi cam đoan nội dung đề nghị đăng ký khai sinh trên đây là đúng sự thật, được sự thỏa "
                     "thuận nhất trí của các bên liên quan theo quy định pháp luật.", indent_first=pg.size * 2)
        pg.paragraph("Tôi chịu hoàn toàn trách nhiệm trước pháp luật về nội dung cam đoan của mình.",
                     indent_first=pg.size * 2)
        pg.runs(signed_runs(st, place, signed))
        num = (f"{copies:02d}" if layout["copiesPadded"] else str(copies)) if copies else None
        cr = [S("Đề nghị cấp bản sao:"), S("Có", brk=False), Box(copies is not None), S(", Không", brk=False),
              Box(copies is None)]
        qr = [S("Số lượng:"), F(num, 3, 0.0, wrap=False), S("bản", brk=False)]
        if layout["copiesOneLine"]:
            pg.runs(cr + [S(";", brk=False)] + qr)
        else:
            pg.runs(cr)
            pg.runs(qr)
        pg.adv(0.3)
        sw = (pg.right - pg.left) * layout["sigWidth"]
        signature_block(pg, pg.right - sw / 2, sw, "Người yêu cầu", "(Ký, ghi rõ họ, chữ đệm, tên)",
                        vd.title_case_name(req["name"]) if rng.random() < 0.5 else req["name"].upper(), rng)

    return fields, draw, layout


# --- ct01 ------------------------------------------------------------------------------------------------

RELS_TO_HEAD = [("Vợ", 3), ("Chồng", 1.5), ("Con", 5), ("Cháu", 1.5), ("Mẹ", 0.8), ("Bố", 0.5), ("Em", 0.6),
                ("Con dâu", 0.7), ("Con rể", 0.3), ("Anh", 0.3), ("Chị", 0.3)]


def relative(rng, units, head, rel, prov, signed):
    """A household member with a plausible birth date for the relationship; returns (person, rel)."""
    hy = head["dob"]
    latest = signed - dt.timedelta(days=30)
    if rel in ("Con dâu", "Con rể") and hy + dt.timedelta(days=365 * 40) > latest:
        rel = "Con"
    if rel == "Cháu" and hy + dt.timedelta(days=365 * 40) > latest:
        rel = "Con"
    if rel in ("Vợ", "Chồng"):
        sex = "Nữ" if rel == "Vợ" else "Nam"
        dob = vd.rand_date(rng, hy - dt.timedelta(days=365 * 6), hy + dt.timedelta(days=365 * 8))
    elif rel in ("Con", "Con dâu", "Con rể"):
        sex = "Nam" if rel == "Con rể" else "Nữ" if rel == "Con dâu" else rng.choice(["Nam", "Nữ"])
        dob = vd.rand_date(rng, hy + dt.timedelta(days=365 * 20), hy + dt.timedelta(days=365 * 42))
    elif rel == "Cháu":
        sex = rng.choice(["Nam", "Nữ"])
        dob = vd.rand_date(rng, hy + dt.timedelta(days=365 * 40), hy + dt.timedelta(days=365 * 65))
    elif rel in ("Mẹ", "Bố"):
        sex = "Nữ" if rel == "Mẹ" else "Nam"
        dob = vd.rand_date(rng, hy - dt.timedelta(days=365 * 38), hy - dt.timedelta(days=365 * 19))
    else:  # Em, Anh, Chị
        sex = "Nữ" if rel == "Chị" else "Nam" if rel == "Anh" else rng.choice(["Nam", "Nữ"])
        sign = 1 if rel == "Em" else -1
        dob = hy + sign * dt.timedelta(days=rng.randint(365, 365 * 14))
    if dob > latest:
        dob = vd.rand_date(rng, latest - dt.timedelta(days=900), latest)
    earliest = dt.date(1927, 1, 1)
    if dob < earliest:
        dob = vd.rand_date(rng, earliest, earliest + dt.timedelta(days=3000))
    sur = head["name"].split()[0] if rel in ("Con", "Cháu", "Em", "Anh", "Chị", "Bố") else None
    return person(rng, units, sex, dob, surname=sur, young=dob.year >= 2005, prov=prov), rel


def build_ct01(rng: random.Random, units: vd.Units, st: dict):
    signed = vd.rand_date(rng, vd.REF_DATE - dt.timedelta(days=200), vd.REF_DATE)
    variant = "53/2025" if rng.random() < 0.7 else "66/2023"
    addr = vd.address(rng, units, 0.0)
    prov = addr.pcode if addr.pcode in units.legacy_provinces else rng.choice(units.legacy_provinces)
    head_sex = vd.wchoice(rng, [("Nam", 7), ("Nữ", 3)])
    head = person(rng, units, head_sex, vd.adult_dob(rng, 25, 80), prov=prov)
    if rng.random() < 0.35:
        applicant, rel = head, "Chủ hộ"
    else:
        rel = vd.wchoice(rng, RELS_TO_HEAD)
        if rel in ("Vợ", "Chồng"):
            rel = "Vợ" if head_sex == "Nam" else "Chồng"
        applicant, rel = relative(rng, units, head, rel, prov if rng.random() < 0.6 else None, signed)
        # the applicant is the one filling the form: an adult
        if (signed - applicant["dob"]).days < 18 * 365:
            dob = vd.adult_dob(rng, 18, 40)
            rel = "Con" if dob > head["dob"] + dt.timedelta(days=365 * 18) else "Em"
            applicant = person(rng, units, applicant["sex"], dob, surname=head["name"].split()[0], prov=prov)
    ph = vd.phone(rng)
    email = vd.email_for(rng, applicant["name"], applicant["dob"]) if rng.random() < 0.55 else None
    n_members = vd.wchoice(rng, [(1, 4), (2, 3), (3, 2), (4, 1)])
    members = []
    used = {applicant["name"], head["name"]}
    for _ in range(n_members):
        spouse_taken = rel in ("Vợ", "Chồng") or any(x[1] in ("Vợ", "Chồng") for x in members)
        r = vd.wchoice(rng, [x for x in RELS_TO_HEAD if x[0] not in ("Vợ", "Chồng") or not spouse_taken])
        if r in ("Vợ", "Chồng"):
            r = "Vợ" if head_sex == "Nam" else "Chồng"
        m, r = relative(rng, units, head, r, prov, signed)
        if m["name"] in used:
            continue
        used.add(m["name"])
        members.append((m, r))
    if not members:
        m, r = relative(rng, units, head, "Con", prov, signed)
        members.append((m, r))
    head_title = vd.title_case_name(head["name"])
    hon = "ông" if head_sex == "Nam" else "bà"
    kind = vd.wchoice(rng, [("join", 5), ("own", 2), ("newborn", 1), ("split", 1), ("rent", 1)])
    if applicant is head:
        kind = rng.choice(["own", "rent"])
    a_text = addr.text
    if kind == "join":
        request = f"Đăng ký thường trú vào hộ gia đình {hon} {head_title} tại {a_text}"
    elif kind == "own":
        request = f"Đăng ký thường trú tại chỗ ở hợp pháp thuộc quyền sở hữu của bản thân tại {a_text}"
    elif kind == "newborn":
        request = f"Đăng ký thường trú cho con mới sinh vào hộ gia đình {hon} {head_title} tại {a_text}"
    elif kind == "split":
        request = f"Tách hộ từ hộ gia đình {hon} {head_title}, nơi thường trú: {a_text}"
    elif applicant is head:
        request = f"Đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ tại {a_text}"
    else:
        request = (f"Đăng ký thường trú tại chỗ ở hợp pháp do thuê, mượn, ở nhờ tại {a_text}, "
                   f"được chủ hộ {head_title} đồng ý")
    recipient = recipient_for(rng, units, addr, police=True)
    place = signed_place(rng, addr) if variant == "53/2025" else None
    cn = lambda n: case_name(st, n)
    fields = {
        "recipient": recipient,
        "applicant.fullName": cn(applicant["name"]),
        "applicant.dateOfBirth": applicant["dob"].isoformat(),
        "applicant.sex": applicant["sex"],
        "applicant.idNumber": applicant["id"],
        "applicant.phone": ph,
        "applicant.email": email,
        "householdHead.fullName": cn(head["name"]),
        "applicant.relationshipToHead": rel,
        "householdHead.idNumber": head["id"],
        "request": request,
    }
    for i, (m, r) in enumerate(members, 1):
        fields[f"members.{i}.fullName"] = cn(m["name"])
        fields[f"members.{i}.dateOfBirth"] = m["dob"].isoformat()
        fields[f"members.{i}.sex"] = m["sex"]
        fields[f"members.{i}.idNumber"] = m["id"]
        fields[f"members.{i}.relationshipToHead"] = r
    fields["signedAt"] = place
    fields["signedDate"] = signed.isoformat()

    email_shown = email
    if email and rng.random() < 0.12:
        email_shown = email[0].upper() + email[1:]
    cols = [rng.uniform(0.05, 0.07), rng.uniform(0.27, 0.34), rng.uniform(0.14, 0.17), rng.uniform(0.08, 0.1),
            rng.uniform(0.19, 0.23), rng.uniform(0.13, 0.17)]
    layout = {
        "variant": variant,
        "phoneEmailOneLine": rng.random() < 0.6,
        "headRelOneLine": rng.random() < 0.4,
        "dobSexOneLine": rng.random() < 0.9,
        "emptyRows": rng.choice([0, 0, 1, 2, 3]) if n_members < 4 else rng.choice([0, 1]),
        "tableCols": [round(c / sum(cols), 3) for c in cols],
        "noteLine": rng.random() < 0.7,
        "fourSignatures": rng.random() < 0.35,
        "signLineIndent": rng.uniform(0.25, 0.42) if variant == "66/2023" else rng.uniform(0.0, 0.3),
    }
    num = st["numbering"]

    def lab(n, text):
        return f"{n}{num[1:]} {text}"

    def draw(pg: Page, rng: random.Random):
        note = ("Mẫu CT01", f"Ban hành kèm theo Thông tư số {variant}/TT-BCA" if layout["noteLine"] else None)
        national_header(pg, st, rng, note)
        title(pg, "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ", rng)
        kinh_gui(pg, recipient, rng)
        f = fields
        item1 = "Họ, chữ đệm và tên khai sinh:" if variant == "53/2025" else "Họ, chữ đệm và tên:"
        pg.runs([S(lab(1, item1)), F(f["applicant.fullName"])])
        d2 = [S(lab(2, "Ngày, tháng, năm sinh:"))] + date_runs(st, applicant["dob"], 0.6)
        s3 = [S(lab(3, "Giới tính:")), F(applicant["sex"], 3.5, 0.4, wrap=False)]
        if layout["dobSexOneLine"]:
            pg.runs(d2 + s3)
        else:
            pg.runs(d2)
            pg.runs(s3)
        pg.runs([S(lab(4, "Số định danh cá nhân:")), Digits(applicant["id"])])
        p5 = [S(lab(5, "Số điện thoại liên hệ:")), F(vd.format_phone(rng, ph), 8, 1.0, wrap=False)]
        p6 = [S(lab(6, "Email:")), F(email_shown, 8, 1.2, wrap=False)]
        if layout["phoneEmailOneLine"]:
            pg.runs(p5 + p6)
        else:
            pg.runs(p5)
            pg.runs(p6)
        p7 = [S(lab(7, "Họ, chữ đệm và tên chủ hộ:")), F(f["householdHead.fullName"], 8, 1.2)]
        p8 = [S(lab(8, "Mối quan hệ với chủ hộ:")), F(rel, 4, 0.6)]
        if layout["headRelOneLine"]:
            pg.runs(p7 + p8)
        else:
            pg.runs(p7)
            pg.runs(p8)
        pg.runs([S(lab(9, "Số định danh cá nhân của chủ hộ:")), Digits(head["id"])])
        pg.runs([S(lab(10, "Nội dung đề nghị:")), F(request)],
                min_lines=3 if st["fillMode"] == "dots" else 1)
        pg.runs([S(lab(11, "Những thành viên trong hộ gia đình cùng thay đổi:"))])
        pg.adv(0.3)
        W = pg.right - pg.left
        col_w = [c * W for c in layout["tableCols"]]
        header = ["TT", "Họ, chữ đệm và tên", "Ngày, tháng, năm sinh", "Giới tính", "Số định danh cá nhân",
                  "Mối quan hệ với chủ hộ"]
        tstyle = "slash" if st["dateStyle"] in ("words", "slash") else st["dateStyle"]
        rows = [header] + [[str(i), f[f"members.{i}.fullName"], fmt_date(m["dob"], tstyle), m["sex"], m["id"], r]
                           for i, (m, r) in enumerate(members, 1)]
        pg.table(col_w, rows, value_cols={0, 1, 2, 3, 4, 5}, align=["center", "left", "center", "center", "center", "left"],
                 empty_rows=layout["emptyRows"], spacing=min(1.35, st["lineSpacing"]))
        pg.adv(0.2)
        x0 = pg.left + W * layout["signLineIndent"]
        if variant == "53/2025":
            pg.runs(signed_runs(st, place, signed), x0=x0)
        else:
            pg.runs(signed_runs(st, None, signed, with_label=False), x0=x0)
        pg.adv(0.2)
        if layout["fourSignatures"]:
            heads = [("Ý KIẾN CỦA CHỦ HỘ", "(Ghi rõ nội dung, ký, ghi rõ họ tên)", None),
                     ("Ý KIẾN CỦA CHỦ SỞ HỮU HOẶC NGƯỜI ĐƯỢC ỦY QUYỀN", "(Ghi rõ nội dung, ký, ghi rõ họ tên)", None),
                     ("NGƯỜI KÊ KHAI", "(Ký, ghi rõ họ tên)", vd.title_case_name(applicant["name"]))]
        else:
            heads = [("Ý KIẾN CỦA CHỦ HỘ", "(Ghi rõ nội dung, ký, ghi rõ họ tên)",
                      vd.title_case_name(head["name"]) if applicant is not head else None),
                     ("NGƯỜI KÊ KHAI", "(Ký, ghi rõ họ tên)", vd.title_case_name(applicant["name"]))]
        n = len(heads)
        cw = W / n
        y0 = pg.y
        ymax = y0
        for i, (h, nt, name) in enumerate(heads):
            pg.y = y0
            cx = pg.left + cw * (i + 0.5)
            for line in pg.paragraph_lines(h, "smallbold", cw * 0.95):
                pg.center(line, "smallbold", cx - cw / 2, cx + cw / 2)
            for line in pg.paragraph_lines(nt, "smallit", cw * 0.95):
                pg.center(line, "smallit", cx - cw / 2, cx + cw / 2)
            top = pg.y - pg.size * 0.3
            pg.adv(2.2)
            if name:
                pg.signature(cx, top, cw * 0.6)
                if st["fillMode"] == "dots":
                    w = pg.hand_width(name)
                    pg.mark("signer", pg.draw_hand(cx - w / 2, pg.y, name))
                else:
                    x, _ = pg.center(name, "bold", cx - cw / 2, cx + cw / 2, adv=False)
                    pg.mark("signer", pg.text_box(x, name, "bold"))
            pg.adv()
            ymax = max(ymax, pg.y)
        pg.y = ymax
        pg.check()

    return fields, draw, layout


# --- ket-hon ---------------------------------------------------------------------------------------------

def build_ket_hon(rng: random.Random, units: vd.Units, st: dict):
    signed = vd.rand_date(rng, vd.REF_DATE - dt.timedelta(days=200), vd.REF_DATE)
    b_dob = vd.adult_dob(rng, 19, 45, signed) if rng.random() < 0.9 else vd.adult_dob(rng, 45, 70, signed)
    g_lo = max(dt.date(b_dob.year - 12, 1, 1), dt.date(1946, 1, 1))
    g_hi = min(dt.date(b_dob.year + 5, 12, 28), dt.date(signed.year - 21, signed.month, 1))
    g_dob = vd.rand_date(rng, g_lo, g_hi)
    b_res = vd.address(rng, units, legacy_rate(st))
    g_res = b_res if rng.random() < 0.2 else vd.address(rng, units, legacy_rate(st))
    bp = b_res.pcode if b_res.pcode in units.legacy_provinces else None
    gp = g_res.pcode if g_res.pcode in units.legacy_provinces else None
    bride = person(rng, units, "Nữ", b_dob, prov=bp if rng.random() < 0.7 else None)
    groom = person(rng, units, "Nam", g_dob, prov=gp if rng.random() < 0.7 else None)
    g_eth = vd.ethnicity(rng)
    b_eth = g_eth if rng.random() < 0.8 else vd.ethnicity(rng)
    ordin = lambda age: vd.wchoice(rng, [("Lần thứ nhất", 9 if age < 40 else 5), ("Lần thứ hai", 1 if age < 40 else 4),
                                         ("Lần thứ ba", 0.05 if age < 40 else 0.4)])
    b_ord = ordin(signed.year - b_dob.year)
    g_ord = ordin(signed.year - g_dob.year)
    rec_addr = b_res if rng.random() < 0.5 else g_res
    recipient = recipient_for(rng, units, rec_addr, police=False)
    place = signed_place(rng, rec_addr) if rng.random() < 0.95 else None
    cn = lambda n: case_name(st, n)
    fields = {
        "recipient": recipient,
        "bride.fullName": cn(bride["name"]), "groom.fullName": cn(groom["name"]),
        "bride.dateOfBirth": b_dob.isoformat(), "groom.dateOfBirth": g_dob.isoformat(),
        "bride.ethnicity": b_eth, "groom.ethnicity": g_eth,
        "bride.nationality": "Việt Nam", "groom.nationality": "Việt Nam",
        "bride.residence": b_res.text, "groom.residence": g_res.text,
        "bride.idNumber": bride["id"], "groom.idNumber": groom["id"],
        "bride.marriageOrdinal": b_ord, "groom.marriageOrdinal": g_ord,
        "signedAt": place,
        "signedDate": signed.isoformat(),
    }
    brief = rng.random() < 0.4
    b_idt = id_paper_text(rng, st, bride["id"], b_dob, brief)
    g_idt = id_paper_text(rng, st, groom["id"], g_dob, brief)
    c0 = rng.uniform(0.24, 0.33)
    c1 = (1 - c0) * rng.uniform(0.46, 0.54)
    layout = {
        "tableCols": [round(c0, 3), round(c1, 3), round(1 - c0 - c1, 3)],
        "copiesLine": rng.random() < 0.5,
        "valueAlign": rng.choice(["left", "left", "center"]),
        "labelBold": rng.random() < 0.3,
    }
    tstyle = "slash" if st["dateStyle"] in ("words", "slash") else st["dateStyle"]

    def draw(pg: Page, rng: random.Random):
        national_header(pg, st, rng)
        title(pg, "TỜ KHAI ĐĂNG KÝ KẾT HÔN", rng)
        kinh_gui(pg, recipient, rng)
        pg.adv(0.2)
        W = pg.right - pg.left
        f = fields
        rows = [["Thông tin", "Bên nữ", "Bên nam"],
                ["Họ, chữ đệm, tên", f["bride.fullName"], f["groom.fullName"]],
                ["Ngày, tháng, năm sinh", fmt_date(b_dob, tstyle), fmt_date(g_dob, tstyle)],
                ["Dân tộc", b_eth, g_eth],
                ["Quốc tịch", "Việt Nam", "Việt Nam"],
                ["Nơi cư trú", b_res.text, g_res.text],
                [f"Giấy tờ {st['tuyThan']} thân", b_idt, g_idt],
                ["Kết hôn lần thứ mấy", b_ord, g_ord]]
        va = layout["valueAlign"]
        pg.table([c * W for c in layout["tableCols"]], rows, value_cols={1, 2}, align=["left", va, va],
                 spacing=min(1.35, st["lineSpacing"]), pad_em=0.35, min_row_lines=1)
        pg.paragraph("Chúng tôi cam đoan những lời khai trên đây là đúng sự thật, việc kết hôn của chúng tôi là "
                     "tự nguyện, không vi phạm quy định của Luật Hôn nhân và gia đình Việt Nam.",
                     indent_first=pg.size * 2)
        pg.paragraph("Chúng tôi chịu hoàn toàn trách nhiệm trước pháp luật về lời cam đoan của mình.",
                     indent_first=pg.size * 2)
        pg.runs(signed_runs(st, place, signed))
        if layout["copiesLine"]:
            pg.runs([S("Đề nghị cấp bản sao:"), S("Có", brk=False), Box(True), S(", Không", brk=False), Box(False),
                     S(";", brk=False), S("Số lượng:"), F(str(rng.randint(1, 3)), 3, 0.0, wrap=False), S("bản", brk=False)])
        pg.adv(0.4)
        y0 = pg.y
        cw = W / 2
        for i, (h, p) in enumerate((("Bên nữ", bride), ("Bên nam", groom))):
            pg.y = y0
            signature_block(pg, pg.left + cw * (i + 0.5), cw, h, "(Ký, ghi rõ họ, chữ đệm, tên)",
                            vd.title_case_name(p["name"]), rng)

    return fields, draw, layout


BUILDERS = {"khai-sinh": build_khai_sinh, "ct01": build_ct01, "ket-hon": build_ket_hon}
TITLES_OF = {"khai-sinh": "TỜ KHAI ĐĂNG KÝ KHAI SINH", "ct01": "TỜ KHAI THAY ĐỔI THÔNG TIN CƯ TRÚ",
             "ket-hon": "TỜ KHAI ĐĂNG KÝ KẾT HÔN"}
KEYS = {
    "khai-sinh": ["recipient", "requester.fullName", "requester.dateOfBirth", "requester.residence",
                  "requester.idNumber", "requester.relationship", "child.fullName", "child.dateOfBirth", "child.sex",
                  "child.ethnicity", "child.nationality", "child.placeOfBirth", "child.hometown", "mother.fullName",
                  "mother.birthYear", "mother.ethnicity", "mother.nationality", "mother.residence", "father.fullName",
                  "father.birthYear", "father.ethnicity", "father.nationality", "father.residence", "signedAt",
                  "signedDate", "copies"],
    "ct01": ["recipient", "applicant.fullName", "applicant.dateOfBirth", "applicant.sex", "applicant.idNumber",
             "applicant.phone", "applicant.email", "householdHead.fullName", "applicant.relationshipToHead",
             "householdHead.idNumber", "request"],
    "ket-hon": ["recipient", "bride.fullName", "groom.fullName", "bride.dateOfBirth", "groom.dateOfBirth",
                "bride.ethnicity", "groom.ethnicity", "bride.nationality", "groom.nationality", "bride.residence",
                "groom.residence", "bride.idNumber", "groom.idNumber", "bride.marriageOrdinal",
                "groom.marriageOrdinal", "signedAt", "signedDate"],
}


# --- degradation and output -------------------------------------------------------------------------------

def degrade(img: Image.Image, st: dict, nrng: np.random.Generator, rng: random.Random) -> Image.Image:
    color = st["format"] == "png-rgb" or (st["format"] == "jpeg" and st.get("jpegColor"))
    paper = st["paper"]
    if not color:
        img = img.convert("L")
    fill = paper if not color else (paper, paper, paper)
    if st["speckles"]:
        d = ImageDraw.Draw(img)
        W, H = img.size
        for _ in range(st["speckles"]):
            x, y = rng.uniform(0, W), rng.uniform(0, H)
            r = rng.uniform(0.6, 2.6) * st["dpi"] / 300
            v = rng.randint(0, 110)
            d.ellipse([x - r, y - r, x + r, y + r], fill=v if not color else (v, v, v))
    if st["skewDeg"]:
        img = img.rotate(st["skewDeg"], resample=Image.Resampling.BICUBIC, fillcolor=fill)
    if st["blur"]:
        img = img.filter(ImageFilter.GaussianBlur(st["blur"] * st["dpi"] / 300))
    a = np.asarray(img, dtype=np.float32)
    H, W = a.shape[:2]
    for edge in st["border"]:
        depth = (W if edge in ("left", "right") else H) * rng.uniform(0.006, 0.035)
        n = H if edge in ("left", "right") else W
        walk = np.cumsum(nrng.normal(0, 0.6, n))
        walk -= walk.mean()
        widths = np.clip(depth + walk, 2, depth * 3)
        dark = rng.uniform(10, 70)
        if edge == "left":
            m = np.arange(W)[None, :] < widths[:, None]
        elif edge == "right":
            m = np.arange(W)[None, :] >= (W - widths)[:, None]
        elif edge == "top":
            m = np.arange(H)[:, None] < widths[None, :]
        else:
            m = np.arange(H)[:, None] >= (H - widths)[None, :]
        # a lid shadow: darkest at the edge, smooth, a little grain
        depth_idx = (np.arange(W)[None, :] if edge in ("left", "right") else np.arange(H)[:, None])
        dist = depth_idx if edge in ("left", "top") else ((W if edge == "right" else H) - 1 - depth_idx)
        val = dark + 25.0 * np.clip(dist / max(depth, 1.0), 0, 1.5) + nrng.normal(0, 1.0, m.shape)
        if a.ndim == 3:
            a[m] = val[m][:, None]
        else:
            a[m] = val[m]
    if st["noiseSigma"]:
        noise = nrng.normal(0, st["noiseSigma"], (H, W)).astype(np.float32)
        a = a + (noise[:, :, None] if a.ndim == 3 else noise)
    if st["whiteClip"]:
        a = a * (255.0 / st["whiteClipLevel"])
    img = Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))
    if st["rotation"]:
        img = img.rotate(st["rotation"], expand=True)
    return img


def save_page(img: Image.Image, st: dict, path_noext: str) -> str:
    fmt = st["format"]
    d = st["dpi"]
    dpi = {"dpi": (d, d)} if st["dpiInFile"] else {}
    path = f"{path_noext}.{EXT[fmt]}"
    if fmt == "png-gray":
        img.convert("L").save(path, optimize=True, **dpi)
    elif fmt == "png-rgb":
        img.convert("RGB").save(path, optimize=True, **dpi)
    elif fmt == "png-palette":
        img.convert("RGB").quantize(colors=16, method=Image.Quantize.MEDIANCUT).save(path, optimize=True, **dpi)
    elif fmt == "png-gray16":
        a = np.asarray(img.convert("L"), dtype=np.uint16) * 257
        Image.fromarray(a).save(path, **dpi)
    elif fmt == "jpeg":
        im = img.convert("RGB") if st.get("jpegColor") else img.convert("L")
        im.save(path, quality=st["jpegQuality"], optimize=True, **dpi)
    elif fmt == "tiff-g4":
        t = st["g4Threshold"]
        bw = img.convert("L").point(lambda v: 255 if v > t else 0).convert("1", dither=Image.Dither.NONE)
        bw.save(path, compression="group4", dpi=(d, d))
    return path


def plan(rng: random.Random, n: int, split: str, degrade_on: bool):
    """Formats and 90/180 turns for a batch: proportional, but every kind present when the batch allows."""
    if not degrade_on:
        return ["png-gray"] * n, [0] * n
    fmts = [vd.wchoice(rng, FORMAT_WEIGHTS) for _ in range(n)]
    must = ["jpeg", "tiff-g4", "png-gray", "png-rgb", "png-palette", "png-gray16"]
    slots = list(range(n))
    rng.shuffle(slots)
    need = must[: max(0, min(len(must), n - 2))]
    for f in need:
        if f not in fmts:   # take a slot whose format occurs twice, or is not needed
            i = next(i for i in slots if fmts.count(fmts[i]) > 1 or fmts[i] not in need)
            fmts[i] = f
    rate = SPLITS[split]["turnRate"]
    turns = [rng.choice([90, 270, 180]) if rng.random() < rate else 0 for _ in range(n)]
    if n >= 4:
        idx = list(range(n))
        rng.shuffle(idx)
        if not any(t in (90, 270) for t in turns):
            turns[next(i for i in idx if turns[i] != 180)] = rng.choice([90, 270])
        if 180 not in turns:
            turns[next(i for i in idx if turns[i] not in (90, 270) or
                       sum(t in (90, 270) for t in turns) > 1)] = 180
    return fmts, turns


def capture_plan(seed: int, split: str, n: int, forms: list[str], kinds: list[str]):
    """Per document: None (a scan, drawn exactly as without --capture) or {"kind", "rotation", "seal"} for a
    photo/camera capture. Kinds are allotted in proportion to CAPTURE_WEIGHTS (largest remainder), then
    shuffled; upside-down pages are drawn per capture, seals go to the seal rate's share of the captures (rounded at
    random), and a batch of >= 4 captures has at least one upside-down page and both seal and no seal. Its own
    random stream: the scan plan is untouched."""
    if kinds == ["scan"]:
        return [None] * n
    rng = random.Random(f"capture-plan:{seed}/{split}/{n}/{','.join(forms)}/{','.join(kinds)}")
    w = [photo.CAPTURE_WEIGHTS[k] for k in kinds]
    exact = [n * x / sum(w) for x in w]
    counts = [int(e) for e in exact]
    rest = sorted(range(len(kinds)), key=lambda j: (exact[j] - counts[j], rng.random()), reverse=True)
    for j in rest[: n - sum(counts)]:
        counts[j] += 1
    seq = [k for k, c in zip(kinds, counts) for _ in range(c)]
    rng.shuffle(seq)
    pp = photo.PHOTO[split]
    caps = [i for i in range(n) if seq[i] != "scan"]
    upside = {i: rng.random() < pp["upsideDown"] for i in caps}
    order = list(caps)
    rng.shuffle(order)
    n_seal = int(len(caps) * pp["seal"]["rate"] + rng.random())   # the rate, rounded at random
    seal = {i: k < n_seal for k, i in enumerate(order)}
    if len(caps) >= 4:
        if not any(upside.values()):
            upside[order[-1]] = True
        if all(seal.values()) or not any(seal.values()):
            seal[order[1]] = not seal[order[1]]
    return [None if seq[i] == "scan" else {"kind": seq[i], "rotation": 180 if upside[i] else 0, "seal": seal[i]}
            for i in range(n)]


def make_form(units, split, seed, i, form, fmt, turn, degrade_on, out, compact=False, cap=None):
    key = f"{seed}/{split}/{i}/{form}"
    if cap:   # same style draws (the format only selects which of them a scan would keep)
        fmt, turn = "jpeg-photo", cap["rotation"]
    st = sample_style(random.Random("style:" + key), split, fmt, turn, degrade_on, compact)
    if cap:   # the scan effects give way to the capture's own (photo.py)
        st.update({"paper": 255, "dpiInFile": False, "blur": 0.0, "noiseSigma": 0.0, "speckles": 0, "border": [],
                   "whiteClip": False})
        st.pop("whiteClipLevel", None)
    fields, draw_fn, layout = BUILDERS[form](random.Random("doc:" + key), units, st)
    page = fit_page(draw_fn, st, "draw:" + key)
    name = f"{split}-{i + 1:03d}-{form}"
    if cap:
        nrng = np.random.default_rng(random.Random("photo-noise:" + key).getrandbits(64))
        img, info = photo.capture(page.img, page.marks, st, cap["kind"], cap["rotation"], cap["seal"],
                                  fields["recipient"], form, random.Random("photo:" + key), nrng, compact)
        path = os.path.join(out, name + ".jpg")
        photo.save_jpeg(img, info, path)
        st["dpi"] = info["effectiveDpi"]     # the page's real resolution in the stored frame
        st["skewDeg"] = info["rotationDeg"]
        st["jpegQuality"] = info["jpegQuality"]
        st["capture"] = info
    else:
        nrng = np.random.default_rng(random.Random("noise:" + key).getrandbits(64))
        img = degrade(page.img, st, nrng, random.Random("deg:" + key)) if degrade_on else page.img.convert("L")
        path = save_page(img, st, os.path.join(out, name))
    keys = KEYS[form]
    ordered = {k: fields.get(k) for k in keys}
    if form == "ct01":
        for k, v in fields.items():
            if k.startswith("members."):
                ordered[k] = v
        ordered["signedAt"] = fields["signedAt"]
        ordered["signedDate"] = fields["signedDate"]
    ordered = {k: (vd.nfc(" ".join(v.split())) if isinstance(v, str) else v) for k, v in ordered.items()}
    style = dict(st)
    style["layout"] = layout
    style["pageSizePx"] = list(img.size)
    truth = {"form": form, "procedure": PROCEDURES[form], "title": TITLES_OF[form],
             "pages": [os.path.basename(path)], "fields": ordered, "style": style}
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return path


# --- clean text pages --------------------------------------------------------------------------------------

def make_text_page(split, seed, k, out):
    key = f"{seed}/{split}/text/{k}"
    rng = random.Random("text:" + key)
    sp = SPLITS[split]
    st = {
        "split": split, "font": rng.choice(sp["fonts"]), "fontSizePt": round(rng.uniform(11, 13), 1),
        "titleScale": 1.15, "headScale": 1.0, "lineSpacing": round(rng.uniform(1.2, 1.5), 2),
        "marginsMm": [round(rng.uniform(20, 30), 1), 20.0, round(rng.uniform(15, 20), 1), 20.0],
        "dpi": 300, "fillMode": "typed", "handFont": "DejaVu Serif Italic", "handScale": 1.0, "handShear": 0.0,
        "handJitter": 0.0, "handLead": 0.5, "handRaise": 0.1, "dotChar": ".", "typedGap": 1.0,
        "digitBoxEm": 1.3, "paper": 255, "ink": 0, "pen": [0, 0, 0], "format": "png-gray", "dpiInFile": True,
        "degraded": False,
    }
    page = Page(st, rng)
    printed = []
    t = rng.choice(TITLES)
    page.center(t, "title", adv=False)
    printed.append(t)
    page.adv(1.6)
    pool = list(PARAGRAPH_SENTENCES)
    rng.shuffle(pool)
    indent = page.size * rng.choice([0, 1.5, 2.5])
    while pool:
        n = rng.randint(2, 3)
        para = " ".join(pool[:n])
        lines_needed = page.width(para) / (page.right - page.left - indent) + 1.5
        if page.y + page.lh * (lines_needed + 0.4) > page.bottom:
            break
        pool = pool[n:]
        printed += page.paragraph(para, indent_first=indent)
        page.adv(0.4)
    name = f"{split}-text-{k + 1:02d}"
    path = os.path.join(out, name + ".png")
    page.img.convert("L").save(path, optimize=True, dpi=(300, 300))
    with open(os.path.join(out, name + ".txt"), "w", encoding="utf-8") as fh:
        fh.write("\n".join(vd.nfc(p) for p in printed) + "\n")
    truth = {"form": None, "procedure": None, "pages": [name + ".png"], "text": name + ".txt",
             "style": {"split": split, "font": st["font"], "fontSizePt": st["fontSizePt"], "dpi": 300,
                       "lineSpacing": st["lineSpacing"], "marginsMm": st["marginsMm"], "format": "png-gray",
                       "degraded": False, "lines": len(printed)}}
    with open(os.path.join(out, name + ".json"), "w", encoding="utf-8") as fh:
        json.dump(truth, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    return path


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--out", required=True)
    ap.add_argument("--count", type=int, required=True, help="number of form documents")
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--split", choices=["dev", "holdout"], required=True)
    ap.add_argument("--forms", default=",".join(ALL_FORMS))
    ap.add_argument("--text-pages", type=int, default=0)
    ap.add_argument("--no-degrade", action="store_true", help="clean grey PNGs: no skew, turn, noise or border")
    ap.add_argument("--compact", action="store_true",
                    help="cap file sizes (noise <= 4, JPEG q85 grey, PNG/JPEG <= 250 dpi) for committed samples")
    ap.add_argument("--capture", default="scan",
                    help="scan (default: flatbed scans, as always), photo (phone photos on a desk), camera (overhead "
                         "document camera), mixed (per document scan/photo/camera 50/30/20 %%), or a comma list "
                         "of those kinds, e.g. photo,camera (weights renormalised)")
    a = ap.parse_args(argv)
    forms = [f.strip() for f in a.forms.split(",") if f.strip()]
    for f in forms:
        if f not in BUILDERS:
            ap.error(f"unknown form {f!r}; known: {', '.join(ALL_FORMS)}")
    kinds = ["scan", "photo", "camera"] if a.capture == "mixed" else [k.strip() for k in a.capture.split(",")]
    if not kinds or any(k not in photo.CAPTURE_WEIGHTS for k in kinds) or len(set(kinds)) != len(kinds):
        ap.error(f"--capture {a.capture!r}: scan, photo, camera, mixed or a comma list of scan/photo/camera")
    if a.no_degrade and kinds != ["scan"]:
        ap.error("--no-degrade makes clean scans; it does not go with --capture " + a.capture)
    check_fonts()
    os.makedirs(a.out, exist_ok=True)
    units = vd.Units(DATA_DIR)
    prng = random.Random(f"plan:{a.seed}/{a.split}/{a.count}/{','.join(forms)}")
    order = [forms[i % len(forms)] for i in range(a.count)]
    fmts, turns = plan(prng, a.count, a.split, not a.no_degrade)
    caps = capture_plan(a.seed, a.split, a.count, forms, kinds)
    for i in range(a.count):
        p = make_form(units, a.split, a.seed, i, order[i], fmts[i], turns[i], not a.no_degrade, a.out, a.compact,
                      caps[i])
        print(p, flush=True)
    for k in range(a.text_pages):
        print(make_text_page(a.split, a.seed, k, a.out), flush=True)


if __name__ == "__main__":
    main()
