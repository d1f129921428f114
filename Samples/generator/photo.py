"""Phone-photo and document-camera captures of a rendered page (generate.py --capture; Samples/README.md,
"Photo and camera captures").

capture() takes the upright page as rendered for a scan (same data, fonts and layout) and returns the colour
frame a phone or an overhead document camera would store, with the truth's `style.capture` block. Everything
here draws from its own random streams (`photo:` and `photo-noise:` keys in generate.py), never from the
scan's, so adding captures leaves every scan byte-identical.
"""
from __future__ import annotations

import math
import random

import numpy as np
from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

from render import FONT_DIR

A4_W_MM, A4_H_MM = 210.0, 297.0
CORNER_NAMES = ["TL", "TR", "BR", "BL"]

# per-document capture kinds for --capture mixed (README: 50/30/20 %)
CAPTURE_WEIGHTS = {"scan": 50, "photo": 30, "camera": 20}

# --- parameter ranges per split (README table "Photo and camera captures: dev vs holdout") -------------------

PHOTO = {
    "dev": {
        "photo": {
            "dpi": (170, 225), "keystone": (0.01, 0.06), "rot": 8.0, "cutRate": 0.0, "cutMax": 0.0,
            "fill": (0.76, 0.93), "aspect": [(0.75, 1)],
            "backgrounds": [("wood", 3), ("dark-mat", 2), ("grey-table", 3), ("cloth", 2)],
            "blur": (0.35, 0.9), "blurTilt": 0.0, "gradient": (0.05, 0.2),
            "shadowRate": 0.6, "shadows": [("blob", 1)], "shadowDark": (0.10, 0.26),
            "vignette": (0.04, 0.2), "noise": (1.2, 3.0), "quality": (68, 85), "noDensityRate": 0.4,
            "cast": 0.035, "blackLift": (8, 20), "exposure": (0.93, 1.02),
        },
        "camera": {
            "dpi": (150, 185), "keystone": (0.0, 0.02), "rot": 2.0, "cutRate": 0.0, "cutMax": 0.0,
            "fill": (0.86, 0.95), "aspect": [(4 / 3, 1)],
            "backgrounds": [("black-mat", 1), ("grey-mat", 1)],
            "blur": (0.3, 0.65), "blurTilt": 0.0, "gradient": (0.08, 0.22),
            "shadowRate": 0.0, "shadows": [("blob", 1)], "shadowDark": (0.0, 0.0),
            "vignette": (0.05, 0.15), "noise": (0.8, 2.0), "quality": (70, 85), "noDensityRate": 0.0,
            "cast": 0.02, "blackLift": (10, 22), "exposure": (0.92, 1.0), "lamp": True,
        },
        "paper": [("white", (250, 249, 246), 4), ("warm", (251, 245, 233), 3), ("cream", (248, 240, 222), 2)],
        "seal": {"rate": 0.5, "designs": [("ring-text", 1)],
                 "colors": [((205, 32, 42), 2), ((190, 24, 36), 1), ((215, 48, 52), 1)],
                 "opacity": (0.55, 0.8), "diamMm": (32.0, 38.0),
                 "fonts": ["dejavu/DejaVuSansCondensed-Bold.ttf"]},
        "upsideDown": 0.1,
    },
    "holdout": {
        "photo": {
            "dpi": (150, 210), "keystone": (0.03, 0.14), "rot": 12.0, "cutRate": 0.25, "cutMax": 0.03,
            "fill": (0.70, 0.94), "aspect": [(0.75, 3), (0.5625, 1)],
            "backgrounds": [("dark-wood", 2), ("green-mat", 2), ("granite", 2), ("plaid", 2), ("white-table", 1)],
            "blur": (0.5, 1.5), "blurTilt": 0.6, "gradient": (0.1, 0.35),
            "shadowRate": 0.7, "shadows": [("blob", 2), ("band", 1), ("side", 1)], "shadowDark": (0.12, 0.38),
            "vignette": (0.05, 0.35), "noise": (2.0, 5.0), "quality": (60, 80), "noDensityRate": 0.5,
            "cast": 0.06, "blackLift": (10, 30), "exposure": (0.88, 1.03),
        },
        "camera": {
            "dpi": (150, 175), "keystone": (0.005, 0.03), "rot": 3.0, "cutRate": 0.0, "cutMax": 0.0,
            "fill": (0.84, 0.96), "aspect": [(4 / 3, 2), (16 / 9, 1)],
            "backgrounds": [("blue-grey-mat", 1), ("dark-green-mat", 1), ("felt", 1)],
            "blur": (0.4, 0.9), "blurTilt": 0.0, "gradient": (0.12, 0.32),
            "shadowRate": 0.3, "shadows": [("band", 1)], "shadowDark": (0.08, 0.2),
            "vignette": (0.08, 0.25), "noise": (1.2, 3.0), "quality": (62, 82), "noDensityRate": 0.0,
            "cast": 0.045, "blackLift": (12, 28), "exposure": (0.88, 1.0), "lamp": True,
        },
        "paper": [("white", (248, 248, 245), 3), ("warm", (250, 243, 228), 2), ("cream", (246, 236, 212), 2),
                  ("greyish", (234, 234, 229), 2), ("recycled", (238, 229, 206), 1), ("cool", (239, 243, 248), 1)],
        "seal": {"rate": 0.5, "designs": [("two-arcs", 1), ("dotted-ring", 1)],
                 "colors": [((168, 16, 44), 1), ((226, 72, 46), 1), ((200, 30, 86), 1), ((182, 34, 30), 1)],
                 "opacity": (0.4, 0.85), "diamMm": (30.0, 42.0),
                 "fonts": ["noto/NotoSans-Bold.ttf", "dejavu/DejaVuSerifCondensed-Bold.ttf"]},
        "upsideDown": 0.1,
    },
}

# size caps for committed samples (--compact): smaller frames, less grain, lower quality
COMPACT = {"dpi": {"photo": 172, "camera": 156}, "noise": 1.0, "quality": 68, "fill": 0.84}


def wchoice(rng: random.Random, items):
    tot = sum(w for *_, w in items)
    r = rng.uniform(0, tot)
    for it in items:
        r -= it[-1]
        if r <= 0:
            return it[0] if len(it) == 2 else it[:-1]
    return items[-1][0] if len(items[-1]) == 2 else items[-1][:-1]


# --- numeric helpers -------------------------------------------------------------------------------------------

def smooth(nrng: np.random.Generator, H: int, W: int, cell: float, aspect: float = 1.0) -> np.ndarray:
    """Smooth zero-mean unit-variance noise with features about `cell` px (`aspect` > 1 stretches along x)."""
    h = max(2, int(H / cell) + 2)
    w = max(2, int(W / (cell * aspect)) + 2)
    a = nrng.standard_normal((h, w)).astype(np.float32)
    im = Image.fromarray(a).resize((W, H), Image.Resampling.BICUBIC)
    out = np.asarray(im, dtype=np.float32)
    sd = float(out.std()) or 1.0
    return (out - float(out.mean())) / sd


def upsample(a: np.ndarray, W: int, H: int) -> np.ndarray:
    return np.asarray(Image.fromarray(a.astype(np.float32)).resize((W, H), Image.Resampling.BILINEAR),
                      dtype=np.float32)


def homography(src, dst) -> np.ndarray:
    """3x3 matrix mapping the four src points onto the four dst points."""
    A, b = [], []
    for (x, y), (u, v) in zip(src, dst):
        A.append([x, y, 1, 0, 0, 0, -x * u, -y * u])
        A.append([0, 0, 0, x, y, 1, -x * v, -y * v])
        b += [u, v]
    h = np.linalg.solve(np.array(A, dtype=np.float64), np.array(b, dtype=np.float64))
    return np.append(h, 1.0).reshape(3, 3)


def apply_h(Hm: np.ndarray, pts) -> np.ndarray:
    p = np.asarray(pts, dtype=np.float64)
    q = np.c_[p, np.ones(len(p))] @ Hm.T
    return q[:, :2] / q[:, 2:3]


# --- backgrounds (float32 H x W x 3, 0..255) -----------------------------------------------------------------

def _tint(base, jitter, rng):
    return np.array([max(0, min(255, c + rng.uniform(-jitter, jitter))) for c in base], dtype=np.float32)


def background(kind: str, H: int, W: int, dpi: float, rng: random.Random, nrng: np.random.Generator) -> np.ndarray:
    mm = dpi / 25.4
    fine = nrng.standard_normal((H, W)).astype(np.float32)
    if kind in ("wood", "dark-wood"):
        if kind == "wood":
            base = _tint(rng.choice([(176, 126, 80), (150, 102, 64), (190, 150, 105)]), 10, rng)
            period, amp = rng.uniform(4, 9) * mm, 0.09
        else:
            base = _tint(rng.choice([(92, 60, 40), (118, 68, 46), (140, 122, 104)]), 8, rng)
            period, amp = rng.uniform(2, 5) * mm, 0.13
        vertical = rng.random() < 0.5
        HH, WW = (W, H) if vertical else (H, W)   # grain runs along x of this frame
        y = np.arange(HH, dtype=np.float32)[:, None]
        warp = smooth(nrng, HH, WW, 30 * mm, aspect=4.0) * 1.6
        rings = np.sin(2 * math.pi * (y / period + warp))
        streak = smooth(nrng, HH, WW, 0.6 * mm, aspect=40.0)
        plank = rng.uniform(90, 160) * mm
        off = rng.uniform(0, plank)
        idx = np.floor((y + off) / plank).astype(np.int32)
        tones = np.array([rng.uniform(-0.07, 0.07) for _ in range(int(HH / plank) + 3)], dtype=np.float32)
        seam = (np.abs(((y + off) % plank)) < max(1.5, 0.4 * mm)).astype(np.float32)
        v = 1 + amp * rings + 0.05 * streak + tones[idx] - 0.35 * seam
        if vertical:
            v = v.T
        out = base[None, None, :] * v[:, :, None]
    elif kind in ("dark-mat", "black-mat", "felt", "blue-grey-mat", "dark-green-mat"):
        base = {"dark-mat": (44, 44, 48), "black-mat": (26, 26, 28), "felt": (38, 34, 34),
                "blue-grey-mat": (58, 66, 80), "dark-green-mat": (34, 62, 50)}[kind]
        base = _tint(base, 6, rng)
        grain = 3.0 if kind != "felt" else 7.0
        v = 1 + 0.05 * smooth(nrng, H, W, 25 * mm)
        out = base[None, None, :] * v[:, :, None] + (grain * fine)[:, :, None]
    elif kind in ("grey-table", "grey-mat", "white-table"):
        base = {"grey-table": (186, 184, 180), "grey-mat": (112, 112, 114), "white-table": (230, 229, 224)}[kind]
        base = _tint(base, 10 if kind != "white-table" else 5, rng)
        v = 1 + 0.03 * smooth(nrng, H, W, 40 * mm) + 0.012 * smooth(nrng, H, W, 3 * mm)
        out = base[None, None, :] * v[:, :, None] + (1.5 * fine)[:, :, None]
    elif kind == "cloth":
        base = _tint(rng.choice([(40, 52, 96), (120, 40, 44), (190, 170, 140), (60, 96, 70)]), 12, rng)
        p = rng.uniform(0.8, 1.6) * mm
        x = np.arange(W, dtype=np.float32)[None, :]
        y = np.arange(H, dtype=np.float32)[:, None]
        weave = 0.5 * (np.sin(2 * math.pi * x / p) * np.sign(np.sin(math.pi * y / p)) + np.sin(2 * math.pi * y / p))
        folds = smooth(nrng, H, W, 35 * mm)
        v = 1 + 0.06 * weave + 0.1 * folds
        out = base[None, None, :] * v[:, :, None] + (4.0 * fine)[:, :, None]
    elif kind == "plaid":
        c1 = _tint(rng.choice([(150, 40, 40), (40, 70, 120), (70, 110, 70)]), 12, rng)
        c2 = _tint(rng.choice([(220, 210, 190), (30, 30, 40), (200, 170, 80)]), 12, rng)
        per = rng.uniform(10, 22) * mm
        x = np.arange(W, dtype=np.float32)[None, :]
        y = np.arange(H, dtype=np.float32)[:, None]
        sx = (np.sin(2 * math.pi * x / per) > 0.3).astype(np.float32)
        sy = (np.sin(2 * math.pi * y / per) > 0.3).astype(np.float32)
        m = np.clip(0.5 * sx + 0.5 * sy, 0, 1)
        m = np.asarray(Image.fromarray((m * 255).astype(np.uint8)).filter(ImageFilter.GaussianBlur(0.3 * mm)),
                       dtype=np.float32) / 255.0
        folds = smooth(nrng, H, W, 35 * mm)
        out = (c1[None, None, :] * (1 - m[:, :, None]) + c2[None, None, :] * m[:, :, None])
        out = out * (1 + 0.09 * folds)[:, :, None] + (5.0 * fine)[:, :, None]
    elif kind == "green-mat":
        base = _tint((44, 112, 84), 8, rng)
        line = _tint((150, 190, 170), 10, rng)
        step = 10 * mm
        ox, oy = rng.uniform(0, step), rng.uniform(0, step)
        x = np.arange(W, dtype=np.float32)[None, :]
        y = np.arange(H, dtype=np.float32)[:, None]
        t = max(1.0, 0.25 * mm)
        gx = np.abs(((x + ox + step / 2) % step) - step / 2) < t
        gy = np.abs(((y + oy + step / 2) % step) - step / 2) < t
        bx = np.abs(((x + ox + 2.5 * step) % (5 * step)) - 2.5 * step) < 2 * t
        by = np.abs(((y + oy + 2.5 * step) % (5 * step)) - 2.5 * step) < 2 * t
        m = ((gx | gy) * 0.6 + (bx | by) * 0.4).astype(np.float32)
        m = np.clip(m, 0, 1)
        out = base[None, None, :] * (1 - m[:, :, None]) + line[None, None, :] * m[:, :, None]
        out = out * (1 + 0.03 * smooth(nrng, H, W, 30 * mm))[:, :, None] + (2.5 * fine)[:, :, None]
    elif kind == "granite":
        base = _tint(rng.choice([(150, 146, 140), (120, 112, 104), (170, 160, 150)]), 10, rng)
        s1 = smooth(nrng, H, W, 1.2 * mm)
        s2 = smooth(nrng, H, W, 4 * mm)
        dark = (s1 > 1.3).astype(np.float32) * 0.35
        light = (s1 < -1.6).astype(np.float32) * 0.2
        v = 1 + 0.07 * s2 - dark + light
        out = base[None, None, :] * v[:, :, None] + (6.0 * fine)[:, :, None]
    else:
        raise ValueError(kind)
    return out.astype(np.float32)


# --- seal ------------------------------------------------------------------------------------------------------

def seal_texts(recipient: str, form: str) -> tuple[str, str | None, str]:
    """(authority, province or None, unit) in upper case from the recipient line."""
    r = recipient.strip()
    who = "CÔNG AN" if r.startswith("Công an") else "ỦY BAN NHÂN DÂN"
    for pre in ("Ủy ban nhân dân ", "UBND ", "Công an "):
        if r.startswith(pre):
            r = r[len(pre):]
            break
    parts = [p.strip() for p in r.split(",")]
    unit = parts[0].upper()
    prov = parts[1].upper() if len(parts) > 1 else None
    return who, prov, unit


def _star(d: ImageDraw.ImageDraw, cx, cy, r, rot_deg, fill=255):
    pts = []
    for k in range(10):
        a = math.radians(-90 + rot_deg + k * 36)
        rr = r if k % 2 == 0 else r * 0.382
        pts.append((cx + rr * math.cos(a), cy + rr * math.sin(a)))
    d.polygon(pts, fill=fill)


def _arc_text(img: Image.Image, text: str, font_path: str, cx, cy, rb, start_deg, span_deg, outward: bool,
              max_px: float):
    """Writes text along a circle of baseline radius rb. outward: tops point away from the centre and the text
    runs clockwise from start_deg; otherwise tops point to the centre and it runs counter-clockwise (left to
    right along the bottom). Letters are spread evenly over span_deg; the font shrinks until they fit."""
    span = math.radians(span_deg) * rb
    px = max_px
    while True:
        f = ImageFont.truetype(f"{FONT_DIR}/{font_path}", max(6, int(px)))
        ws = [f.getlength(c) for c in text]
        if sum(ws) * 1.08 <= span or px < 7:
            break
        px *= 0.94
    track = min(max(0.0, (span - sum(ws)) / max(1, len(text))), 0.5 * px)
    tile = int(px * 2.4)
    cum = track / 2 + (span - len(text) * track - sum(ws)) / 2   # centred in the span
    sgn = 1 if outward else -1
    for c, w in zip(text, ws):
        if c != " ":
            phi = math.radians(start_deg) + sgn * (cum + w / 2) / rb
            t = Image.new("L", (tile, tile), 0)
            # baseline at the tile centre; an outward letter sits above it, an inward one below the outer edge
            ImageDraw.Draw(t).text((tile / 2, tile / 2), c, font=f, fill=255, anchor="ms")
            deg = math.degrees(phi)
            t = t.rotate(-(deg + 90) if outward else -(deg - 90), resample=Image.Resampling.BICUBIC)
            bx, by = cx + rb * math.cos(phi), cy + rb * math.sin(phi)
            img.paste(255, (int(round(bx - tile / 2)), int(round(by - tile / 2))), t)
        cum += w + track


def draw_seal(D: int, design: str, who: str, prov: str | None, unit: str, font_path: str,
              rng: random.Random, nrng: np.random.Generator) -> np.ndarray:
    """Ink density 0..1 of a round official seal, D x D px."""
    img = Image.new("L", (D, D), 0)
    d = ImageDraw.Draw(img)
    c = D / 2
    R = D / 2 - 1
    rot = rng.uniform(-30, 30)
    if design == "ring-text":
        w1 = D * rng.uniform(0.03, 0.045)
        d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=max(2, round(w1)))
        r2 = R * rng.uniform(0.64, 0.7)
        w2 = max(1, round(D * 0.016))
        d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=w2)
        band = R - w1 - r2
        text = f"{who} {unit}" + (f" - {prov}" if prov and len(who) + len(unit) + len(prov) < 34 else "")
        gap = 44
        _arc_text(img, text, font_path, c, c, r2 + band * 0.14 + w2, 90 + gap / 2 + rot, 360 - gap, True,
                  band * 0.76)
        _star(d, c + (r2 + band * 0.45) * math.cos(math.radians(90 + rot)),
              c + (r2 + band * 0.45) * math.sin(math.radians(90 + rot)), band * 0.3, rot)
        _star(d, c, c, r2 * rng.uniform(0.42, 0.55), rot)
    elif design == "two-arcs":
        w1 = D * rng.uniform(0.035, 0.055)
        d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=max(2, round(w1)))
        ri = R - w1 - D * 0.02
        d.ellipse([c - ri, c - ri, c + ri, c + ri], outline=255, width=max(1, round(D * 0.01)))
        r2 = R * rng.uniform(0.6, 0.66)
        d.ellipse([c - r2, c - r2, c + r2, c + r2], outline=255, width=max(1, round(D * 0.018)))
        band = ri - r2
        top = f"{who} {prov}" if prov and len(who) + len(prov) < 26 else who
        _arc_text(img, top, font_path, c, c, r2 + band * 0.16, 180 + 15 + rot, 150, True, band * 0.74)
        _arc_text(img, unit, font_path, c, c, ri - band * 0.16, 180 - 15 + rot, 150, False, band * 0.74)
        for a in (180 + rot, rot):
            _star(d, c + (r2 + band / 2) * math.cos(math.radians(a)),
                  c + (r2 + band / 2) * math.sin(math.radians(a)), band * 0.26, rot)
        _star(d, c, c, r2 * rng.uniform(0.38, 0.5), rot)
    else:  # dotted-ring
        w1 = D * rng.uniform(0.025, 0.04)
        d.ellipse([c - R, c - R, c + R, c + R], outline=255, width=max(2, round(w1)))
        r2 = R * rng.uniform(0.66, 0.72)
        dot = max(1.2, D * 0.009)
        for k in range(72):
            a = 2 * math.pi * k / 72
            d.ellipse([c + r2 * math.cos(a) - dot, c + r2 * math.sin(a) - dot,
                       c + r2 * math.cos(a) + dot, c + r2 * math.sin(a) + dot], fill=255)
        band = R - w1 - r2
        text = f"{who} {unit}" + (f" * {prov}" if prov else "")
        _arc_text(img, text, font_path, c, c, r2 + band * 0.16 + dot, 90 + 12 + rot, 336, True, band * 0.72)
        _star(d, c, c - r2 * 0.08, r2 * rng.uniform(0.34, 0.44), rot)
        y = c + r2 * 0.45
        d.line([c - r2 * 0.45, y, c + r2 * 0.45, y], fill=255, width=max(1, round(D * 0.012)))
    m = np.asarray(img.filter(ImageFilter.GaussianBlur(max(0.4, D / 500))), dtype=np.float32) / 255.0
    # uneven stamp ink: patches, a pressure ramp, small voids
    tex = 0.88 + 0.25 * smooth(nrng, D, D, D / 10) + 0.1 * smooth(nrng, D, D, D / 45)
    a = math.radians(rng.uniform(0, 360))
    yy, xx = np.mgrid[0:D, 0:D].astype(np.float32) / D - 0.5
    tex *= 1 - rng.uniform(0.1, 0.35) * (0.5 + xx * math.cos(a) + yy * math.sin(a))
    tex = np.clip(tex, 0.2, 1.0)
    tex[nrng.random((D, D)) < 0.015] *= 0.3
    return m * tex


def place_seal(marks, D: float, W: int, H: int, mm: float, rng: random.Random):
    """Centre for a seal of diameter D over a scribble and part of the signer name, clear of every value."""
    values = [b for k, b in marks if k == "value"]
    sigs = [b for k, b in marks if k == "signature"]
    names = [b for k, b in marks if k == "signer"]
    if not sigs:
        return None
    order = list(range(len(sigs)))
    rng.shuffle(order)
    pad = 1.2 * mm

    def hits(cx, cy, r, b):
        dx = max(b[0] - cx, 0.0, cx - b[2])
        dy = max(b[1] - cy, 0.0, cy - b[3])
        return dx * dx + dy * dy < r * r

    for need_name in (True, False):
        for scale in (1.0, 0.9, 0.8):
            R = D * scale / 2
            for si in order:
                s = sigs[si]
                sx, sy = (s[0] + s[2]) / 2, (s[1] + s[3]) / 2
                name = min(names, key=lambda b: abs((b[0] + b[2]) / 2 - sx) + abs(b[1] - s[3]), default=None)
                for _ in range(60):
                    cx = s[0] + rng.uniform(-0.1, 0.45) * 2 * R
                    cy = sy + rng.uniform(0.0, 0.45) * 2 * R
                    if cx - R < 4 * mm or cx + R > W - 4 * mm or cy - R < 4 * mm or cy + R > H - 4 * mm:
                        continue
                    if not hits(cx, cy, R * 0.9, s):
                        continue
                    if need_name and (name is None or not hits(cx, cy, R * 0.92, name)):
                        continue
                    if any(hits(cx, cy, R + pad, b) for b in values):
                        continue
                    return cx, cy, 2 * R
    return None


# --- the capture ---------------------------------------------------------------------------------------------

def capture(page: Image.Image, marks, st: dict, kind: str, turn: int, want_seal: bool, recipient: str, form: str,
            rng: random.Random, nrng: np.random.Generator, compact: bool = False):
    """Returns (RGB frame, capture dict, save options)."""
    split = st["split"]
    P = PHOTO[split]
    cp = P[kind]
    u = rng.uniform
    # every parameter drawn up front, in one order
    eff = rng.randint(*cp["dpi"])
    keystone = u(*cp["keystone"])
    rot = u(-cp["rot"], cp["rot"])
    tilt = (u(-1, 1), u(-1, 1))
    jitter = [(u(-1, 1), u(-1, 1)) for _ in range(4)]
    fill = u(*cp["fill"])
    aspect = wchoice(rng, cp["aspect"])
    placement = (u(0.15, 0.85), u(0.15, 0.85))
    cut = rng.random() < cp["cutRate"]
    cut_side, cut_axis, cut_frac = rng.randrange(2), rng.randrange(2), u(0.008, max(0.008, cp["cutMax"]))
    bg_kind = wchoice(rng, cp["backgrounds"])
    paper_name, paper_rgb = wchoice(rng, [(n, c, w) for n, c, w in P["paper"]])
    paper_rgb = tuple(int(max(0, min(255, v + u(-2, 2)))) for v in paper_rgb)
    blur = u(*cp["blur"])
    blur_tilt = u(0, cp["blurTilt"]) if cp["blurTilt"] and rng.random() < 0.5 else 0.0
    grad = u(*cp["gradient"])
    grad_dir = u(0, 360)
    shadow_on = rng.random() < cp["shadowRate"]
    shadow_kind = wchoice(rng, cp["shadows"])
    shadow_dark = u(*cp["shadowDark"]) if cp["shadowDark"][1] else 0.0
    shadow_geo = [u(0, 1) for _ in range(6)]
    vign = u(*cp["vignette"])
    noise = u(*cp["noise"])
    quality = rng.randint(*cp["quality"])
    header_dpi = None if rng.random() < cp["noDensityRate"] else 72
    temp, tint = u(-cp["cast"], cp["cast"]), u(-0.3, 0.3) * cp["cast"]
    if cp.get("lamp"):   # a warm lamp
        temp = abs(temp) + 0.015
    cast = (1 + temp, 1 + tint, 1 - temp)   # warm (red up, blue down) or cool; a slight green/magenta tint
    lift = u(*cp["blackLift"])
    exposure = u(*cp["exposure"])
    drop = (u(0.15, 0.4), u(-1, 1), u(0.3, 1.0))
    sp = P["seal"]
    seal_design = wchoice(rng, sp["designs"])
    seal_rgb = tuple(int(max(0, min(255, v + u(-8, 8)))) for v in wchoice(rng, sp["colors"]))
    seal_op = u(*sp["opacity"])
    seal_d = u(*sp["diamMm"])
    seal_font = rng.choice(sp["fonts"])
    pen_uneven = u(0.12, 0.25)
    if compact:
        eff = min(eff, COMPACT["dpi"][kind])
        noise = min(noise, COMPACT["noise"])
        quality = min(quality, COMPACT["quality"])
        fill = max(fill, COMPACT["fill"]) if kind == "photo" else fill

    render_dpi = st["dpi"]
    s = eff / render_dpi
    Wp, Hp = max(1, round(page.width * s)), max(1, round(page.height * s))
    pg = page.resize((Wp, Hp), Image.Resampling.LANCZOS)
    mm = eff / 25.4
    a = np.asarray(pg, dtype=np.float32).copy()

    # ballpoint: blue pen strokes slightly uneven in darkness
    r, g, b = a[:, :, 0], a[:, :, 1], a[:, :, 2]
    blue = (b - r > 30) & (b - g > 18)
    if blue.any():
        f = np.clip(1 + pen_uneven * smooth(nrng, Hp, Wp, 1.8 * mm), 0.55, 1.15)
        dark = 255.0 - a
        a = np.where(blue[:, :, None], 255.0 - dark * f[:, :, None], a)

    # seal, multiplied over the signature block
    seal = None
    if want_seal:
        sm = [(k, tuple(v * s for v in box)) for k, box in marks]
        where = place_seal(sm, seal_d * mm, Wp, Hp, mm, rng)
        if where:
            cx, cy, D = where
            Di = int(round(D))
            who, prov, unit = seal_texts(recipient, form)
            ink = draw_seal(Di, seal_design, who, prov, unit, seal_font, rng, nrng) * seal_op
            x0, y0 = int(round(cx - Di / 2)), int(round(cy - Di / 2))
            reg = a[y0:y0 + Di, x0:x0 + Di]
            col = np.array(seal_rgb, dtype=np.float32) / 255.0
            reg *= 1 - ink[: reg.shape[0], : reg.shape[1], None] * (1 - col[None, None, :])
            seal = {"design": seal_design, "rgb": list(seal_rgb), "opacity": round(seal_op, 2),
                    "diameterMm": round(Di / mm, 1), "font": seal_font.split("/")[-1],
                    "text": [who, unit] + ([prov] if prov else []),
                    "boxMm": [round(v / mm, 1) for v in (x0, y0, x0 + Di, y0 + Di)],
                    "_centre": (cx, cy, Di / 2)}
    # paper tone
    a *= np.array(paper_rgb, dtype=np.float32)[None, None, :] / 255.0
    pg = Image.fromarray(np.clip(a + 0.5, 0, 255).astype(np.uint8))

    # where the page lies in the frame: rotate, tilt (keystone), move corners, normalise to the target dpi
    Wt = A4_W_MM * mm   # the page width the frame must show
    src = [(0, 0), (Wp, 0), (Wp, Hp), (0, Hp)]
    base = np.array([(-Wp / 2, -Hp / 2), (Wp / 2, -Hp / 2), (Wp / 2, Hp / 2), (-Wp / 2, Hp / 2)], dtype=np.float64)
    # keystone: opposite edges differ in length by up to `keystone` of the page width; the farthest corner
    # moves by keystone/2 of the width (a tilt in each direction plus a little independent corner play)
    k = keystone * Wp / 2
    a_, b_ = tilt[0] * k / 2, tilt[1] * k / 2
    # vertical tilt: top edge narrower, bottom wider (or the reverse); horizontal tilt: left vs right edge
    disp = np.array([(a_, b_), (-a_, -b_), (a_, b_), (-a_, -b_)], dtype=np.float64)
    for i, (jx, jy) in enumerate(jitter):
        disp[i] += (jx * 0.2 * k, jy * 0.2 * k)
    n = np.linalg.norm(disp, axis=1).max()
    if n > 0:   # the farthest corner moves by exactly the drawn keystone
        disp *= k / n
    q = base + disp
    th_r = math.radians(rot + turn)
    R = np.array([[math.cos(th_r), math.sin(th_r)], [-math.sin(th_r), math.cos(th_r)]])
    q = q @ R.T
    mean_w = (np.linalg.norm(q[1] - q[0]) + np.linalg.norm(q[2] - q[3])) / 2
    q *= Wt / mean_w
    edges = [float(np.linalg.norm(q[(i + 1) % 4] - q[i])) for i in range(4)]   # top, right, bottom, left

    bx0, by0 = q.min(axis=0)
    bx1, by1 = q.max(axis=0)
    bw, bh = bx1 - bx0, by1 - by0
    if aspect < 1:   # portrait phone frame
        FH = bh / fill
        FW = FH * aspect
        if bw > 0.96 * FW:
            FW = bw / u(0.86, 0.96)
            FH = FW / aspect
    else:            # landscape camera frame, the portrait page across most of its height
        FH = bh / fill
        FW = max(FH * aspect, bw / 0.9)
    FW, FH = int(round(FW)), int(round(FH))
    if kind == "camera":   # the page lies on the camera's stage, near the middle of the view
        placement = tuple(0.5 + (p - 0.5) * 0.4 for p in placement)
    q[:, 0] += (FW - bw) * placement[0] - bx0
    q[:, 1] += (FH - bh) * placement[1] - by0

    # ink extent on the page (a corner may leave the frame, the text never)
    small = np.asarray(pg.convert("L").reduce(4), dtype=np.uint8)
    ys, xs = np.nonzero(small < 200)
    ink = [(xs.min() * 4, ys.min() * 4), (xs.max() * 4 + 4, ys.min() * 4), (xs.max() * 4 + 4, ys.max() * 4 + 4),
           (xs.min() * 4, ys.max() * 4 + 4)] if len(xs) else src
    Hf = homography(src, q)
    cut_info = None
    if cut:   # the corner farthest out along one frame side moves past it; the other three stay inside
        for attempt in range(8):
            d = cut_frac * Wt * (0.6 ** (attempt % 4))
            ax = cut_axis if attempt < 4 else 1 - cut_axis
            ci = int(np.argmin(q[:, ax]) if cut_side == 0 else np.argmax(q[:, ax]))
            shift = np.zeros(2)
            shift[ax] = (-d - q[ci, ax]) if cut_side == 0 else ((FW if ax == 0 else FH) + d - q[ci, ax])
            q2 = q + shift
            inside = all(1 <= q2[i, 0] <= FW - 1 and 1 <= q2[i, 1] <= FH - 1 for i in range(4) if i != ci)
            inkq = apply_h(homography(src, q2), ink)
            mg = 0.01 * Wt
            ink_in = all(mg <= p[0] <= FW - mg and mg <= p[1] <= FH - mg for p in inkq)
            if inside and ink_in:
                q = q2
                cut_info = {"corner": CORNER_NAMES[ci], "outsidePx": round(d, 1)}
                break
        Hf = homography(src, q)

    coeffs = tuple(homography(q, src).flatten()[:8])
    pga = pg.convert("RGBA")
    warped = pga.transform((FW, FH), Image.Transform.PERSPECTIVE, coeffs, Image.Resampling.BICUBIC,
                           fillcolor=(0, 0, 0, 0))
    del pga
    mask = warped.getchannel("A")
    warped = warped.convert("RGB")

    # the desk, drawn at half resolution (its texture is soft at a phone's real sharpness anyway)
    bgh = background(bg_kind, max(8, FH // 2), max(8, FW // 2), eff / 2, rng, nrng)
    bg = Image.fromarray(np.clip(bgh + 0.5, 0, 255).astype(np.uint8)).resize((FW, FH), Image.Resampling.BICUBIC)
    del bgh
    # the sheet's own soft shadow on the desk
    dd, dang, dsoft = drop
    sm4 = mask.reduce(4).filter(ImageFilter.GaussianBlur(max(0.5, dsoft * 2.5 * mm / 4)))
    off = (math.cos(dang * math.pi) * 1.2 * mm / 4, math.sin(dang * math.pi) * 1.2 * mm / 4)
    sm4 = sm4.transform(sm4.size, Image.Transform.AFFINE, (1, 0, -off[0], 0, 1, -off[1]),
                        Image.Resampling.BILINEAR)
    shade = sm4.point(lambda v: int(round(255 - dd * v))).resize((FW, FH), Image.Resampling.BILINEAR)
    bg = ImageChops.multiply(bg, Image.merge("RGB", (shade, shade, shade)))
    img = Image.composite(warped, bg, mask)
    del bg, warped, shade

    # light: gradient (or lamp), vignette, shadow; computed coarse and smooth
    cw, ch = max(8, FW // 8), max(8, FH // 8)
    yy, xx = np.mgrid[0:ch, 0:cw].astype(np.float32)
    xx, yy = xx / (cw - 1), yy / (ch - 1)     # 0..1 across the frame
    ga = math.radians(grad_dir)
    light = {"gradient": round(grad, 3), "gradientDirDeg": round(grad_dir)}
    if cp.get("lamp"):
        lx, ly = 0.5 + 0.7 * math.cos(ga), 0.5 + 0.7 * math.sin(ga)
        dist = np.sqrt(((xx - lx) * aspect) ** 2 + (yy - ly) ** 2) / math.sqrt(aspect ** 2 + 1)
        L = 1 - grad * np.clip(dist, 0, 1.5) ** 1.3
        light["lamp"] = [round(lx * FW), round(ly * FH)]
    else:
        proj = (xx - 0.5) * math.cos(ga) + (yy - 0.5) * math.sin(ga)
        L = 1 - grad * (proj - proj.min()) / max(1e-6, float(proj.max() - proj.min()))
    r2 = ((xx - 0.5) ** 2 + (yy - 0.5) ** 2) / 0.5
    L *= 1 - vign * r2
    light["vignette"] = round(vign, 3)
    light["shadow"] = None
    if shadow_on and shadow_dark > 0:
        g0, g1, g2, g3, g4, g5 = shadow_geo
        if shadow_kind == "blob":     # a hand or the phone, from an edge
            side = int(g0 * 4) % 4
            t = 0.15 + 0.7 * g1
            sx, sy = [(t, -0.05), (1.05, t), (t, 1.05), (-0.05, t)][side]
            ax_, ay_ = 0.2 + 0.22 * g2, 0.14 + 0.2 * g3
            ang = g4 * math.pi
            dx, dy = xx - sx, yy - sy
            u1 = (dx * math.cos(ang) + dy * math.sin(ang)) / ax_
            v1 = (-dx * math.sin(ang) + dy * math.cos(ang)) / ay_
            sm_ = np.exp(-(u1 ** 2 + v1 ** 2) ** 1.5)
            light["shadow"] = {"kind": "blob", "darkness": round(shadow_dark, 3),
                               "centerPx": [round(sx * FW), round(sy * FH)]}
        elif shadow_kind == "band":   # a darker band across the frame (an arm, the phone's body)
            ang = g0 * math.pi
            c0 = 0.2 + 0.6 * g1
            width = 0.08 + 0.15 * g2
            dist = np.abs((xx - 0.5) * math.cos(ang) + (yy - 0.5) * math.sin(ang) - (c0 - 0.5))
            sm_ = 1 / (1 + np.exp((dist - width / 2) / (0.02 + 0.05 * g3)))
            light["shadow"] = {"kind": "band", "darkness": round(shadow_dark, 3),
                               "angleDeg": round(math.degrees(ang))}
        else:                         # the photographer's shadow over one side
            ang = g0 * 2 * math.pi
            c0 = 0.25 + 0.3 * g1
            proj = (xx - 0.5) * math.cos(ang) + (yy - 0.5) * math.sin(ang)
            sm_ = 1 / (1 + np.exp((c0 - 0.5 - proj) / (0.04 + 0.06 * g2)))
            light["shadow"] = {"kind": "side", "darkness": round(shadow_dark, 3),
                               "angleDeg": round(math.degrees(ang))}
        L *= 1 - shadow_dark * sm_
    Li = Image.fromarray((np.clip(L, 0.3, 1.0) * 255 + 0.5).astype(np.uint8)).resize((FW, FH),
                                                                                   Image.Resampling.BILINEAR)
    img = ImageChops.multiply(img, Image.merge("RGB", (Li, Li, Li)))
    del Li
    light.update({"exposure": round(exposure, 3), "cast": [round(v, 3) for v in cast]})

    sig = blur * eff / 200.0
    img_b = img.filter(ImageFilter.GaussianBlur(sig))
    if blur_tilt:   # focus falls off towards one side of a tilted shot
        more = img.filter(ImageFilter.GaussianBlur(sig + blur_tilt * eff / 200.0))
        ramp = (xx - 0.5) * math.cos(ga + 1.0) + (yy - 0.5) * math.sin(ga + 1.0)
        ramp = np.clip((ramp - ramp.min()) / max(1e-6, float(ramp.max() - ramp.min())), 0, 1) ** 2
        rmask = Image.fromarray((ramp * 255).astype(np.uint8)).resize((FW, FH), Image.Resampling.BILINEAR)
        img_b = Image.composite(more, img_b, rmask)
        del more
    del img
    # exposure, colour cast and the sensor's black level: one lookup table per channel
    luts = []
    for cgain in cast:
        k = exposure * cgain
        luts += [int(min(255, round(lift + min(255.0, v * k) * (255.0 - lift) / 255.0))) for v in range(256)]
    img_b = img_b.point(luts)
    # sensor noise after the phone's denoiser: grain of about two pixels, a little colour noise
    o = np.asarray(img_b, dtype=np.int16).copy()
    del img_b
    hh, hw = max(2, FH // 2), max(2, FW // 2)

    def grain(sd):
        n = nrng.standard_normal((hh, hw), dtype=np.float32) * sd
        return np.rint(np.asarray(Image.fromarray(n).resize((FW, FH), Image.Resampling.BILINEAR),
                                  dtype=np.float32)).astype(np.int16)

    lum = grain(noise)
    o += lum[:, :, None]
    del lum
    o[:, :, 0] += grain(noise * 0.4)
    o[:, :, 2] += grain(noise * 0.4)
    frame = Image.fromarray(np.clip(o, 0, 255).astype(np.uint8))
    del o

    if seal:
        cx, cy, rr = seal.pop("_centre")
        circ = [(cx + rr * math.cos(t), cy + rr * math.sin(t)) for t in np.linspace(0, 2 * math.pi, 72)]
        pc = apply_h(Hf, circ)
        seal["box"] = [max(0, int(math.floor(pc[:, 0].min()))), max(0, int(math.floor(pc[:, 1].min()))),
                       min(FW, int(math.ceil(pc[:, 0].max()))), min(FH, int(math.ceil(pc[:, 1].max())))]
        seal = {"box": seal.pop("box"), **seal}
    info = {
        "kind": kind,
        "corners": [[round(float(x), 1), round(float(y), 1)] for x, y in q],
        "effectiveDpi": eff,
        "headerDpi": header_dpi,
        "jpegQuality": quality,
        "background": bg_kind,
        "paperTone": paper_name, "paperRgb": list(paper_rgb),
        "rotationDeg": round(rot, 2),
        "keystone": round(keystone, 3),
        "edgeRatios": [round(min(edges[0], edges[2]) / max(edges[0], edges[2]), 3),
                       round(min(edges[1], edges[3]) / max(edges[1], edges[3]), 3)],
        "cutCorner": cut_info,
        "frameAspect": round(aspect, 4),
        "blurPx": round(sig, 2), "blurTilt": round(blur_tilt * eff / 200.0, 2),
        "noiseSigma": round(noise, 2), "blackLift": round(lift, 1),
        "light": light,
        "penUneven": round(pen_uneven, 2) if blue.any() else None,
        "seal": seal,
        "sealPlanned": want_seal,
        "renderDpi": render_dpi,
    }
    return frame, info


def save_jpeg(img: Image.Image, info: dict, path: str):
    opts = {"quality": info["jpegQuality"], "optimize": True}
    if info["headerDpi"]:
        opts["dpi"] = (info["headerDpi"], info["headerDpi"])
    img.save(path, "JPEG", **opts)
