#!/usr/bin/env python3
"""Builds a Vietnamese street-name list and a syllable list from real public PyPI packages.

Outputs (in OUT, default /tmp/vocab/out):
  streets.txt        street names (names of people, events, places that streets carry), NFC, title case.
  syllables.txt      well-formed lower-case Vietnamese syllables, NFC.
  syllable-freq.tsv  syllable <TAB> Zipf frequency, for the syllables of syllables.txt that wordfreq knows.
  streets-review.tsv pairs of street spellings that fold to the same letters (for a human to look at).

Sources (pinned; downloaded with `pip download --no-deps NAME==VERSION` when the wheel is not already in PKGS):
  faker 40.63.0              faker/providers/address/vi_VN/__init__.py, Provider.streets      MIT
  hanoikovoiduocdau 0.0.4    hanoikovoidcdau/standardize.py, data["district"][*]["streets"]  MIT
  soe-vinorm 0.3.2           soe_vinorm/data/dictionaries/vietnamese-syllables.txt           MIT
  wordfreq 3.1.1             wordfreq/data/small_vi.msgpack.gz                               data CC-BY-SA-4.0

Only the Python standard library is used (the packages are read as zip files, never imported or installed).
Usage: python3 build.py [--pkgs DIR] [--out DIR]
"""

import argparse
import ast
import collections
import gzip
import hashlib
import io
import math
import os
import re
import struct
import subprocess
import sys
import unicodedata
import zipfile

SOURCES = {
    "faker": ("40.63.0", "faker-40.63.0-py3-none-any.whl"),
    "hanoikovoiduocdau": ("0.0.4", "hanoikovoiduocdau-0.0.4-py3-none-any.whl"),
    "soe-vinorm": ("0.3.2", "soe_vinorm-0.3.2-py3-none-any.whl"),
    "wordfreq": ("3.1.1", "wordfreq-3.1.1-py3-none-any.whl"),
}


def nfc(s):
    return unicodedata.normalize("NFC", s)


# ---------------------------------------------------------------------------------------------------------------
# Fetching and reading wheels


def wheel(pkgs, name):
    version, filename = SOURCES[name]
    path = os.path.join(pkgs, filename)
    if not os.path.exists(path):
        os.makedirs(pkgs, exist_ok=True)
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary", ":all:",
             f"{name}=={version}", "-d", pkgs],
            check=True)
    with open(path, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    return path, digest


def read_member(path, member):
    with zipfile.ZipFile(path) as z:
        return z.read(member)


def literal_assign(source, name, in_class=None):
    """The literal value assigned to `name` at module level (or in class `in_class`)."""
    tree = ast.parse(source)
    bodies = [tree.body]
    if in_class:
        bodies = [n.body for n in tree.body if isinstance(n, ast.ClassDef) and n.name == in_class]
    for body in bodies:
        for node in body:
            if isinstance(node, ast.Assign) and any(getattr(t, "id", None) == name for t in node.targets):
                return ast.literal_eval(node.value)
    raise KeyError(name)


def msgpack_load(data):
    """Minimal msgpack decoder: enough for wordfreq's lists of lists of strings and its header map."""
    pos = 0

    def take(n):
        nonlocal pos
        chunk = data[pos:pos + n]
        pos += n
        return chunk

    def obj():
        b = take(1)[0]
        if b <= 0x7F:
            return b
        if 0x80 <= b <= 0x8F:
            return {obj(): obj() for _ in range(b & 0x0F)}
        if 0x90 <= b <= 0x9F:
            return [obj() for _ in range(b & 0x0F)]
        if 0xA0 <= b <= 0xBF:
            return take(b & 0x1F).decode("utf-8")
        if b == 0xC0:
            return None
        if b in (0xC2, 0xC3):
            return b == 0xC3
        if b in (0xCC, 0xCD, 0xCE, 0xCF):
            n = {0xCC: 1, 0xCD: 2, 0xCE: 4, 0xCF: 8}[b]
            return int.from_bytes(take(n), "big")
        if b in (0xD9, 0xDA, 0xDB):
            n = {0xD9: 1, 0xDA: 2, 0xDB: 4}[b]
            return take(int.from_bytes(take(n), "big")).decode("utf-8")
        if b in (0xDC, 0xDD):
            n = {0xDC: 2, 0xDD: 4}[b]
            return [obj() for _ in range(int.from_bytes(take(n), "big"))]
        if b in (0xDE, 0xDF):
            n = {0xDE: 2, 0xDF: 4}[b]
            return {obj(): obj() for _ in range(int.from_bytes(take(n), "big"))}
        if b >= 0xE0:
            return b - 0x100
        raise ValueError(f"msgpack type 0x{b:02x} not handled")

    return obj()


# ---------------------------------------------------------------------------------------------------------------
# Vietnamese spelling

TONES = {"\u0300": 1, "\u0301": 2, "\u0303": 3, "\u0309": 4, "\u0323": 5}  # huyền sắc ngã hỏi nặng
MODIFIED = set("ăâêôơư")
VOWELS = set("aeiouy") | MODIFIED
ONSETS = ["ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
          "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", ""]


def split_tone(syllable):
    """(letters without the tone mark, tone number 0-5, index of the letter that carried the tone or None).
    Returns None when the syllable has more than one tone mark."""
    letters, tone, at = [], 0, None
    for ch in syllable:
        d = unicodedata.normalize("NFD", ch)
        base = [c for c in d if c not in TONES]
        marks = [TONES[c] for c in d if c in TONES]
        if marks:
            if tone or len(marks) > 1:
                return None
            tone, at = marks[0], len(letters)
        letters.append(nfc("".join(base)))
    return "".join(letters), tone, at


def tone_positions(base):
    """Indexes in `base` (a toneless lower-case syllable) where a tone mark may stand, old and new style both;
    None when `base` is not a syllable shape (no vowel, or an open iê/uô/ươ)."""
    for onset in ONSETS:
        if not base.startswith(onset):
            continue
        rest = base[len(onset):]
        start = len(onset)
        if onset == "gi" and not any(c in VOWELS for c in rest):
            rest, start = base[1:], 1  # "gì", "gìn": the i is the vowel
        m = re.match(r"[aeiouyăâêôơư]+", rest)
        if not m:
            continue
        cluster, coda = m.group(0), rest[m.end():]
        if not re.fullmatch(r"|c|ch|k|m|n|ng|nh|p|t", coda):  # k: place names of the Central Highlands (Đắk Lắk)
            continue
        if cluster in ("iê", "yê", "uô", "ươ") and not coda:
            return None
        idx = [start + i for i in range(len(cluster))]
        mods = [i for i, c in zip(idx, cluster) if c in MODIFIED]
        if mods:
            return {mods[-1]}  # the modified vowel; of ươ the ơ
        if len(cluster) == 1:
            return {idx[0]}
        if coda:
            return {idx[-1]}
        if len(cluster) == 3:
            return {idx[1]}
        if cluster in ("oa", "oe", "uy"):
            return {idx[0], idx[1]}  # old style hòa, thủy; new style hoà, thuỷ
        return {idx[0]}
    return None


def well_formed(syllable):
    split = split_tone(syllable)
    if split is None:
        return False
    base, tone, at = split
    allowed = tone_positions(base)
    if allowed is None:
        return False
    return tone == 0 or at in allowed


def fold(s):
    s = unicodedata.normalize("NFD", s.lower()).replace("đ", "d")
    return nfc("".join(c for c in s if not unicodedata.combining(c)))


def tone_key(name):
    """Same key for spellings that differ only in where a syllable's tone mark stands (Hòa / Hoà)."""
    out = []
    for syl in name.lower().split():
        split = split_tone(syl)
        out.append(syl if split is None else f"{split[0]}{split[1]}")
    return " ".join(out)


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def is_vietnamese(word, syllables):
    return word.lower() in syllables


# ---------------------------------------------------------------------------------------------------------------
# Streets

TYPE_WORDS = r"(?:đường|phố|đại lộ)"
NOT_STREETS = re.compile(
    r"(?i)^(?:khu|thôn|làng|ngõ|ngách|hẻm|kiệt|xóm|tổ|lô|số|km|kcn|kđt|lk|liền kề|ct|cụm|chung cư|trung tâm|tòa|"
    r"phường|quốc lộ|tỉnh lộ|ql|ah|kho|ttm|tttm)\b")


DESCRIPTIVE = re.compile(r"(?i)^(?:không tên|vào|đi)\b")  # "Đường Không Tên" (no name), "Đường Vào ...", "Đường Đi ..."


def clean_hanoi(raw, syllables):
    """A street name from hanoikovoiduocdau and whether it was written as "Phố X", or None. Rules: NFC; split a
    glued type word ("ĐườngTrần ..."); cut at the first comma; drop the leading type word Đường/Phố/Đại lộ (a second
    one too, unless the name would then be one syllable: "Phố Đường Thành"); cut at a following "Khu"/"KĐT"/"KCN"
    part; drop "kéo dài" (extension) and trailing series numbers ("Trung Yên 10A" -> "Trung Yên", "Vân Hồ III")
    where two words stay; drop non-streets (Khu, Thôn, Quốc lộ, ...; "Ngõ X" is kept after a type word, as in "Phố
    Ngõ Gạch") and descriptions (Không Tên, Vào ..., Đi ...); drop names still holding a digit; a road named after
    its two ends keeps "A - B"; keep a name only when every word is a well-formed syllable of soe-vinorm's list;
    capitalise syllables."""
    s = nfc(raw).strip()
    s = re.sub(r"(?i)^(đường|phố)(?=[A-ZĐÀ-Ỹ])", r"\1 ", s)
    s = s.split(",")[0].strip()
    m = re.match(rf"(?i)^{TYPE_WORDS}\s+", s)
    typed = m is not None
    pho = typed and m.group(0).strip().lower() == "phố"
    if m:
        s = s[m.end():]
        m2 = re.match(rf"(?i)^{TYPE_WORDS}\s+", s)
        if m2 and len(s[m2.end():].split()) > 1:
            s = s[m2.end():]
    parts = re.split(r"\s+(?i:khu|kđt|kcn)\b", s)
    if len(parts) > 1:
        if len(parts[0].split()) < 2:
            return None
        s = parts[0]
    s = re.sub(r"(?i)\s+kéo dài$", "", s).strip()
    while True:
        m3 = re.search(r"\s+(?:\d+[A-Z]?|[A-Z]|I{1,3}|IV|VI{0,3})$", s)
        if not m3 or len(s[:m3.start()].split()) < 2:
            break
        s = s[:m3.start()]
    s = re.sub(r"\s*-\s*", " - ", s)
    s = re.sub(r"\s+", " ", s).strip()
    if not s or re.search(r"\d", s) or DESCRIPTIVE.match(s):
        return None
    if NOT_STREETS.match(s) and not (typed and re.match(r"(?i)^ngõ\s", s)):
        return None
    words = s.split(" ")
    if words[0] == "-" or words[-1] == "-":
        return None
    if not all(w == "-" or (is_vietnamese(w, syllables) and well_formed(w.lower())) for w in words):
        return None
    return " ".join(w if w == "-" else w[0].upper() + w[1:] for w in words), pho


def build(pkgs, out):
    os.makedirs(out, exist_ok=True)
    paths = {name: wheel(pkgs, name) for name in SOURCES}

    # Syllables: soe-vinorm's list, kept where well formed.
    soe_raw = read_member(paths["soe-vinorm"][0], "soe_vinorm/data/dictionaries/vietnamese-syllables.txt")
    soe = [nfc(l.strip().lower()) for l in soe_raw.decode("utf-8").splitlines() if l.strip()]
    syllables = sorted({s for s in soe if well_formed(s)})
    dropped = sorted(set(soe) - set(syllables))
    syllable_set = set(syllables)

    # Frequencies: wordfreq's small Vietnamese list (cB: list index = -centibels).
    wf = msgpack_load(gzip.decompress(read_member(paths["wordfreq"][0], "wordfreq/data/small_vi.msgpack.gz")))
    assert wf[0].get("format") == "cB", wf[0]
    freq = {}
    for cb, words in enumerate(wf[1:], start=1):
        for w in words:
            w = nfc(w)
            if w in syllable_set and w not in freq:
                freq[w] = 10 ** (-cb / 100)

    # Streets.
    faker_src = read_member(paths["faker"][0], "faker/providers/address/vi_VN/__init__.py").decode("utf-8")
    faker_streets = [nfc(s) for s in literal_assign(faker_src, "streets", in_class="Provider")]
    hanoi_src = read_member(paths["hanoikovoiduocdau"][0], "hanoikovoidcdau/standardize.py").decode("utf-8")
    hanoi = literal_assign(hanoi_src, "data")
    hanoi_raw = [s for d in hanoi["district"] for s in d["streets"]]
    hanoi_count = collections.Counter()
    singles_dropped = set()
    for d in hanoi["district"]:
        names = set()
        for r in d["streets"]:
            c = clean_hanoi(r, syllable_set)
            if c is None:
                continue
            name, pho = c
            if " " not in name and not pho:
                singles_dropped.add(name)  # "Đường Đất", "Đường Cụt": one syllable, not a named urban "Phố X"
                continue
            names.add(name)
        for name in names:
            hanoi_count[name] += 1  # number of districts listing it

    # One spelling per tone placement (Hòa / Hoà): Faker's, else the one more districts list, else old style.
    by_key = collections.defaultdict(list)
    for s in faker_streets:
        by_key[tone_key(s)].append((2, 10**6, s))
    for s, n in hanoi_count.items():
        by_key[tone_key(s)].append((1, n, s))
    streets, merged = [], []
    for key, cands in by_key.items():
        cands.sort(key=lambda c: (-c[0], -c[1], c[2]))
        streets.append(cands[0][2])
        merged += [(c[2], cands[0][2]) for c in cands[1:] if c[2] != cands[0][2]]
    streets = sorted(set(streets), key=lambda s: (fold(s), s))

    review = collections.defaultdict(list)
    for s in streets:
        review[fold(s)].append(s)
    review = {k: v for k, v in review.items() if len(v) > 1}

    # Suspected typos: a name one district lists, one letter (folded) from a name Faker has or more districts list.
    strong = {fold(x): x for x in faker_streets}
    strong.update({fold(x): x for x, n in hanoi_count.items() if n >= 2})
    suspects = []
    for x, n in hanoi_count.items():
        if n == 1 and x not in faker_streets:
            fx = fold(x)
            for fy, y in strong.items():
                if fy != fx and abs(len(fy) - len(fx)) <= 1 and edit_distance(fx, fy) == 1:
                    suspects.append((x, y))

    # Headers and files.
    def src_line(name):
        return f"#   {name} {SOURCES[name][0]} (PyPI; {SOURCES[name][1]}, sha256 {paths[name][1]})"

    street_header = [
        "# Vietnamese street names, one per line: NFC, full diacritics, each syllable capitalised as on street signs.",
        "# Built by build.py from these public PyPI packages (names are copied, not invented):",
        src_line("faker"),
        "#     faker/providers/address/vi_VN/__init__.py, Provider.streets "
        f"({len(faker_streets)} names, all kept as printed). MIT License, Copyright (c) 2012 Daniele Faraglia.",
        src_line("hanoikovoiduocdau"),
        "#     hanoikovoidcdau/standardize.py, data['district'][*]['streets'] "
        f"({len(hanoi_raw)} entries for 25 Hà Nội districts, {len(set(hanoi_raw))} distinct).",
        "#     MIT License, Copyright (c) 2024 Huynh Duong Huu.",
        "# Cleaning of the Hà Nội entries (see clean_hanoi in build.py): the type word Đường/Phố/Đại lộ dropped;",
        "# text after a comma or a Khu/KĐT/KCN part dropped; 'kéo dài' and trailing series numbers dropped;",
        "# non-streets (Khu, Thôn, Ngách, Quốc lộ, Tỉnh lộ, Lô, Số, ...), descriptions (Không Tên, Vào ...) and names",
        "# with digits dropped; every word must be a well-formed syllable of soe-vinorm's list (drops English and",
        "# mis-accented words); syllables capitalised; one-syllable names kept only when written 'Phố X' (Phố Huế).",
        "# Spellings differing only in tone placement (Hòa/Hoà) merged: Faker's first, else the one more districts list.",
        "# Spellings that fold to the same letters are all kept (streets-review.tsv lists them and suspected typos).",
        f"# {len(streets)} names.",
    ]
    with open(os.path.join(out, "streets.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(street_header + streets) + "\n")

    with open(os.path.join(out, "streets-review.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("# folded\tspellings (same letters, different diacritics: a toneless reading of these is ambiguous)\n")
        for k in sorted(review):
            f.write(k + "\t" + "\t".join(review[k]) + "\n")
        f.write("# suspected typos (kept in streets.txt): listed once\tnear a name Faker has or two districts list\n")
        for x, y in sorted(suspects):
            f.write(f"#near\t{x}\t{y}\n")
        f.write("# one-syllable names dropped (not written 'Phố X'): " + " ".join(sorted(singles_dropped)) + "\n")
        f.write("# merged tone-placement variants: dropped\tkept\n")
        for a, b in sorted(merged):
            f.write(f"#merged\t{a}\t{b}\n")

    syl_header = [
        "# Vietnamese syllables, one per line: NFC, lower case, full diacritics; both tone placements (hòa, hoà).",
        "# Built by build.py from:",
        src_line("soe-vinorm"),
        "#     soe_vinorm/data/dictionaries/vietnamese-syllables.txt "
        f"({len(soe)} lines). MIT License, Copyright (c) 2025 Vinh Dang.",
        "# A list of possible syllables (not a corpus count: rare and unattested shapes are in it).",
        f"# Kept where well formed (a vowel, a Vietnamese coda (k too, for Đắk Lắk), the tone mark on an allowed vowel): {len(syllables)};",
        f"# dropped {len(dropped)}: {' '.join(dropped)}",
    ]
    with open(os.path.join(out, "syllables.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(syl_header + syllables) + "\n")

    ranked = sorted(freq.items(), key=lambda kv: (-kv[1], kv[0]))
    freq_header = [
        "# Frequency of Vietnamese syllables in running text: syllable<TAB>Zipf value (log10 of occurrences per",
        "# billion words; 7 = very common, 1 = rare). Only syllables of syllables.txt that the source lists.",
        "# Built by build.py from:",
        src_line("wordfreq"),
        "#     wordfreq/data/small_vi.msgpack.gz (Vietnamese; its sources: Wikipedia, OPUS OpenSubtitles 2018, OSCAR web text).",
        "#     wordfreq code: Apache-2.0, Copyright 2022 Robyn Speer. Its data files: Creative Commons",
        "#     Attribution-ShareAlike 4.0 (https://creativecommons.org/licenses/by-sa/4.0/). This file is a derived",
        "#     work of that data and is likewise under CC BY-SA 4.0; credit: wordfreq by Robyn Speer,",
        "#     https://doi.org/10.5281/zenodo.7199437, with data from Wikipedia, OpenSubtitles (opensubtitles.org)",
        "#     and OSCAR.",
        f"# {len(ranked)} syllables.",
    ]
    with open(os.path.join(out, "syllable-freq.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(freq_header) + "\n")
        for s, p in ranked:
            f.write(f"{s}\t{math.log10(p * 1e9):.2f}\n")

    print(f"suspected typos listed: {len(suspects)}; one-syllable names dropped: {len(singles_dropped)}")
    print(f"streets.txt: {len(streets)} names (Faker {len(faker_streets)}, Hà Nội kept {len(hanoi_count)}, "
          f"tone-placement merges {len(merged)}, same-fold groups {len(review)})")
    print(f"syllables.txt: {len(syllables)} (dropped {len(dropped)})")
    print(f"syllable-freq.tsv: {len(ranked)}")


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pkgs", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "pkgs"))
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "out"))
    a = ap.parse_args()
    build(a.pkgs, a.out)
