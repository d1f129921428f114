import Foundation

/// Repairs OCR's diacritic slips in words whose spelling is known for certain: the fixed phrases of
/// administrative text ("Ủy ban nhân dân", "Thành phố", "Bệnh viện Đa khoa") and the official names of the
/// administrative units an address was matched to. Only words that fold to the same letters are replaced.
enum TextRepair {
    /// Fixed phrases, matched anywhere.
    static let phrases: [String] = [
        "Ủy ban nhân dân", "Công an", "Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Tổ dân phố", "Khu phố",
        "Khu dân cư", "Số nhà", "Bệnh viện", "Đa khoa", "Phụ sản", "Sản Nhi", "Trạm Y tế", "Trung tâm Y tế",
        "khu vực", "Nhà hộ sinh", "Đăng ký thường trú", "Đăng ký tạm trú", "hộ gia đình", "chủ hộ", "Việt Nam",
        "Phòng khám", "tại nhà",
        // Terms of the residence law (Luật Cư trú 2020) a request is written in.
        "chỗ ở hợp pháp", "thuộc quyền sở hữu", "thuê mượn ở nhờ", "nơi thường trú", "nơi tạm trú", "Tách hộ",
        "Căn hộ", "Tòa nhà",
    ]
    /// Type words, replaced only where a comma-separated part starts with them.
    static let typeWords: [String] = [
        "Phường", "Xã", "Tỉnh", "Quận", "Huyện", "Đường", "Phố", "Ngõ", "Ngách", "Hẻm", "Thôn", "Ấp", "Xóm",
        "Bản", "Tổ", "Số", "Khu", "Làng", "Buôn", "Sóc", "Khóm", "Khối",
    ]
    static let typePrefixes = ["thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "xa", "tinh", "quan", "huyen"]

    /// `text` with known words spelled right; `names` are official unit names (with or without their type word).
    static func repair(_ text: String, names: [String] = []) -> String {
        repairs(text, names: names).text
    }

    /// What `repair` made of a text, and how many fixed phrases it found too garbled to put right.
    struct Repair: Equatable {
        var text: String
        var garbled: Int
    }

    /// `offices`: fixed text the value starts with (the offices a recipient is addressed to, from the template).
    static func repairs(_ text: String, names: [String] = [], offices: [String] = []) -> Repair {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        var garbled = 0
        // A lone letter or mark before a fixed phrase at the start ("U Ủy ban nhân dân", ") Công an") is a speck.
        if words.count >= 3, words[0].count == 1, !(words[0].first?.isNumber ?? true),
           officePhrases.contains(where: { VietnameseText.fold(words[1...].joined(separator: " ")).hasPrefix($0) }) {
            words.removeFirst()
        }
        if !offices.isEmpty { garbled += repairOffice(&words, offices: offices.map { $0.split(separator: " ").map(String.init) }) }
        var cores: [String] = []
        for name in names {
            let folded = VietnameseText.fold(name)
            var core = name
            for prefix in typePrefixes where folded.hasPrefix(prefix + " ") {
                core = name.split(separator: " ").dropFirst(prefix.split(separator: " ").count).joined(separator: " ")
                break
            }
            cores.append(core)
        }
        for phrase in phrases + cores { replace(phrase, in: &words, partStartOnly: false) }
        for word in typeWords { replace(word, in: &words, partStartOnly: true) }
        garbled += repairTypeWords(&words)
        // "Ủy ban nhân dân, phường Hà Đông": a comma OCR put between the office and its unit.
        for i in words.indices.dropLast() where words[i].hasSuffix(",") {
            let next = VietnameseText.fold(words[i + 1])
            let office = VietnameseText.fold(words[max(0, i - 3)...i].joined(separator: " "))
            if (office.hasSuffix("uy ban nhan dan") || office.hasSuffix("cong an")),
               ["phuong", "xa", "thi tran", "dac khu"].contains(where: { next.hasPrefix($0) }),
               words[i + 1].first?.isLowercase == true {
                words[i].removeLast()
            }
        }
        return Repair(text: words.joined(separator: " "), garbled: garbled)
    }

    /// The offices a recipient starts with, folded.
    static let officePhrases = ["uy ban nhan dan", "cong an", "ubnd"]

    /// The office at the start of a text, read with a letter wrong, missing or a space lost or added ("Uyban nhân
    /// dân", "ông an xã", "Công:an"), spelled right; returns 1 when the start is close to an office but too far to
    /// be sure.
    private static func repairOffice(_ words: inout [String], offices: [[String]]) -> Int {
        var best: (take: Int, office: [String], distance: Int)?
        var near = false
        for office in offices {
            let target = Array(VietnameseText.fold(office.joined()).filter { $0 != " " })
            for take in max(1, office.count - 1)...(office.count + 1) where take <= words.count {
                let printed = Array(VietnameseText.fold(words[0..<take].joined()).filter { $0 != " " })
                let d = VietnameseText.levenshtein(printed, target)
                if d == 0 || (d == 1 && target.count >= 6) {
                    if best == nil || d < best!.distance { best = (take, office, d) }
                } else if d <= 3 && target.count >= 10 && d * 4 <= target.count {
                    near = true
                }
            }
        }
        guard let best else { return near ? 1 : 0 }
        let printed = words[0..<best.take]
        if best.take == best.office.count, zip(printed, best.office).allSatisfy({ strip($0).core == $1 }) { return 0 }
        // The next word must not be the office's own last word read twice ("Công an an").
        let trail = strip(printed.last!).trail
        let fixed = best.office.enumerated().map { k, w in
            // The office's own case, unless the page printed it in capitals.
            let capitals = printed.allSatisfy { $0.filter(\.isLetter) == $0.filter(\.isLetter).uppercased() }
                && printed.joined().filter(\.isLetter).count > 2
            return capitals ? w.uppercased() : w
        }
        var replaced = fixed
        replaced[replaced.count - 1] += trail
        words.replaceSubrange(0..<best.take, with: replaced)
        return 0
    }

    static let addressWords: Set<String> = Set(["phòng", "tầng", "lầu", "lô", "căn", "kho", "nhà", "dãy", "km", "block",
                                                "toà", "tòa", "kiốt", "ki", "ô", "thửa", "tờ"].map { VietnameseText.Letters.key($0) })

    /// Type words followed by a number, read with one letter wrong ("Thén 7" → "Thôn 7", "Ngé 31" → "Ngõ 31",
    /// "Số nhờ 12" → "Số nhà 12") where exactly one type word is that close; 1 for each such word where several are.
    private static func repairTypeWords(_ words: inout [String]) -> Int {
        var garbled = 0
        let numbered = ["Thôn", "Số", "Ngõ", "Ngách", "Hẻm", "Tổ", "Khu", "Ấp", "Xóm", "Khóm", "Khối", "Phường",
                        "Quận", "Đường", "Phố", "Số nhà", "Tổ dân phố", "Khu phố"]
        let lastWords = Set(numbered.map { VietnameseText.fold(String($0.split(separator: " ").last!)) })
        // "Tổ dân phố - 19", "Ấp - 4": a dash OCR made of a speck between a type word and its number.
        var k = 1
        while k + 1 < words.count {
            if ["-", "–", "—", "."].contains(words[k]), words[k + 1].first?.isNumber == true,
               lastWords.contains(VietnameseText.fold(words[k - 1])) {
                words.remove(at: k)
            }
            k += 1
        }
        // "Xã Quảng Phong Huyện Hải Hà": the comma before the next unit's type word was lost.
        let unitWords: Set<String> = ["Huyện", "Tỉnh", "Quận", "Phường", "Xã", "Thị xã", "Thành phố", "Thị trấn"]
        for j in words.indices.dropFirst().reversed() where words[j - 1].last?.isLetter == true {
            let one = words[j], two = j + 1 < words.count ? words[j] + " " + words[j + 1] : ""
            guard unitWords.contains(one) || unitWords.contains(two) else { continue }
            // Only inside a list of units: the part so far starts with a unit's type word ("Xã …", not "Bệnh viện …").
            var start = j - 1
            while start > 0, !words[start - 1].hasSuffix(",") { start -= 1 }
            let head = VietnameseText.fold(words[start])
            guard words[start].first?.isUppercase == true, j - start >= 2,
                  (typeWords + ["Thị", "Thành"]).contains(where: { VietnameseText.fold($0) == head }) else { continue }
            words[j - 1] += ","
        }
        // "Tòa nhà D3; Phường …": a semicolon before the next unit is a comma.
        for j in words.indices.dropLast() where words[j].hasSuffix(";") {
            let next = VietnameseText.fold(words[j + 1])
            if words[j + 1].first?.isUppercase == true, typePrefixes.contains(where: { $0.hasPrefix(next) }) {
                words[j].removeLast()
                words[j] += ","
            }
        }
        for w in words {
            let core = strip(w).core
            // "72m Y tế", "Tc20": digits run into lower-case letters are what OCR makes of a type word it misread.
            if core.contains(where: \.isNumber), core.contains(where: \.isLowercase),
               !core.hasSuffix("6") || core.first?.isNumber == true { garbled += 1 }
        }
        // "7020, Khu phố 1": an address that starts with a bare number before its other units lost its type word.
        if words.count >= 3, words[0].hasSuffix(","), words[0].dropLast().allSatisfy(\.isNumber),
           typeWords.contains(where: { VietnameseText.fold($0) == VietnameseText.fold(strip(words[1]).core) }) {
            garbled += 1
        }
        var i = 0
        while i < words.count {
            defer { i += 1 }
            guard i == 0 || words[i - 1].hasSuffix(",") || words[i - 1].hasSuffix(";") else { continue }
            // "S6 201", "Ng6 209": the digit 6 is what OCR makes of ố, õ, ổ.
            let w = strip(words[i])
            if w.lead.isEmpty, w.core.count >= 2, w.core.last == "6", w.core.dropLast().allSatisfy(\.isLetter) {
                let head = VietnameseText.fold(String(w.core.dropLast()))
                let fits = numbered.filter { !$0.contains(" ") && VietnameseText.fold($0) == head + "o" }
                if fits.count == 1, i + 1 < words.count, words[i + 1].first?.isNumber == true {
                    words[i] = matchCase(fits[0], like: w.core) + w.trail
                    continue
                }
            }
            if w.lead.isEmpty, let six = w.core.firstIndex(of: "6"), six != w.core.startIndex,
               w.core[..<six].allSatisfy(\.isLetter), w.core[w.core.index(after: six)...].allSatisfy(\.isNumber),
               w.core.index(after: six) != w.core.endIndex,
               numbered.contains(where: { VietnameseText.fold($0) == VietnameseText.fold(String(w.core[..<six])) + "o" }) {
                // "S639": Số 639 or Số 39, the page must say.
                garbled += 1
                continue
            }
            for take in [1, 2] where i + take < words.count {
                let part = words[i..<(i + take)].map { strip($0) }
                guard part.allSatisfy({ !$0.core.isEmpty && $0.core.allSatisfy(\.isLetter) }),
                      part.dropLast().allSatisfy({ $0.trail.isEmpty }),
                      words[i + take].first?.isNumber == true else { continue }
                let printed = VietnameseText.fold(part.map(\.core).joined(separator: " "))
                // Words of addresses that are no type word ("Phòng 301", "Tầng 5", "Lô 7").
                guard !addressWords.contains(VietnameseText.Letters.key(part[0].core)) else { break }
                guard !numbered.contains(where: { VietnameseText.fold($0) == printed }) else { break }
                let close = numbered.filter {
                    let f = VietnameseText.fold($0)
                    return f.split(separator: " ").count == take && f.count >= 3
                        && VietnameseText.levenshtein(Array(f), Array(printed)) == 1
                }
                if close.count == 1 {
                    let target = close[0].split(separator: " ").map(String.init)
                    for k in 0..<take {
                        words[i + k] = part[k].lead + matchCase(target[k], like: part[k].core) + part[k].trail
                    }
                    break
                } else if close.count > 1 {
                    garbled += 1
                    break
                }
            }
        }
        return garbled
    }

    private static func replace(_ phrase: String, in words: inout [String], partStartOnly: Bool) {
        let target = phrase.split(separator: " ").map(String.init)
        let foldedTarget = target.map { VietnameseText.fold($0) }
        guard !target.isEmpty, words.count >= target.count else { return }
        var i = 0
        while i + target.count <= words.count {
            if partStartOnly && i > 0 && !(words[i - 1].hasSuffix(",") || words[i - 1].hasSuffix(";")) {
                i += 1
                continue
            }
            let window = words[i..<(i + target.count)]
            let bare = window.map { strip($0) }
            let foldedWindow = bare.map { VietnameseText.fold($0.core) }
            // Long fixed phrases also survive one misread letter ("Uv ban nhân dân").
            let close = !partStartOnly && target.count >= 3 && foldedWindow.count == foldedTarget.count
                && VietnameseText.levenshtein(Array(foldedWindow.joined(separator: " ")),
                                              Array(foldedTarget.joined(separator: " "))) <= 1
                && phrases.contains(phrase)
            if foldedWindow == foldedTarget || close {
                // Where only the tone's place differs ("Hoá"/"Hóa", "Uỷ"/"Ủy"), the page's spelling is a real variant.
                for (k, w) in bare.enumerated()
                where w.core != target[k] && VietnameseText.Letters.key(w.core) != VietnameseText.Letters.key(target[k]) {
                    // Keep the printed case: all capitals stay capitals, a capital initial stays.
                    words[i + k] = w.lead + matchCase(target[k], like: w.core) + w.trail
                }
                i += target.count
            } else {
                i += 1
            }
        }
    }

    /// A word without the punctuation around it.
    static func strip(_ word: String) -> (lead: String, core: String, trail: String) {
        let chars = Array(word)
        var a = 0, b = chars.count
        while a < b, !(chars[a].isLetter || chars[a].isNumber) { a += 1 }
        while b > a, !(chars[b - 1].isLetter || chars[b - 1].isNumber) { b -= 1 }
        return (String(chars[..<a]), String(chars[a..<b]), String(chars[b...]))
    }

    /// Two readings of one name combined: where the first reading's syllable is not a known name syllable but the
    /// second reading has the same letters with diacritics that are, take the second's ("QUAN" + "QUÂN" → "QUÂN").
    static func mergeName(_ first: String, _ second: String) -> String {
        let words = first.split(separator: " ").map(String.init)
        // The second reading's letters without spaces, with their original characters.
        var folded: [Character] = []
        var origin: [Character] = []
        for c in second {
            guard let f = Fold.character(c), f != " " else { continue }
            folded.append(f)
            origin.append(c)
        }
        var pointer = 0
        var out: [String] = []
        for (i, word) in words.enumerated() {
            let key = Fold.string(word).filter { $0 != " " }
            var chosen = word
            if !key.isEmpty, let at = find(key, in: folded, from: pointer, slack: 3) {
                let variant = String(origin[at..<(at + key.count)])
                if !isKnownName(word, first: i == 0) && isKnownName(variant, first: i == 0) {
                    chosen = word == word.uppercased() ? variant.uppercased() : variant
                }
                pointer = at + key.count
            }
            out.append(chosen)
        }
        return out.joined(separator: " ")
    }

    /// Splits words OCR glued together ("NGUYỄNKIMHOA") into known name syllables, when exactly that works.
    static func splitGlued(_ name: String) -> String {
        name.split(separator: " ").map { word -> String in
            let w = String(word)
            guard w.count >= 6, !isKnownName(w, first: false), !isKnownName(w, first: true) else { return w }
            let chars = Array(w)
            // best[i]: fewest syllables covering chars[0..<i], and where the last one starts.
            var best = [(count: Int, from: Int)?](repeating: nil, count: chars.count + 1)
            best[0] = (0, 0)
            for end in 1...chars.count {
                for start in max(0, end - 7)..<end {
                    guard let prior = best[start], isKnownName(String(chars[start..<end]), first: start == 0) else { continue }
                    if best[end] == nil || prior.count + 1 < best[end]!.count { best[end] = (prior.count + 1, start) }
                }
            }
            guard best[chars.count] != nil else { return w }
            var parts: [String] = []
            var end = chars.count
            while end > 0, let step = best[end] {
                parts.insert(String(chars[step.from..<end]), at: 0)
                end = step.from
            }
            return parts.joined(separator: " ")
        }.joined(separator: " ")
    }

    /// Folded syllable → the one known spelling with those letters (family names and name syllables apart); absent
    /// when several spellings share the letters ("van": Văn, Vân).
    static let uniqueFamily: [String: String] = uniqueByFold(Vocabulary.familyNames)
    static let uniqueSyllable: [String: String] = uniqueByFold(Vocabulary.nameSyllables.union(Vocabulary.familyNames))

    private static func uniqueByFold(_ words: Set<String>) -> [String: String] {
        var groups: [String: Set<String>] = [:]
        for w in words { groups[VietnameseText.fold(w), default: []].insert(w.precomposedStringWithCanonicalMapping) }
        return groups.compactMapValues { $0.count == 1 ? $0.first : nil }
    }

    /// Puts back tone marks OCR lost in a name, syllable by syllable, only where the letters allow one known
    /// spelling ("NGUYEN" as a family name is "NGUYỄN"; "TIEN" could be Tiên or Tiến and stays). Returns the name
    /// and whether anything changed.
    static func restoreNameDiacritics(_ name: String) -> (String, Bool) {
        var changed = false
        let words = name.split(separator: " ").enumerated().map { i, part -> String in
            let word = String(part)
            guard !isKnownName(word, first: i == 0) else { return word }
            let table = i == 0 ? uniqueFamily : uniqueSyllable
            guard let known = table[VietnameseText.fold(word)] else { return word }
            changed = true
            return word == word.uppercased() ? known.uppercased() : known
        }
        return (words.joined(separator: " "), changed)
    }

    static func isKnownName(_ word: String, first: Bool) -> Bool {
        let title = word.prefix(1).uppercased() + word.dropFirst().lowercased()
        let nfc = title.precomposedStringWithCanonicalMapping
        return (first && Vocabulary.familyNames.contains(nfc)) || Vocabulary.nameSyllables.contains(nfc)
            || Vocabulary.familyNames.contains(nfc)
    }

    private static func find(_ key: [Character], in text: [Character], from: Int, slack: Int) -> Int? {
        guard key.count <= text.count else { return nil }
        let last = min(text.count - key.count, from + slack)
        guard from <= last else { return nil }
        for start in from...last where Array(text[start..<(start + key.count)]) == key { return start }
        return nil
    }
}
