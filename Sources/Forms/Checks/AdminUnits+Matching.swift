extension AdminUnits {
    /// Finds the commune/ward and province at the end of an address: current ("…, Phường Ba Đình, Thành phố Hà
    /// Nội") or legacy ("…, Xã X, Huyện Y, Tỉnh Z"), with abbreviations ("P.", "F.", "X.", "TT.", "Q.", "H.",
    /// "TX.", "TP.", "TP.HCM"), without "Tỉnh"/"Thành phố", with OCR-damaged diacritics (names are compared
    /// after `VietnameseText.fold`, ties broken by the diacritics). A unit name printed without its type word
    /// must match exactly. Nil when no ward and province are found at the end.
    public func match(address: String) -> AddressMatch? {
        let text = VietnameseText.nfc(address)
        let tokens = AdminUnits.tokenize(text)
        var end = tokens.count
        // Trailing country name and postcode.
        while end > 0 {
            let t = tokens[end - 1].text
            if t == "vn" || t == "vietnam" || (t.count >= 5 && t.allSatisfy(\.isNumber)) {
                end -= 1
            } else if t == "nam", end >= 2, tokens[end - 2].text == "viet" {
                end -= 2
            } else {
                break
            }
        }
        guard end > 0 else { return nil }

        var candidates = self.candidates(in: current, isLegacy: false, tokens, text: text, end: end)
        // The legacy table is needed unless a current unit matched exactly, with its type word written (then no
        // legacy reading can explain more of the address equally well).
        let settled = candidates.contains { $0.score >= 1 && $0.ward.typed }
        if !settled {
            candidates += self.candidates(in: legacy, isLegacy: true, tokens, text: text, end: end)
        }
        guard !candidates.isEmpty else { return nil }

        // Scores within 0.01 of the best count as equal: then the reading that explains more of the address wins,
        // then the diacritics decide between names that fold alike or are equally far from what was printed.
        let top = candidates.map(\.score).max()!
        let near = candidates.filter { top - $0.score < 0.01 }.sorted { a, b in
            if a.consumed != b.consumed { return a.consumed > b.consumed }
            if a.ward.accent != b.ward.accent { return a.ward.accent > b.ward.accent }
            if a.score != b.score { return a.score > b.score }
            return !a.isLegacy && b.isLegacy
        }
        let best = near[0]
        let tables = best.isLegacy ? legacy : current
        let province = tables.provinces[best.province]
        let ward = province.wards[best.ward.unit]
        var score = best.score
        // Two different units that read the same (names differing only in diacritics, with the diacritics lost).
        if near.dropFirst().contains(where: {
            $0.consumed == best.consumed && abs($0.ward.accent - best.ward.accent) < 0.01
                && ($0.isLegacy ? legacy : current).provinces[$0.province].wards[$0.ward.unit].official != ward.official
        }) {
            score *= 0.9
        }
        var districtName = best.district.map { province.districts[$0].unit.official }
        if province.isLegacy, best.district == nil, best.ward.unit < province.wardDistrict.count {
            // Named without its district: name the district when that ward name is unique in the province.
            if (province.wardIndex[ward.core] ?? []).count == 1 {
                districtName = province.districts[province.wardDistrict[best.ward.unit]].unit.official
            }
        }

        var prefix = String(text[..<tokens[best.wardStart].start])
        while let last = prefix.last, last.isWhitespace || ",;.-–—:".contains(last) { prefix.removeLast() }
        let suffix = String(text[tokens[best.provinceEnd - 1].end...])
        var names = [ward.official]
        if let d = best.district { names.append(province.districts[d].unit.official) }
        names.append(province.unit.official)
        let tail = names.joined(separator: ", ")
        let corrected = (prefix.isEmpty ? tail : prefix + ", " + tail) + suffix

        return AddressMatch(
            ward: ward.official, province: province.unit.official, district: districtName,
            isLegacy: province.isLegacy, score: min(1, max(0, score)), corrected: corrected)
    }

    /// Every reading of the address's end as ward (district) province in one table.
    private func candidates(in tables: Tables, isLegacy: Bool, _ tokens: [Token], text: String, end: Int)
        -> [Candidate]
    {
        var candidates: [Candidate] = []
        for hit in provinceHits(tables, tokens, text: text, endingAt: end) {
            let province = tables.provinces[hit.unit]
            let provincePart = Part(sim: hit.sim, length: province.unit.coreBytes.count)
            func add(_ ward: Hit, district: Hit?, factor: Double) {
                var parts = [ward.part, provincePart]
                if let district { parts.insert(district.part, at: 1) }
                candidates.append(
                    Candidate(
                        isLegacy: isLegacy, province: hit.unit, district: district?.unit, ward: ward,
                        wardStart: ward.start, provinceEnd: end, parts: parts, factor: factor))
            }
            let wardsBeforeProvince = unitHits(
                tokens, text: text, endingAt: hit.start, units: province.wards, index: province.wardIndex,
                subset: nil, maxTokens: province.maxWardTokens, level: \.isWardLevel)
            if !isLegacy {
                for ward in wardsBeforeProvince { add(ward, district: nil, factor: hit.factor * ward.factor) }
                continue
            }
            for districtHit in unitHits(
                tokens, text: text, endingAt: hit.start, units: province.districts.map(\.unit),
                index: province.districtIndex, subset: nil, maxTokens: province.maxWardTokens,
                level: \.isDistrictLevel)
            {
                let district = province.districts[districtHit.unit]
                for ward in unitHits(
                    tokens, text: text, endingAt: districtHit.start, units: province.wards,
                    index: district.wardIndex, subset: district.wardIndices, maxTokens: province.maxWardTokens,
                    level: \.isWardLevel)
                {
                    add(ward, district: districtHit, factor: hit.factor * districtHit.factor * ward.factor)
                }
            }
            // A legacy ward written without its district.
            for ward in wardsBeforeProvince { add(ward, district: nil, factor: hit.factor * ward.factor * 0.93) }
        }
        return candidates
    }

    // MARK: - Internals

    struct Token {
        var text: String
        var start: String.Index
        var end: String.Index
        /// A comma, semicolon or parenthesis (or the start of the text) comes before this token.
        var startsSegment: Bool
    }

    struct Part {
        var sim: Double
        var length: Int
    }

    struct Hit {
        /// Index of the unit in the list searched.
        var unit: Int
        /// Whether the unit's type word is written before its name.
        var typed: Bool
        /// First token of the match, type word included.
        var start: Int
        var sim: Double
        var factor: Double
        /// Similarity with diacritics, for ties.
        var accent: Double
        var length: Int

        var part: Part { Part(sim: sim, length: length) }
    }

    struct Candidate {
        var isLegacy: Bool
        var province: Int
        var district: Int?
        var ward: Hit
        var wardStart: Int
        var provinceEnd: Int
        var parts: [Part]
        var factor: Double

        /// Tokens of the address explained by this reading.
        var consumed: Int { provinceEnd - wardStart }

        var score: Double {
            let total = parts.reduce(0) { $0 + $1.length }
            let weighted = parts.reduce(0.0) { $0 + $1.sim * Double($1.length) }
            return total == 0 ? 0 : weighted / Double(total) * factor
        }
    }

    /// 1 when the printed name has no diacritics at all (typed without them) or the same ones as `unit`; less
    /// the more they differ.
    static func accentAgreement(_ printed: Substring, _ unit: Unit) -> Double {
        guard printed.unicodeScalars.contains(where: { $0.value >= 0x80 && $0.properties.isAlphabetic }) else {
            return 1
        }
        let key = printed.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            .map { AdminUnits.normalizeNumber(Substring(VietnameseText.Letters.key($0))) }
            .joined(separator: " ")
        return VietnameseText.similarity(key, unit.accentKey)
    }

    /// Words of the address, folded, with their place in the text. "P.12" → "p", "12"; "Q1" → "q", "1";
    /// "01" → "1".
    static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var i = text.startIndex
        var boundary = true
        func isWordChar(_ c: Character) -> Bool { c.isLetter || c.isNumber }
        while i < text.endIndex {
            guard isWordChar(text[i]) else {
                if ",;()\n".contains(text[i]) { boundary = true }
                i = text.index(after: i)
                continue
            }
            var j = text.index(after: i)
            while j < text.endIndex {
                if isWordChar(text[j]) {
                    j = text.index(after: j)
                } else if VietnameseText.apostrophes.contains(text[j]), text.index(after: j) < text.endIndex,
                    text[text.index(after: j)].isLetter
                {
                    j = text.index(after: j)
                } else {
                    break
                }
            }
            let folded = VietnameseText.fold(String(text[i..<j]))
            if let split = abbreviationWithNumber(folded) {
                let mid = text.index(i, offsetBy: split.0.count, limitedBy: j) ?? j
                tokens.append(Token(text: split.0, start: i, end: mid, startsSegment: boundary))
                tokens.append(
                    Token(text: normalizeNumber(Substring(split.1)), start: mid, end: j, startsSegment: false))
            } else {
                tokens.append(
                    Token(text: normalizeNumber(Substring(folded)), start: i, end: j, startsSegment: boundary))
            }
            boundary = false
            i = j
        }
        return tokens
    }

    private static func abbreviationWithNumber(_ word: String) -> (String, String)? {
        for prefix in ["phuong", "quan", "p", "f", "q", "x", "h", "tt", "tx", "tp"] where word.hasPrefix(prefix) {
            let rest = word.dropFirst(prefix.count)
            if !rest.isEmpty, rest.allSatisfy({ $0.isASCII && $0.isNumber }) { return (prefix, String(rest)) }
        }
        return nil
    }

    /// The unit type written just before token `j` ("thành phố", "TP", "P", …), its number of tokens, and 1, or less
    /// when the word is only close to a type word ("Phuờng" is exact once folded; "Phưxng" is close).
    static func typeWord(_ tokens: [Token], endingAt j: Int) -> (kind: Kind, count: Int, factor: Double)? {
        if j >= 2 {
            let (a, b) = (tokens[j - 2].text, tokens[j - 1].text)
            switch (a, b) {
            case ("thanh", "pho"): return (.thanhPho, 2, 1)
            case ("thi", "xa"): return (.thiXa, 2, 1)
            case ("thi", "tran"): return (.thiTran, 2, 1)
            case ("dac", "khu"): return (.dacKhu, 2, 1)
            default: break
            }
            if a == "thi", b.count == 4, VietnameseText.similarity(b, "tran") >= 0.75 { return (.thiTran, 2, 0.97) }
        }
        guard j >= 1 else { return nil }
        let word = tokens[j - 1].text
        switch word {
        case "phuong", "p", "f": return (.phuong, 1, 1)
        case "xa", "x": return (.xa, 1, 1)
        case "quan", "q": return (.quan, 1, 1)
        case "huyen", "h": return (.huyen, 1, 1)
        case "tinh", "t": return (.tinh, 1, 1)
        case "tp": return (.thanhPho, 1, 1)
        case "tx": return (.thiXa, 1, 1)
        case "tt": return (.thiTran, 1, 1)
        default: break
        }
        // One letter misread in a long type word.
        if word.count >= 5 {
            if VietnameseText.similarity(word, "phuong") >= 0.8 { return (.phuong, 1, 0.97) }
            if VietnameseText.similarity(word, "huyen") >= 0.8 { return (.huyen, 1, 0.97) }
        }
        return nil
    }

    private func provinceHits(_ tables: Tables, _ tokens: [Token], text: String, endingAt end: Int) -> [Hit] {
        var hits: [Hit] = []
        for k in 1...min(5, end) {
            let span = tokens[(end - k)..<end].map(\.text).joined(separator: " ")
            var found: [(Int, Double)] = (tables.provinceKeys[span] ?? []).map { ($0, 1.0) }
            if found.isEmpty, span.utf8.count >= 5 {
                let bytes = Array(span.utf8)
                for (key, targets) in tables.provinceKeyBytes where abs(key.count - bytes.count) <= 2 {
                    let sim = VietnameseText.similarity(bytes: bytes, key)
                    if sim >= 0.8 { found += targets.map { ($0, sim) } }
                }
            }
            let printed = text[tokens[end - k].start..<tokens[end - 1].end]
            for (p, sim) in found {
                let unit = tables.provinces[p].unit
                var start = end - k
                var factor = 1.0
                if let (kind, n, typeFactor) = AdminUnits.typeWord(tokens, endingAt: start) {
                    guard kind.isProvinceLevel else { continue }
                    start -= n
                    factor = typeFactor
                    if let official = unit.kind, official != kind { factor *= 0.98 }
                }
                // Not through an alias ("Sài Gòn"): printed diacritics must agree with the official name.
                let accent = sim < 1 || span == unit.core ? AdminUnits.accentAgreement(printed, unit) : 1
                if accent < 1 { factor *= 0.95 + 0.05 * accent }
                hits.append(
                    Hit(
                        unit: p, typed: start < end - k, start: start, sim: sim, factor: factor, accent: accent,
                        length: 0))
            }
        }
        // The longest reading of each province wins ("Thành phố Hồ Chí Minh" over "Minh").
        var best: [Int: Hit] = [:]
        for h in hits where best[h.unit].map({ h.sim * h.factor > $0.sim * $0.factor }) ?? true { best[h.unit] = h }
        return Array(best.values).sorted { $0.unit < $1.unit }
    }

    /// Units of `units` whose name ends just before token `end`, with their type word if one is written.
    private func unitHits(
        _ tokens: [Token], text: String, endingAt end: Int, units: [Unit], index: [String: [Int]], subset: [Int]?,
        maxTokens: Int, level: KeyPath<Kind, Bool>
    ) -> [Hit] {
        guard end > 0 else { return [] }
        var hits: [Hit] = []
        for k in 1...min(maxTokens + 1, end) {
            let span = tokens[(end - k)..<end].map(\.text).joined(separator: " ")
            var found: [(Int, Double)] = (index[span] ?? []).map { ($0, 1.0) }
            if found.isEmpty, span.utf8.count >= 5 {
                let bytes = Array(span.utf8)
                for u in subset ?? Array(units.indices)
                where units[u].tokenCount == k && abs(units[u].coreBytes.count - bytes.count) <= 2 {
                    let sim = VietnameseText.similarity(bytes: bytes, units[u].coreBytes)
                    if sim >= 0.8 { found.append((u, sim)) }
                }
            }
            guard !found.isEmpty else { continue }
            let printed = text[tokens[end - k].start..<tokens[end - 1].end]
            for (u, sim) in found {
                let unit = units[u]
                if let kind = unit.kind, !kind[keyPath: level] { continue }
                var start = end - k
                var factor = 1.0
                var typed = false
                if let (kind, n, typeFactor) = AdminUnits.typeWord(tokens, endingAt: start) {
                    typed = true
                    factor = typeFactor
                    if kind == unit.kind {
                        start -= n
                    } else if kind[keyPath: level] {
                        start -= n
                        factor *= 0.95
                    } else {
                        continue  // the word before names a unit of another level
                    }
                } else if sim < 1 || unit.isNumeric || !tokens[start].startsSegment {
                    continue  // a name without its type word must be exact and stand alone between commas
                }
                let accent = AdminUnits.accentAgreement(printed, unit)
                // Printed diacritics that differ from the official ones: maybe another unit's name damaged into
                // this one ("Bình Tuyền" read "Bình xuyền" = "Bình Xuyên" once folded).
                if accent < 1 { factor *= 0.95 + 0.05 * accent }
                hits.append(
                    Hit(
                        unit: u, typed: typed, start: start, sim: sim, factor: factor, accent: accent,
                        length: unit.coreBytes.count))
            }
        }
        return hits
    }
}
