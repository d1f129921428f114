"""Page layout and rendering for the sample generator (Pillow).

A Page draws an A4 sheet at a given dpi, top to bottom. Lines are made of runs:
  S(text)       printed template text (labels, punctuation)
  F(value)      a filled value: typed in the page font, or written over a dot leader in a "hand" font
  Box(checked)  a checkbox
  Digits(d)     12 adjoining boxes with one digit in each (ct01 personal ID numbers)
The flow layout wraps long values onto following lines, like a word processor or a pen would.
"""
from __future__ import annotations

import math
import random

from PIL import Image, ImageDraw, ImageFilter, ImageFont

FONT_DIR = "/usr/share/fonts/truetype"

# family -> (regular, bold, italic, bold italic). Only fonts that cover Vietnamese: the Debian
# Liberation fonts here are version 1.07 and lack ơ, ư and the stacked tone marks (see check_fonts).
FAMILIES = {
    "DejaVu Serif": ("dejavu/DejaVuSerif.ttf", "dejavu/DejaVuSerif-Bold.ttf", "dejavu/DejaVuSerif-Italic.ttf",
                     "dejavu/DejaVuSerif-BoldItalic.ttf"),
    "DejaVu Serif Condensed": ("dejavu/DejaVuSerifCondensed.ttf", "dejavu/DejaVuSerifCondensed-Bold.ttf",
                               "dejavu/DejaVuSerifCondensed-Italic.ttf",
                               "dejavu/DejaVuSerifCondensed-BoldItalic.ttf"),
    "DejaVu Sans": ("dejavu/DejaVuSans.ttf", "dejavu/DejaVuSans-Bold.ttf", "dejavu/DejaVuSans-Oblique.ttf",
                    "dejavu/DejaVuSans-BoldOblique.ttf"),
    "DejaVu Sans Condensed": ("dejavu/DejaVuSansCondensed.ttf", "dejavu/DejaVuSansCondensed-Bold.ttf",
                              "dejavu/DejaVuSansCondensed-Oblique.ttf",
                              "dejavu/DejaVuSansCondensed-BoldOblique.ttf"),
    "Noto Serif": ("noto/NotoSerif-Regular.ttf", "noto/NotoSerif-Bold.ttf", "noto/NotoSerif-Italic.ttf",
                   "noto/NotoSerif-BoldItalic.ttf"),
    "Noto Serif Display": ("noto/NotoSerifDisplay-Regular.ttf", "noto/NotoSerifDisplay-Bold.ttf",
                           "noto/NotoSerifDisplay-Italic.ttf", "noto/NotoSerifDisplay-BoldItalic.ttf"),
    "Noto Sans": ("noto/NotoSans-Regular.ttf", "noto/NotoSans-Bold.ttf", "noto/NotoSans-Italic.ttf",
                  "noto/NotoSans-BoldItalic.ttf"),
    "Noto Sans Display": ("noto/NotoSansDisplay-Regular.ttf", "noto/NotoSansDisplay-Bold.ttf",
                          "noto/NotoSansDisplay-Italic.ttf", "noto/NotoSansDisplay-BoldItalic.ttf"),
}
# "hand" fonts for values written over the dots (slanted further by handShear): name -> file
HAND_FONTS = {
    "DejaVu Serif Italic": "dejavu/DejaVuSerif-Italic.ttf",
    "DejaVu Sans Oblique": "dejavu/DejaVuSans-Oblique.ttf",
    "Noto Serif Display Italic": "noto/NotoSerifDisplay-Italic.ttf",
    "DejaVu Serif Condensed Italic": "dejavu/DejaVuSerifCondensed-Italic.ttf",
    "DejaVu Sans Condensed Oblique": "dejavu/DejaVuSansCondensed-Oblique.ttf",
    "Noto Serif Italic": "noto/NotoSerif-Italic.ttf",
    "Noto Sans Italic": "noto/NotoSans-Italic.ttf",
    "Noto Sans Display Italic": "noto/NotoSansDisplay-Italic.ttf",
    "DejaVu Sans ExtraLight": "dejavu/DejaVuSans-ExtraLight.ttf",
}

VIET_LETTERS = ("aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợ"
                "ùủũúụừửữứựỳỷỹýỵ")


def check_fonts():
    """Fails loudly if a font lacks a Vietnamese letter (it would render as a box)."""
    letters = VIET_LETTERS + VIET_LETTERS.upper() + "0123456789.,:;/-–()\"…"
    paths = {p for fam in FAMILIES.values() for p in fam} | set(HAND_FONTS.values())
    bad = {}
    for p in sorted(paths):
        f = ImageFont.truetype(f"{FONT_DIR}/{p}", 24)
        nd = bytes(f.getmask("\uffff"))
        missing = [c for c in letters if bytes(f.getmask(c)) == nd]
        if missing:
            bad[p] = "".join(missing)
    if bad:
        raise SystemExit(f"fonts without Vietnamese glyphs: {bad}")


_font_cache: dict = {}


def font(path: str, px: float) -> ImageFont.FreeTypeFont:
    key = (path, int(round(px)))
    f = _font_cache.get(key)
    if f is None:
        f = ImageFont.truetype(f"{FONT_DIR}/{path}", key[1])
        _font_cache[key] = f
    return f


class Overflow(Exception):
    pass


# --- runs --------------------------------------------------------------------------------------------

class S:
    def __init__(self, text: str, style: str = "reg", brk: bool = True):
        self.text, self.style, self.brk = text, style, brk


class F:
    """wrap: may the value continue on the next line? Default: only values of more than three words."""

    def __init__(self, value: str | None, min_em: float = 5.0, flex: float = 1.0, wrap: bool | None = None):
        if wrap is None:
            wrap = bool(value) and len(value.split()) > 3
        self.value, self.min_em, self.flex, self.wrap = value, min_em, flex, wrap


class Box:
    def __init__(self, checked: bool):
        self.checked = checked


class Digits:
    def __init__(self, digits: str | None):
        self.digits = digits


class _Piece:
    __slots__ = ("kind", "x", "w", "text", "style", "run", "flex", "vw")

    def __init__(self, kind, w, text=None, style="reg", run=None, flex=0.0, vw=0.0):
        self.kind, self.x, self.w, self.text, self.style, self.run, self.flex, self.vw = (
            kind, 0.0, w, text, style, run, flex, vw)


class Page:
    """One A4 page. `st` is the document style dict (see generate.py)."""

    def __init__(self, st: dict, rng: random.Random):
        self.st, self.rng = st, rng
        self.dpi = st["dpi"]
        self.W = round(210 / 25.4 * self.dpi)
        self.H = round(297 / 25.4 * self.dpi)
        paper = st["paper"]
        self.img = Image.new("RGB", (self.W, self.H), (paper, paper, paper))
        self.draw = ImageDraw.Draw(self.img)
        pt = self.dpi / 72.0
        self.size = st["fontSizePt"] * pt
        fam = FAMILIES[st["font"]]
        self.fonts = {
            "reg": font(fam[0], self.size), "bold": font(fam[1], self.size),
            "it": font(fam[2], self.size), "boldit": font(fam[3], self.size),
            "title": font(fam[1], self.size * st["titleScale"]),
            "head": font(fam[1], self.size * st["headScale"]),
            "small": font(fam[0], self.size * 0.85), "smallit": font(fam[2], self.size * 0.85),
            "smallbold": font(fam[1], self.size * 0.85),
        }
        self.hand_path = HAND_FONTS[st["handFont"]]
        self.hand_px = self.size * st["handScale"]
        self.hand = font(self.hand_path, self.hand_px)
        mm = self.dpi / 25.4
        ml, mt, mr, mb = st["marginsMm"]
        self.left, self.right = ml * mm, self.W - mr * mm
        self.top, self.bottom = mt * mm, self.H - mb * mm
        self.lh = self.size * st["lineSpacing"]
        self.y = self.top + self.size  # current baseline
        self.ink = (st["ink"],) * 3
        self.pen = tuple(st["pen"])
        self.fill_mode = st["fillMode"]  # typed | dots | typed-dots
        self.space = self.fonts["reg"].getlength(" ")
        self.dot_char = st["dotChar"]
        self.value_style = "bold" if st.get("valueBold") else "reg"
        # where things were drawn, (kind, (x0, y0, x1, y1)) in page pixels: "value" (a filled field value, a
        # digit strip, a checkbox), "signature" (a scribble), "signer" (a printed/written signer name). Only
        # bookkeeping (no drawing, no random draws): the photo capture keeps its seal off the values with it.
        self.marks: list[tuple[str, tuple[float, float, float, float]]] = []

    # --- primitives -------------------------------------------------------------------------------

    def mark(self, kind, box):
        if box is not None:
            self.marks.append((kind, tuple(float(v) for v in box)))

    def text_box(self, x, s, style="reg", y=None):
        return self.draw.textbbox((x, self.y if y is None else y), s, font=self.fonts[style], anchor="ls")

    def check(self):
        if self.y > self.bottom:
            raise Overflow()

    def adv(self, n: float = 1.0):
        self.y += self.lh * n

    def text(self, x, s, style="reg", fill=None, y=None):
        self.draw.text((x, self.y if y is None else y), s, font=self.fonts[style], fill=fill or self.ink,
                       anchor="ls")

    def width(self, s, style="reg"):
        return self.fonts[style].getlength(s)

    def center(self, s, style="reg", x0=None, x1=None, adv=True):
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        w = self.width(s, style)
        self.text((x0 + x1 - w) / 2, s, style)
        if adv:
            self.adv()
        return (x0 + x1 - w) / 2, w

    def hline(self, x0, x1, y, t=None):
        t = t or max(1, round(self.dpi / 150))
        x0, x1, y = round(x0), round(x1), round(y)
        self.draw.rectangle([x0, y, x1, y + t - 1], fill=self.ink)

    def rect(self, x0, y0, x1, y1, t=None):
        t = t or max(1, round(self.dpi / 150))
        x0, y0, x1, y1 = round(x0), round(y0), round(x1), round(y1)
        self.draw.rectangle([x0, y0, x1, y0 + t - 1], fill=self.ink)
        self.draw.rectangle([x0, y1 - t + 1, x1, y1], fill=self.ink)
        self.draw.rectangle([x0, y0, x0 + t - 1, y1], fill=self.ink)
        self.draw.rectangle([x1 - t + 1, y0, x1, y1], fill=self.ink)

    def paragraph_lines(self, s, style, width):
        lines, cur = [], []
        for w in s.split():
            if cur and self.width(" ".join(cur + [w]), style) > width:
                lines.append(" ".join(cur))
                cur = [w]
            else:
                cur.append(w)
        if cur:
            lines.append(" ".join(cur))
        return lines

    def paragraph(self, s, style="reg", indent_first=0.0, x0=None, x1=None, align="left"):
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        words = s.split()
        line, first = [], True
        lines = []
        for w in words:
            avail = x1 - x0 - (indent_first if first else 0)
            trial = " ".join(line + [w])
            if line and self.width(trial, style) > avail:
                lines.append((" ".join(line), first))
                line, first = [w], False
            else:
                line.append(w)
        if line:
            lines.append((" ".join(line), first))
        for txt, isfirst in lines:
            if align == "center":
                self.center(txt, style, x0, x1, adv=False)
            else:
                self.text(x0 + (indent_first if isfirst else 0), txt, style)
            self.adv()
        return [t for t, _ in lines]

    # --- hand writing -------------------------------------------------------------------------------

    def hand_width(self, s: str) -> float:
        return self.hand.getlength(s)

    def draw_hand(self, x: float, baseline: float, s: str, color=None):
        """Writes s word by word with a slant, size wobble and baseline jitter."""
        rng = self.rng
        color = color or self.pen
        shear = self.st["handShear"]
        jit = self.st["handJitter"] * self.hand_px
        sp = self.hand.getlength(" ")
        box = None
        for word in s.split(" "):
            if not word:
                x += sp
                continue
            f = font(self.hand_path, self.hand_px * rng.uniform(0.96, 1.05))
            asc, desc = f.getmetrics()
            w = f.getlength(word)
            pad = int(self.hand_px * 0.4)
            lw, lh = int(w + 2 * pad + shear * (asc + desc)), int(asc + desc + 2 * pad)
            mask = Image.new("L", (lw, lh), 0)
            ImageDraw.Draw(mask).text((pad, pad + asc), word, font=f, fill=255, anchor="ls")
            by = pad + asc
            if self.st.get("penWeight"):   # a ballpoint is bolder than a thin italic font
                fat = mask.filter(ImageFilter.MaxFilter(3))
                mask = fat if self.st["penWeight"] >= 2 else Image.blend(mask, fat, 0.55)
            if shear:
                mask = mask.transform(mask.size, Image.Transform.AFFINE, (1, shear, -shear * by, 0, 1, 0),
                                      resample=Image.Resampling.BILINEAR)
            rot = rng.uniform(-1.2, 1.2)
            mask = mask.rotate(rot, resample=Image.Resampling.BILINEAR, center=(pad, by))
            dy = rng.uniform(-jit, jit)
            px, py = int(x - pad), int(baseline - by + dy)
            self.img.paste(Image.new("RGB", mask.size, color), (px, py), mask)
            b = mask.getbbox()
            if b:
                b = (px + b[0], py + b[1], px + b[2], py + b[3])
                box = b if box is None else (min(box[0], b[0]), min(box[1], b[1]), max(box[2], b[2]), max(box[3], b[3]))
            x += w + sp * rng.uniform(0.9, 1.3)
        return box

    def dots(self, x0, x1, baseline):
        dw = self.width(self.dot_char)
        if x1 - x0 < dw:
            return
        n = int((x1 - x0) / dw)
        self.text(x0, self.dot_char * n, "reg", y=baseline)

    def draw_value(self, x, baseline, s, w_region=None):
        """A filled value in the document's fill mode; region is [x, x+w_region] for the dot leader."""
        mode = self.fill_mode
        if mode == "dots":
            if w_region:
                self.dots(x, x + w_region, baseline)
            if s:
                lead = self.st["handLead"] * self.size
                self.mark("value", self.draw_hand(x + lead, baseline - self.st["handRaise"] * self.size, s))
        else:
            if s:
                self.text(x, s, self.value_style, y=baseline)
                self.mark("value", self.text_box(x, s, self.value_style, y=baseline))
            if mode == "typed-dots" and w_region:
                vw = self.width(s, self.value_style) + self.space if s else 0
                self.dots(x + vw, x + w_region, baseline)

    def value_width(self, s: str) -> float:
        if not s:
            return 0.0
        if self.fill_mode == "dots":
            return self.hand_width(s) * 1.08 + self.st["handLead"] * self.size + self.space
        return self.width(s, self.value_style)

    # --- flow layout of a line of runs ---------------------------------------------------------------

    def runs(self, runs, x0=None, x1=None, cont_indent=0.0, min_lines=1):
        """Lays out and draws runs from baseline self.y; leaves self.y on the next line."""
        x0 = self.left if x0 is None else x0
        x1 = self.right if x1 is None else x1
        avail = x1 - x0
        dotted = self.fill_mode in ("dots", "typed-dots")
        lines: list[list[_Piece]] = [[]]
        x = 0.0
        big_gap = self.space * self.st["typedGap"]

        def gap_before(piece_kind, text=None, brk=True):
            line = lines[-1]
            if not line:
                return 0.0
            prev = line[-1]
            if piece_kind == "S" and text and text[0] in ",;./)":
                return 0.0 if prev.kind == "F" else self.space * 0.3
            if piece_kind == "S" and prev.kind == "F" and not dotted and brk and text and text[0] != "/":
                return big_gap
            if piece_kind == "S" and text and text[0] == "/":
                return 0.0
            if prev.kind == "S" and prev.text and prev.text.endswith("/"):
                return 0.0
            return self.space

        def newline():
            nonlocal x
            lines.append([])
            x = cont_indent

        def place(p: _Piece, gap):
            nonlocal x
            p.x = x + gap
            x = p.x + p.w
            lines[-1].append(p)

        for i, r in enumerate(runs):
            if isinstance(r, S):
                w = self.width(r.text, r.style)
                g = gap_before("S", r.text, r.brk)
                need = w
                if r.brk:   # keep a label with what is glued to it (up to the next breakable label)
                    for nxt in runs[i + 1:]:
                        if isinstance(nxt, S):
                            if nxt.brk:
                                break
                            need += self.space + self.width(nxt.text, nxt.style)
                        elif isinstance(nxt, F):
                            if nxt.wrap and nxt.value:
                                need += self.space + min(self.value_width(nxt.value.split()[0]), avail * 0.3)
                                break
                            need += self.space + max(self.value_width(nxt.value or ""),
                                                     nxt.min_em * self.size if dotted else 0.0)
                        elif isinstance(nxt, Box):
                            need += self.space + self.size * 0.75
                        elif isinstance(nxt, Digits):
                            need += self.space + 12 * self.size * self.st["digitBoxEm"]
                    need = min(need, avail * 0.95)
                if lines[-1] and r.brk and x + g + need > avail:
                    newline()
                    g = 0.0
                text = r.text
                if not lines[-1] and text.startswith(", "):
                    text = text[2:]
                    w = self.width(text, r.style)
                place(_Piece("S", w, text, r.style), g)
            elif isinstance(r, Box):
                w = self.size * 0.75
                place(_Piece("B", w, run=r), gap_before("B"))
            elif isinstance(r, Digits):
                w = 12 * self.size * self.st["digitBoxEm"]
                g = gap_before("D")
                if lines[-1] and x + g + w > avail:
                    newline()
                    g = 0.0
                place(_Piece("D", w, run=r), g)
            elif isinstance(r, F):
                g = gap_before("F")
                minw = r.min_em * self.size if dotted else 0.0
                val = r.value or ""
                vw = self.value_width(val)
                if x + g + max(vw, minw) <= avail or not r.wrap:
                    if x + g + max(vw, minw) > avail and lines[-1]:
                        newline()
                        g = 0.0
                    place(_Piece("F", max(vw, minw), val, run=r, flex=r.flex, vw=vw), g)
                    continue
                words = val.split()
                while words:
                    room = avail - x - g
                    take = []
                    for wd in words:
                        if self.value_width(" ".join(take + [wd])) <= room:
                            take.append(wd)
                        else:
                            break
                    if not take:
                        if lines[-1] and x > cont_indent:
                            newline()
                            g = 0.0
                            continue
                        take = [words[0]]
                    words = words[len(take):]
                    s = " ".join(take)
                    vw = self.value_width(s)
                    if words:   # a piece that runs to the end of its line
                        place(_Piece("F", max(vw, avail - x - g), s, run=r, flex=0.0, vw=vw), g)
                        newline()
                        g = 0.0
                    else:
                        place(_Piece("F", max(vw, minw), s, run=r, flex=r.flex, vw=vw), g)
        while len(lines) < min_lines:
            lines.append([_Piece("F", avail - cont_indent, "", run=F(None), flex=1.0)])
            lines[-1][0].x = cont_indent

        for line in lines:
            if not line:
                continue
            if dotted:
                left = avail - (line[-1].x + line[-1].w)
                flexes = [p for p in line if p.kind == "F" and p.flex > 0]
                if left > 0 and flexes:
                    tot = sum(p.flex for p in flexes)
                    shift = 0.0
                    for p in line:
                        p.x += shift
                        if p.kind == "F" and p.flex > 0:
                            extra = left * p.flex / tot
                            p.w += extra
                            shift += extra
            has_digits = any(p.kind == "D" for p in line)
            if has_digits:
                self.y += self.size * 0.25
            self.check()
            for p in line:
                px = x0 + p.x
                if p.kind == "S":
                    self.text(px, p.text, p.style)
                elif p.kind == "F":
                    self.draw_value(px, self.y, p.text, p.w if dotted else None)
                elif p.kind == "B":
                    self.checkbox(px, p.run.checked)
                elif p.kind == "D":
                    self.digit_boxes(px, p.run.digits)
            self.adv()
            if has_digits:
                self.y += self.size * 0.25

    # --- widgets -------------------------------------------------------------------------------------

    def checkbox(self, x, checked):
        s = self.size * 0.7
        y1 = self.y + self.size * 0.05
        y0 = y1 - s
        self.rect(x, y0, x + s, y1)
        self.mark("value", (x, y0 - s * 0.3, x + s * 1.1, y1))
        if checked:
            t = max(2, round(self.dpi / 100))
            if self.fill_mode == "dots":   # a pen tick
                pts = [(x + s * 0.1, y0 + s * 0.5), (x + s * 0.4, y1 - s * 0.05), (x + s * 1.1, y0 - s * 0.3)]
                self.draw.line(pts, fill=self.pen, width=t + 1, joint="curve")
            else:
                self.draw.line([(x, y0), (x + s, y1)], fill=self.ink, width=t)
                self.draw.line([(x, y1), (x + s, y0)], fill=self.ink, width=t)

    def digit_boxes(self, x, digits):
        bw = self.size * self.st["digitBoxEm"]
        bh = self.size * 1.35
        y0 = self.y - self.size * 1.0
        t = max(1, round(self.dpi / 150))
        if digits:
            self.mark("value", (x, y0, x + 12 * bw, y0 + bh))
        for i in range(12):
            bx = x + i * bw
            self.rect(bx, y0, bx + bw, y0 + bh, t)
            if digits and i < len(digits):
                d = digits[i]
                if self.fill_mode == "dots":
                    w = self.hand_width(d)
                    self.draw_hand(bx + (bw - w) / 2 - self.st["handShear"] * self.size * 0.2,
                                   self.y + self.size * 0.05 - self.size * 0.02, d)
                else:
                    w = self.width(d, self.value_style)
                    self.text(bx + (bw - w) / 2, d, self.value_style, y=self.y)

    def signature(self, cx, y_top, width):
        """A pen scribble centred on cx."""
        rng = self.rng
        pts = []
        n = rng.randint(5, 9)
        w = width * rng.uniform(0.5, 0.8)
        h = self.size * rng.uniform(1.0, 1.8)
        for i in range(n * 6):
            t = i / (n * 6 - 1)
            px = cx - w / 2 + w * t + math.sin(t * n * math.pi * 2) * w * 0.06
            py = y_top + h / 2 + math.cos(t * n * math.pi * 2 + rng.uniform(-0.3, 0.3)) * h / 2 * (1 - 0.5 * t)
            pts.append((px, py))
        self.draw.line(pts, fill=self.pen, width=max(2, round(self.dpi / 110)), joint="curve")
        lw = max(2, round(self.dpi / 110))
        self.mark("signature", (min(p[0] for p in pts) - lw, min(p[1] for p in pts) - lw,
                                max(p[0] for p in pts) + lw, max(p[1] for p in pts) + lw))

    def _fit_columns(self, col_w, rows, header_rows, value_cols, pad_em):
        """Widens columns whose longest word does not fit, taking the room from columns with slack."""
        pad = self.size * pad_em
        need, full = [], []
        for ci in range(len(col_w)):
            m = f = 0.0
            for ri, row in enumerate(rows):
                cell = row[ci] if ci < len(row) else None
                if not cell:
                    continue
                is_val = ri >= header_rows and value_cols is not None and ci in value_cols
                if is_val and self.fill_mode == "dots":
                    meas = lambda t: self.hand_width(t) * 1.12 + self.size * (0.3 + self.st["handShear"])
                else:
                    meas = lambda t, st=("bold" if ri < header_rows else self.value_style): self.width(t, st)
                for wd in cell.split():
                    m = max(m, meas(wd))
                if ri >= header_rows:
                    f = max(f, meas(cell))
            need.append(m + 2 * pad + self.size * 0.1)
            full.append(max(f, m) + 2 * pad + self.size * 0.1)
        # give most of the room that one-line columns do not use to columns whose values wrap
        surplus = [max(0.0, col_w[i] - max(full[i], need[i])) for i in range(len(col_w))]
        deficit = [max(0.0, full[i] - col_w[i]) for i in range(len(col_w))]
        if sum(deficit) > 0 and sum(surplus) > 0:
            move = min(sum(surplus) * 0.8, sum(deficit))
            for i in range(len(col_w)):
                col_w[i] -= move * surplus[i] / sum(surplus)
                col_w[i] += move * deficit[i] / sum(deficit)
        for _ in range(len(col_w)):
            short = [i for i in range(len(col_w)) if col_w[i] < need[i]]
            if not short:
                break
            for i in short:
                deficit = need[i] - col_w[i]
                slack = sorted(range(len(col_w)), key=lambda j: col_w[j] - need[j], reverse=True)
                j = slack[0]
                give = min(deficit, max(0.0, col_w[j] - need[j]))
                col_w[i] += give
                col_w[j] -= give
        return col_w

    def table(self, col_w, rows, header_rows=1, pad_em=0.3, spacing=1.2, min_row_lines=1, align=None,
              value_cols=None, empty_rows=0):
        """rows: list of lists of str|None. Header rows are bold and centred; `value_cols` are filled values
        (typed or hand); other cells are printed text. Returns nothing; advances self.y."""
        x0 = self.left
        col_w = self._fit_columns(list(col_w), rows, header_rows, value_cols, pad_em)
        xs = [x0]
        for w in col_w:
            xs.append(xs[-1] + w)
        pad = self.size * pad_em
        clh = self.size * spacing
        t = max(1, round(self.dpi / 110))
        y = self.y - self.size * 1.0  # top rule sits a bit above the current baseline
        all_rows = list(rows) + [[None] * len(col_w) for _ in range(empty_rows)]
        for ri, row in enumerate(all_rows):
            is_head = ri < header_rows
            cell_lines = []
            for ci, cell in enumerate(row):
                cw = col_w[ci] - 2 * pad
                if not cell:
                    cell_lines.append([])
                    continue
                is_val = (not is_head) and value_cols is not None and ci in value_cols
                if is_val and self.fill_mode == "dots":
                    meas = lambda s: self.hand_width(s) * 1.08 + self.size * 0.2
                else:
                    st = "bold" if is_head else (self.value_style if is_val else "reg")
                    meas = lambda s, st=st: self.width(s, st)
                lines, cur = [], []
                for wd in cell.split():
                    if cur and meas(" ".join(cur + [wd])) > cw:
                        lines.append(" ".join(cur))
                        cur = [wd]
                    else:
                        cur.append(wd)
                if cur:
                    lines.append(" ".join(cur))
                cell_lines.append(lines)
            n = max([len(l) for l in cell_lines] + [min_row_lines])
            row_h = n * clh + 2 * pad
            if y + row_h > self.bottom:
                raise Overflow()
            for ci, lines in enumerate(cell_lines):
                is_val = (not is_head) and value_cols is not None and ci in value_cols
                a = "center" if is_head else (align[ci] if align else "left")
                # vertically centre the block in the row
                top = y + pad + (n - len(lines)) * clh / 2
                for li, ln in enumerate(lines):
                    base = top + li * clh + self.size * 0.95
                    if is_val and self.fill_mode == "dots":
                        w = self.hand_width(ln)
                        cx = xs[ci] + pad if a == "left" else xs[ci] + (col_w[ci] - w) / 2
                        self.mark("value", self.draw_hand(cx, base, ln))
                    else:
                        st = "bold" if is_head else (self.value_style if is_val else "reg")
                        w = self.width(ln, st)
                        cx = xs[ci] + pad if a == "left" else xs[ci] + (col_w[ci] - w) / 2
                        self.text(cx, ln, st, y=base)
                        if is_val:
                            self.mark("value", self.text_box(cx, ln, st, y=base))
            self.draw.rectangle([round(xs[0]), round(y), round(xs[-1]), round(y) + t - 1], fill=self.ink)
            y += row_h
        self.draw.rectangle([round(xs[0]), round(y), round(xs[-1]), round(y) + t - 1], fill=self.ink)
        top = self.y - self.size * 1.0
        for xx in xs:
            self.draw.rectangle([round(xx), round(top), round(xx) + t - 1, round(y)], fill=self.ink)
        self.y = y + self.size * 1.0 + self.lh * 0.6
        self.check()
