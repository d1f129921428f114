"""Realistic Vietnamese data for the sample generator: names, dates, ID numbers, phones, addresses.

Everything takes an explicit random.Random so that a seed reproduces a document exactly.
"""
from __future__ import annotations

import csv
import datetime as dt
import os
import random
import unicodedata

# The generator's "today": fixed so that a seed gives the same documents on any day.
REF_DATE = dt.date(2026, 11, 15)


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s)


def ascii_fold(s: str) -> str:
    s = s.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


def wchoice(rng: random.Random, items):
    """items: list of (value, weight)."""
    total = sum(w for _, w in items)
    r = rng.random() * total
    for v, w in items:
        r -= w
        if r <= 0:
            return v
    return items[-1][0]


# --- names -----------------------------------------------------------------------------------------

SURNAMES = [
    ("Nguyễn", 380), ("Trần", 110), ("Lê", 95), ("Phạm", 70), ("Hoàng", 30), ("Huỳnh", 20),
    ("Phan", 45), ("Vũ", 25), ("Võ", 15), ("Đặng", 21), ("Bùi", 20), ("Đỗ", 14), ("Hồ", 13),
    ("Ngô", 13), ("Dương", 10), ("Lý", 5), ("Đinh", 6), ("Đoàn", 5), ("Lâm", 4), ("Mai", 4),
    ("Trịnh", 4), ("Trương", 5), ("Lương", 4), ("Hà", 4), ("Tạ", 2), ("Cao", 3), ("Chu", 2),
    ("Lưu", 2), ("Kiều", 1), ("Phùng", 2), ("Tô", 2), ("Vương", 2), ("Thái", 2), ("Quách", 1),
    ("Triệu", 2), ("La", 1), ("Đào", 3), ("Khổng", 1), ("Nông", 2), ("Lò", 1), ("Hứa", 1),
]
MIDDLE_M = ["Văn", "Văn", "Văn", "Hữu", "Đức", "Minh", "Quang", "Thành", "Công", "Xuân", "Ngọc", "Đình",
            "Mạnh", "Tiến", "Gia", "Hoàng", "Anh", "Trọng", "Duy", "Bảo", "Quốc", "Thanh", "Tuấn", "Khắc",
            "Thế", "Viết", "Phú", "Nhật"]
MIDDLE_F = ["Thị", "Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Bảo", "Khánh", "Hồng",
            "Kim", "Mai", "Thùy", "Diệu", "Hoài", "Quỳnh", "Bích", "Lan", "Tuyết", "Mỹ", "Thúy", "Hải"]
MIDDLE2_F = ["Hồng", "Ngọc", "Thu", "Thanh", "Minh", "Phương", "Kim", "Mai", "Thùy", "Diệu", "Bảo", "Khánh"]
MIDDLE2_M = ["Minh", "Quang", "Đức", "Gia", "Bảo", "Anh", "Hoàng", "Thành", "Nhật", "Khôi", "Tuấn"]
GIVEN_M = ["An", "Anh", "Bảo", "Bình", "Cường", "Dũng", "Duy", "Đạt", "Đức", "Hải", "Hiếu", "Hoàng", "Hùng",
           "Huy", "Khải", "Khánh", "Khoa", "Kiên", "Lâm", "Long", "Lộc", "Minh", "Nam", "Nghĩa", "Nhân",
           "Phong", "Phúc", "Quân", "Quang", "Sơn", "Tài", "Thắng", "Thành", "Thịnh", "Toàn", "Trung",
           "Tuấn", "Tùng", "Việt", "Vinh", "Vũ", "Hưng", "Hậu", "Trường", "Khôi", "Đăng", "Phát", "Hiển",
           "Thuận", "Lực", "Quyết", "Tiến", "Định", "Chiến", "Khang", "Nguyên"]
GIVEN_F = ["An", "Anh", "Chi", "Dung", "Duyên", "Giang", "Hà", "Hằng", "Hạnh", "Hiền", "Hoa", "Hồng",
           "Huyền", "Hương", "Lan", "Liên", "Linh", "Loan", "Mai", "My", "Nga", "Ngân", "Ngọc", "Nhi",
           "Nhung", "Oanh", "Phương", "Quyên", "Quỳnh", "Thảo", "Thơ", "Thủy", "Thư", "Trang", "Tuyết",
           "Uyên", "Vân", "Vy", "Yến", "Hòa", "Diệp", "Ánh", "Thắm", "Xuân", "Huệ", "Lệ", "Nguyệt", "Trâm",
           "Khuê", "Hậu", "Điệp"]


def person_name(rng: random.Random, sex: str, surname: str | None = None, young: bool = False) -> str:
    fam = surname or wchoice(rng, SURNAMES)
    if sex == "Nam":
        mid = [rng.choice(MIDDLE_M)]
        if rng.random() < (0.35 if young else 0.12):
            mid = [rng.choice(["Văn", "Đức", "Hữu", "Minh", "Gia"]) if not young else rng.choice(MIDDLE_M[3:]),
                   rng.choice(MIDDLE2_M)]
        given = rng.choice(GIVEN_M)
    else:
        mid = [rng.choice(MIDDLE_F)]
        if rng.random() < (0.35 if young else 0.15):
            mid = [rng.choice(["Thị", "Ngọc", "Thu", "Bảo"]), rng.choice(MIDDLE2_F)]
        given = rng.choice(GIVEN_F)
    parts = [fam] + [m for i, m in enumerate(mid) if i == 0 or m != mid[i - 1]] + [given]
    if parts[-2] == parts[-1]:
        parts[-2] = "Thị" if sex == "Nữ" else "Văn"
    return nfc(" ".join(parts))


def title_case_name(name: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in name.split())


# --- ethnicities ------------------------------------------------------------------------------------

ETHNICITIES = ["Kinh", "Tày", "Thái", "Mường", "Khmer", "Hoa", "Nùng", "Mông", "Dao", "Gia Rai", "Ê Đê",
               "Ba Na", "Sán Chay", "Chăm", "Cơ Ho", "Xơ Đăng", "Sán Dìu", "Hrê", "Ra Glai", "Mnông", "Thổ",
               "Xtiêng", "Khơ Mú", "Bru - Vân Kiều", "Cơ Tu", "Giáy", "Tà Ôi", "Mạ", "Giẻ Triêng", "Co",
               "Chơ Ro", "Xinh Mun", "Hà Nhì", "Chu Ru", "Lào", "La Chí", "Kháng", "Phù Lá", "La Hủ", "La Ha",
               "Pà Thẻn", "Lự", "Ngái", "Chứt", "Lô Lô", "Mảng", "Cơ Lao", "Bố Y", "Cống", "Si La", "Pu Péo",
               "Rơ Măm", "Brâu", "Ơ Đu"]
assert len(ETHNICITIES) == 54


def ethnicity(rng: random.Random) -> str:
    r = rng.random()
    if r < 0.84:
        return "Kinh"
    if r < 0.97:
        return rng.choice(ETHNICITIES[1:17])
    return rng.choice(ETHNICITIES[17:])


# --- dates, ids, phones ----------------------------------------------------------------------------

def rand_date(rng: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=rng.randint(0, max(0, (hi - lo).days)))


def adult_dob(rng: random.Random, min_age: int, max_age: int, ref: dt.date = REF_DATE) -> dt.date:
    hi = dt.date(ref.year - min_age, ref.month, min(ref.day, 28))
    lo = dt.date(ref.year - max_age, ref.month, min(ref.day, 28))
    return rand_date(rng, lo, hi)


def id_number(rng: random.Random, prov_code: str, sex: str, dob: dt.date) -> str:
    """12-digit personal ID: 3-digit province code, century+sex digit, 2-digit birth year, 6 random."""
    century = 0 if dob.year < 2000 else 2 if dob.year < 2100 else 4
    g = century + (0 if sex == "Nam" else 1)
    return "0%s%d%02d%06d" % (prov_code, g, dob.year % 100, rng.randint(0, 999999))


MOBILE_PREFIXES = ["032", "033", "034", "035", "036", "037", "038", "039", "056", "058", "059", "070",
                   "076", "077", "078", "079", "081", "082", "083", "084", "085", "086", "088", "089",
                   "090", "091", "093", "094", "096", "097", "098"]


def phone(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + "%07d" % rng.randint(0, 9999999)


def format_phone(rng: random.Random, p: str) -> str:
    return wchoice(rng, [(p, 6), (f"{p[:4]} {p[4:7]} {p[7:]}", 2), (f"{p[:4]}.{p[4:7]}.{p[7:]}", 1),
                         (f"{p[:3]} {p[3:6]} {p[6:]}", 1)])


def email_for(rng: random.Random, name: str, dob: dt.date) -> str:
    parts = ascii_fold(name).lower().split()
    base = wchoice(rng, [(parts[-1] + "".join(p[0] for p in parts[:-1]), 3), ("".join(parts[-2:]), 2),
                         (parts[-1] + "." + parts[0], 2), (parts[0] + parts[-1], 1)])
    suffix = wchoice(rng, [(str(dob.year), 2), ("%02d" % (dob.year % 100), 3), ("", 1),
                           (str(rng.randint(1, 999)), 2)])
    dom = wchoice(rng, [("gmail.com", 10), ("yahoo.com", 2), ("outlook.com", 1), ("hotmail.com", 1),
                        ("yahoo.com.vn", 1), ("icloud.com", 1)])
    return f"{base}{suffix}@{dom}"


# --- Vietnamese number and date words ----------------------------------------------------------------

DIGITS = ["không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín"]


def words_2(n: int) -> str:
    if n < 10:
        return DIGITS[n]
    if n == 10:
        return "mười"
    t, u = divmod(n, 10)
    head = "mười" if t == 1 else DIGITS[t] + " mươi"
    if u == 0:
        return head
    if u == 5:
        return head + " lăm"
    if u == 1 and t > 1:
        return head + " mốt"
    if u == 4 and t > 1:
        return head + " tư"
    return head + " " + DIGITS[u]


def words_year(y: int, thousand: str = "nghìn") -> str:
    th, rest = divmod(y, 1000)
    h, r = divmod(rest, 100)
    s = DIGITS[th] + " " + thousand
    if h == 0 and r == 0:
        return s
    s += " " + DIGITS[h] + " trăm"
    if r == 0:
        return s
    if r < 10:
        return s + " linh " + DIGITS[r]
    return s + " " + words_2(r)


MONTH_WORDS = ["một", "hai", "ba", "tư", "năm", "sáu", "bảy", "tám", "chín", "mười", "mười một", "mười hai"]


def date_in_words(rng: random.Random, d: dt.date) -> str:
    day = words_2(d.day)
    if d.day <= 10 and rng.random() < 0.5:
        day = "mùng " + day
    thousand = "nghìn" if rng.random() < 0.8 else "ngàn"
    return f"Ngày {day} tháng {MONTH_WORDS[d.month - 1]} năm {words_year(d.year, thousand)}"


# --- admin units and addresses -----------------------------------------------------------------------

STREETS = ["Lê Lợi", "Trần Hưng Đạo", "Nguyễn Trãi", "Hai Bà Trưng", "Quang Trung", "Lý Thường Kiệt",
           "Hoàng Diệu", "Phan Chu Trinh", "Nguyễn Huệ", "Điện Biên Phủ", "Hùng Vương", "Bà Triệu",
           "Lê Duẩn", "Võ Thị Sáu", "Nguyễn Văn Cừ", "Trần Phú", "Lê Hồng Phong", "Nguyễn Du",
           "Phạm Ngũ Lão", "Tôn Đức Thắng", "Nguyễn Thị Minh Khai", "Lạc Long Quân", "Âu Cơ",
           "Nguyễn Chí Thanh", "Phan Đình Phùng", "Cách Mạng Tháng Tám", "Ngô Quyền", "Đống Đa",
           "Lê Thánh Tông", "Yết Kiêu", "Kim Mã", "Giải Phóng", "Nguyễn Khánh Toàn", "Trường Chinh"]
HAMLETS = ["Đông", "Tây", "Nam", "Bắc", "Thượng", "Hạ", "Trung", "Yên Khê", "Phú Mỹ", "An Lạc", "Tân Lập",
           "Hòa Bình", "Đồng Tâm", "Quyết Tiến", "Thắng Lợi", "Đoài", "Chùa", "Đình", "Mới", "Phú Lợi",
           "Tân Thành", "Bình An", "Cầu Trắng", "Đồng Xuân", "Hưng Long", "Lộc Thọ", "Trại", "Xuân Đài"]
SOUTH_PROVINCES = {"75", "79", "80", "82", "86", "91", "92", "96", "72", "74", "77", "70", "83", "84",
                   "87", "89", "93", "94", "95", "68", "60", "58", "67", "66"}
MOUNTAIN_PROVINCES = {"02", "04", "06", "08", "10", "11", "12", "14", "15", "17", "20", "62", "64", "52"}


def _cap_first(s: str) -> str:
    return s[:1].upper() + s[1:]


class Units:
    def __init__(self, data_dir: str):
        self.current = []   # (pcode, province, ward)
        with open(os.path.join(data_dir, "units-2026.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.current.append((row["province_code"], nfc(row["province"]), nfc(_cap_first(row["ward"]))))
        self.legacy = []    # (pcode, province, district, ward)
        with open(os.path.join(data_dir, "units-legacy.csv"), encoding="utf-8") as f:
            for row in csv.DictReader(f):
                self.legacy.append((row["province_code"], nfc(row["province"]), nfc(row["district"]),
                                    nfc(_cap_first(row["ward"]))))
        self.legacy_provinces = sorted({r[0] for r in self.legacy})
        self.cur_phuong = [u for u in self.current if u[2].startswith("Phường")]
        self.cur_xa = [u for u in self.current if not u[2].startswith("Phường")]

    def current_unit(self, rng: random.Random, urban: bool | None = None, province: str | None = None):
        pool = self.current
        if province:
            pool = [u for u in pool if u[0] == province] or pool
        if urban is not None:
            sub = [u for u in pool if u[2].startswith("Phường") == urban]
            pool = sub or pool
        return rng.choice(pool)

    def legacy_unit(self, rng: random.Random, urban: bool | None = None):
        pool = self.legacy
        if urban is not None:
            pool = [u for u in pool if u[3].startswith("Phường") == urban] or pool
        return rng.choice(pool)


def street_part(rng: random.Random, urban: bool, pcode: str) -> str:
    if urban:
        n = rng.randint(1, 250)
        num = str(n) if rng.random() < 0.8 else f"{n}/{rng.randint(1, 40)}"
        street = rng.choice(STREETS)
        kind = wchoice(rng, [("Đường", 3), ("Phố", 2 if pcode in {"01", "31", "33", "37"} else 0.2)])
        return wchoice(rng, [
            (f"Số {num}, {kind} {street}", 4),
            (f"Số {n}, Ngõ {rng.randint(1, 300)}, {kind} {street}", 3),
            (f"Số nhà {n}, Tổ dân phố {rng.randint(1, 25)}", 2),
            (f"Số {num}, Hẻm {rng.randint(1, 400)} {street}", 1 if pcode in SOUTH_PROVINCES else 0.1),
            (f"Căn hộ {rng.randint(2, 30)}{rng.randint(1, 20):02d}, Tòa nhà {rng.choice('ABCDE')}{rng.randint(1, 3)}", 0.5),
            (f"Tổ {rng.randint(1, 30)}, Khu phố {rng.randint(1, 12)}", 1 if pcode in SOUTH_PROVINCES else 0.1),
        ])
    if pcode in SOUTH_PROVINCES:
        return wchoice(rng, [(f"Ấp {rng.choice(HAMLETS)}", 3), (f"Ấp {rng.randint(1, 9)}", 2),
                             (f"Số {rng.randint(1, 300)}, Ấp {rng.choice(HAMLETS)}", 1)])
    if pcode in MOUNTAIN_PROVINCES:
        return wchoice(rng, [(f"Bản {rng.choice(['Na Hối', 'Lũng Cú', 'Nà Phặng', 'Pác Ngòi', 'Hua Pan', 'Nậm Cang', 'Sín Chải', 'Khuổi Nằm'])}", 2),
                             (f"Thôn {rng.choice(HAMLETS)}", 2), (f"Xóm {rng.randint(1, 12)}", 1)])
    return wchoice(rng, [(f"Thôn {rng.choice(HAMLETS)}", 4), (f"Xóm {rng.randint(1, 15)}", 2),
                         (f"Thôn {rng.randint(1, 12)}", 1), (f"Xóm {rng.choice(HAMLETS)}", 1),
                         (f"Tổ dân phố {rng.randint(1, 20)}", 0.5)])


class Address:
    def __init__(self, text: str, pcode: str, province: str, ward: str, district: str | None):
        self.text, self.pcode, self.province, self.ward, self.district = text, pcode, province, ward, district


def address(rng: random.Random, units: Units, legacy_rate: float = 0.15, province: str | None = None,
            urban: bool | None = None, with_street: bool = True) -> Address:
    if urban is None:
        urban = rng.random() < 0.45
    if rng.random() < legacy_rate and province is None:
        pcode, prov, dist, ward = units.legacy_unit(rng, urban)
        head = street_part(rng, ward.startswith("Phường"), pcode) if with_street else None
        parts = ([head] if head else []) + [ward, dist, prov]
        return Address(", ".join(parts), pcode, prov, ward, dist)
    pcode, prov, ward = units.current_unit(rng, urban, province)
    head = street_part(rng, ward.startswith("Phường"), pcode) if with_street else None
    parts = ([head] if head else []) + [ward, prov]
    return Address(", ".join(parts), pcode, prov, ward, None)


def province_short(prov: str) -> str:
    for p in ("Thành phố ", "Tỉnh "):
        if prov.startswith(p):
            return prov[len(p):]
    return prov


def lower_unit(ward: str) -> str:
    """'Phường Ba Đình' -> 'phường Ba Đình' (as written after 'Ủy ban nhân dân' / 'Công an')."""
    for p in ("Phường ", "Xã ", "Đặc khu ", "Thị trấn "):
        if ward.startswith(p):
            return p.lower() + ward[len(p):]
    return ward
