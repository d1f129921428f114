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
    ]
    /// Type words, replaced only where a comma-separated part starts with them.
    static let typeWords: [String] = [
        "Phường", "Xã", "Tỉnh", "Quận", "Huyện", "Đường", "Phố", "Ngõ", "Ngách", "Hẻm", "Thôn", "Ấp", "Xóm",
        "Bản", "Tổ", "Số", "Khu", "Làng", "Buôn", "Sóc", "Khóm", "Khối",
    ]
    static let typePrefixes = ["thanh pho", "thi tran", "thi xa", "dac khu", "phuong", "xa", "tinh", "quan", "huyen"]

    /// `text` with known words spelled right; `names` are official unit names (with or without their type word).
    static func repair(_ text: String, names: [String] = []) -> String {
        var words = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
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
        return words.joined(separator: " ")
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
                for (k, w) in bare.enumerated() where w.core != target[k] {
                    // Keep the printed case: all capitals stay capitals, a capital initial stays.
                    var fixed = target[k]
                    if w.core == w.core.uppercased() && w.core.count > 1 { fixed = fixed.uppercased() }
                    else if w.core.first?.isUppercase == true { fixed = fixed.prefix(1).uppercased() + fixed.dropFirst() }
                    else if w.core.first?.isLowercase == true { fixed = fixed.prefix(1).lowercased() + fixed.dropFirst() }
                    words[i + k] = w.lead + fixed + w.trail
                }
                i += target.count
            } else {
                i += 1
            }
        }
    }

    /// A word without the punctuation around it.
    private static func strip(_ word: String) -> (lead: String, core: String, trail: String) {
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
