import Foundation

/// A reading of one field after its checks.
struct Judgement {
    var checked: CheckedValue
    var raw: String
    var ocr: Double
    var words: [TextWord]

    var score: Double { checked.value == nil ? 0 : ocr * checked.plausibility }
}

extension DocumentReading {
    /// Checks a candidate, reads it again when doubtful, and decides confidence and review.
    func finish(_ c: Candidate) async -> ExtractedField {
        var best = judge(c, raw: c.raw, words: c.words)
        var reread = false
        var doubt: CheckIssue?
        if Self.agreeingReadings.contains(c.type), let reader {
            (best, doubt) = await agreedDigits(c, reader: reader)
            reread = true
        }
        if best.checked.value == nil, let parts = c.parts, (2...3).contains(parts.count), let reader {
            // Day, month and year read slot by slot.
            var (digits, words) = await readDigits(parts, page: c.page, reader: reader)
            if parts.count == 2, digits[1].count >= 5 {
                // Month and year came together: the year is the last four digits.
                let both = digits.removeLast()
                digits += [String(both.dropLast(4)), String(both.suffix(4))]
            }
            let composed = judge(c, raw: digits.joined(separator: "/"), words: words)
            if composed.checked.value != nil {
                best = composed
                reread = true
            }
        }
        if needsReview(best, c), let reader, let box = c.rereadBox {
            if let second = await secondReading(c, after: best, reader: reader, box: box) {
                if second.checked.value != nil, second.checked.value == best.checked.value {
                    // Two readings (different segmentation / alphabet) agree.
                    best.ocr = min(1, max(best.ocr, second.ocr) + 0.1)
                    reread = true
                } else if second.score > best.score + 0.02 {
                    best = second
                    reread = true
                    // The crop reading replaced the page reading: a third reading of the crop at another scale must
                    // agree before it is trusted.
                    if let third = await secondReading(c, after: best, reader: reader, box: box, variant: 1),
                       third.checked.value == best.checked.value {
                        best.ocr = min(1, max(best.ocr, third.ocr) + 0.1)
                    }
                }
            }
        }
        var disagreement = doubt != nil
        if !reread, Self.crossRead.contains(c.type), best.checked.value != nil, let reader, let box = c.rereadBox,
           !needsReview(best, c) {
            // Digits and names go through only when a second, independent reading of the crop agrees: a slipped
            // digit or tone mark is the error no format check catches.
            var confirmed = false
            if let second = await secondReading(c, after: best, reader: reader, box: box) {
                // Only a credible second reading (well-formed, no failed check) can overrule the first.
                let credible = second.checked.plausibility >= 0.7 && !second.checked.issues.contains(where: policy.alwaysFlag.contains)
                if let v = second.checked.value, v != best.checked.value, credible {
                    disagreement = true
                    if second.score > best.score + 0.1 { best = second }
                } else if second.checked.value == best.checked.value {
                    best.ocr = min(1, max(best.ocr, second.ocr) + 0.05)
                    confirmed = true
                }
                reread = true
            }
            if !disagreement, !confirmed, Self.strictlyConfirmed.contains(c.type) {
                // A date whose second reading is garbled or missing is not confirmed: one slipped digit still
                // makes a date.
                disagreement = true
                doubt = .unconfirmedReading
            }
        }
        let box = best.words.unionBox ?? c.box
        var field = ExtractedField(key: c.key, value: best.checked.value, raw: VietnameseText.normalize(best.raw),
                                   confidence: 0, needsReview: true, page: c.page + 1, box: box,
                                   issues: best.checked.issues)
        field.confidence = confidence(best, c)
        field.needsReview = needsReview(best, c) || disagreement
        if disagreement {
            field.confidence = min(field.confidence, 0.5)
            field.issues.append(doubt ?? .readingsDisagree)
        }
        if c.unreadRow {
            // Read from the crop only, after the page's reading missed the whole row: an operator looks.
            field.needsReview = true
            field.confidence = min(field.confidence, 0.5)
            field.issues.append(.rowNotRead)
        }
        if best.checked.value == nil, c.optional, best.checked.issues.allSatisfy({ $0 == .empty }) {
            // A printed-but-empty optional field (no e-mail): nothing to review.
            field.value = nil
            field.needsReview = false
            field.confidence = min(0.9, c.labelScore * 0.9)
        }
        return field
    }

    /// Types whose value passes unflagged only when the crop's second reading gives the same value.
    static let strictlyConfirmed: Set<FieldType> = [.date]

    /// Types that pass unflagged only when two readings made differently agree character for character.
    static let agreeingReadings: Set<FieldType> = [.id, .phone]

    /// An identity number or a phone number read in every way that differs: the page's words; the crop
    /// re-binarised and read with a digit alphabet; for printed boxes, each box on its own and the boxes' marks
    /// packed into one line. The value most readings agree on wins; it passes only when at least two agree digit
    /// for digit (a slipped digit that still passes the structure checks is what no other check catches).
    /// Returns the chosen reading and, when nothing confirms it, why.
    func agreedDigits(_ c: Candidate, reader: CropReader) async -> (Judgement, CheckIssue?) {
        var readings = [judge(c, raw: c.raw, words: c.words)]
        if let parts = c.parts, parts.count >= 9 {
            let (digits, words) = await readDigits(parts, page: c.page, reader: reader)
            readings.append(judge(c, raw: digits.map { String($0.prefix(1)) }.joined(), words: words))
            if let packed = try? await reader.readPacked(page: c.page, boxes: parts), !packed.isEmpty {
                readings.append(judge(c, raw: packed.map(\.text).joined(), words: packed))
            }
        }
        if let box = c.rereadBox, let words = try? await reader.read(page: c.page, box: box, type: c.type),
           !words.isEmpty {
            readings.append(judge(c, raw: words.map(\.text).joined(separator: " "), words: words))
        }
        var support: [String: [Judgement]] = [:]
        for r in readings {
            if let v = r.checked.value { support[v, default: []].append(r) }
        }
        func strongest(_ js: [Judgement]) -> Judgement { js.max { $0.score < $1.score }! }
        let ranked = support.values.sorted { a, b in
            a.count != b.count ? a.count > b.count : strongest(a).score > strongest(b).score
        }
        guard let top = ranked.first else { return (strongest(readings), nil) }
        var best = strongest(top)
        if top.count >= 2 {
            best.ocr = min(1, top.map(\.ocr).max()! + 0.1)
            return (best, nil)
        }
        return (best, support.count >= 2 ? .readingsDisagree : .unconfirmedReading)
    }

    /// The digits read in each of several small boxes (printed digit boxes, date slots), and the words read.
    func readDigits(_ parts: [TextBox], page: Int, reader: CropReader) async -> ([String], [TextWord]) {
        var digits: [String] = []
        var words: [TextWord] = []
        for part in parts {
            let read = (try? await reader.read(page: page, box: part, type: .integer)) ?? []
            digits.append(read.map(\.text).joined())
            words += read
        }
        return (digits, words)
    }

    /// The field's crop read again; for names, merged with the first reading where that makes known names.
    func secondReading(_ c: Candidate, after first: Judgement, reader: CropReader, box: TextBox,
                       variant: Int = 0) async -> Judgement? {
        guard let words = try? await reader.read(page: c.page, box: box, type: c.type, variant: variant),
              !words.isEmpty else { return nil }
        let raw = words.map(\.text).joined(separator: " ")
        var second = judge(c, raw: raw, words: words)
        if c.type == .name {
            // The page reading's word breaks with the crop reading's diacritics.
            var merged = judge(c, raw: TextRepair.mergeName(first.raw, raw), words: first.words)
            merged.ocr = min(first.ocr, second.ocr)
            if merged.score > second.score { second = merged }
        }
        return second
    }

    /// Types whose unflagged values need two agreeing readings.
    /// (Identity and phone numbers have their own, stricter agreement: `agreeingReadings`.)
    static let crossRead: Set<FieldType> = [.date, .year, .name]

    func confidence(_ j: Judgement, _ c: Candidate) -> Double {
        guard j.checked.value != nil else { return 0 }
        return max(0, min(1, j.ocr * j.checked.plausibility * (0.7 + 0.3 * c.labelScore)))
    }

    func needsReview(_ j: Judgement, _ c: Candidate) -> Bool {
        if j.checked.value == nil { return true }
        if j.checked.issues.contains(where: policy.alwaysFlag.contains) { return true }
        return confidence(j, c) < policy.threshold
    }

    func judge(_ c: Candidate, raw: String, words: [TextWord]) -> Judgement {
        var spotted = ValueSpotter.spot(raw, as: c.type)
        var restored = false
        if c.type == .name {
            (spotted, restored) = TextRepair.restoreNameDiacritics(TextRepair.splitGlued(spotted))
        }
        var respelling: TextRepair.Respelling?
        var cut = false
        if c.type == .text || c.type == .address {
            spotted = ValueSpotter.unglueDots(spotted.filter { !"‘’“”\"`´|_".contains($0) })
            (spotted, cut) = ValueSpotter.cuttingLabels(spotted, labels: labelKeys)
            var names: [String] = []
            if c.vocabulary == nil {
                // Addresses, and texts that end with one (a recipient, a place of birth, a request).
                if let m = AdminUnits.shared.match(address: spotted) {
                    names = [m.ward, m.province] + (m.district.map { [$0] } ?? [])
                } else if let ward = WardNames.trailingWard(in: spotted) {
                    names = [ward]
                }
            }
            let repair = TextRepair.repairs(spotted, names: names, offices: c.opensWith)
            spotted = repair.text
            if c.vocabulary == nil {
                // A closed list (relationship, nationality) decides those values by itself.
                respelling = c.type == .text ? TextRepair.respellSyllables(repair.text, known: names)
                    : TextRepair.Respelling(text: repair.text, respelled: 0, doubts: 0)
                respelling?.garbled = repair.garbled
                spotted = respelling!.text
            }
        }
        var context = self.context
        context.dateRole = c.dateRole ?? .any
        var checked = ValueChecker.check(spotted, as: c.type, context: context)
        if let vocabulary = c.vocabulary, c.type == .text {
            checked = Self.vocabularyCheck(spotted, vocabulary: vocabulary)
        } else if c.corroborate == .address, c.type == .text {
            // Free text that names a place ("Ủy ban nhân dân xã …"): the units corroborate it, the text stays as printed.
            let address = ValueChecker.check(spotted, as: .address, context: context)
            if address.value != nil, !address.issues.contains(.unknownAdminUnit) {
                checked.plausibility = address.issues.isEmpty ? max(checked.plausibility, 0.9) : min(checked.plausibility, address.plausibility)
                checked.issues = address.issues
            } else if case let units = WardNames.trailingUnits(in: spotted), !units.isEmpty {
                // A ward or a province named alone: spelled exactly as an official name, it corroborates.
                let printed = VietnameseText.normalize(spotted).lowercased()
                let exact = units.contains { printed.hasSuffix($0.lowercased()) }
                checked.plausibility = exact ? max(checked.plausibility, 0.88) : 0.5
            } else {
                // A place no administrative unit confirms (or several units fold to the same letters).
                checked.plausibility = min(checked.plausibility, 0.6)
            }
        }
        if c.type == .address, let value = checked.value, var r = respelling {
            // An address comes back with its units in their official spelling: what is left to doubt is before them.
            let again = TextRepair.respellSyllables(value)
            (r.text, r.respelled, r.doubts) = (again.text, again.respelled, again.doubts)
            r.garbled = TextRepair.repairs(again.text).garbled
            checked.value = again.text
            respelling = r
        }
        if let respelling, checked.value != nil {
            if respelling.garbled > 0 {
                // Printed text of the form ("Ủy ban nhân dân", "Thôn") read too garbled to put right.
                checked.issues.append(.garbledFixedPhrase)
                checked.plausibility = min(checked.plausibility, 0.5)
            }
            if respelling.doubts > 0 {
                checked.issues.append(.doubtfulSyllable)
                checked.plausibility = min(checked.plausibility, 0.5)
            } else if respelling.respelled > 0 {
                // Marks put back from the place names: likely, not read.
                checked.plausibility = min(checked.plausibility, 0.85)
            }
        }
        if cut, checked.value != nil {
            // Words of a neighbouring label were cut off: the value's end is a guess.
            checked.issues.append(.labelInValue)
            checked.plausibility = min(checked.plausibility, 0.75)
        }
        if restored {
            // Tone marks put back from the name lists: likely, not read.
            checked.plausibility = min(checked.plausibility, 0.8)
        }
        if c.type == .text || c.type == .address, let v = checked.value, v.filter(\.isLetter).count < 2 {
            // A place, a relationship or a request is words; a stray digit or mark is a misreading.
            checked.plausibility = min(checked.plausibility, 0.2)
            checked.issues.append(.badFormat)
        }
        if c.type == .email, !spotted.contains("@"), !spotted.lowercased().contains("mail") {
            // No "@" and nothing like a mail host: what was read is box lines and leader dots, the field is empty.
            checked = CheckedValue(value: nil, plausibility: 0, issues: [.empty])
        }
        if c.type == .integer, let n = checked.value.flatMap(Int.init), !(1...20).contains(n) {
            // A count of copies or pages beyond this is a misreading.
            checked.plausibility = min(checked.plausibility, 0.3)
            checked.issues.append(.badFormat)
        }
        // Specks and rules that OCR read as punctuation do not speak for the value.
        let confidences = words.filter { $0.text.contains { $0.isLetter || $0.isNumber } }.map(\.confidence)
        var ocr = confidences.isEmpty ? 0.5
            : 0.5 * confidences.reduce(0, +) / Double(confidences.count) + 0.5 * confidences.min()!
        let closedSet: Set<FieldType> = [.sex, .ethnicity]
        if (closedSet.contains(c.type) || c.vocabulary != nil), checked.issues.isEmpty, checked.plausibility >= 0.95 {
            // Read exactly as one word of a short closed list ("Kinh", "Nữ", "Việt Nam"): a misreading that lands on
            // another word of the list is far less likely than the low confidence OCR gives leader-smudged text.
            ocr = max(ocr, 0.85)
        }
        return Judgement(checked: checked, raw: raw, ocr: ocr, words: words)
    }

    /// The form's labels and anchors, folded, without their numbering ("10. Nội dung đề nghị" → "noi dung de nghi"):
    /// text that is never part of a value.
    var labelKeys: [String] {
        var out = Set<String>()
        func add(_ label: String) {
            let words = VietnameseText.fold(label).split(separator: " ").drop { $0.allSatisfy(\.isNumber) }
            out.insert(words.joined(separator: " "))
        }
        for section in template.sections {
            for anchor in section.anchors ?? [] { add(anchor) }
            for field in section.fields { field.labels.forEach(add) }
        }
        return out.sorted()
    }

    /// Free text that must be one of a known list (nationality, relationship).
    static func vocabularyCheck(_ raw: String, vocabulary: [String]) -> CheckedValue {
        let text = VietnameseText.normalize(raw)
        guard !text.isEmpty else { return CheckedValue(value: nil, plausibility: 0, issues: [.empty]) }
        let lower = text.lowercased()
        if let exact = vocabulary.first(where: { $0.lowercased() == lower }) {
            return CheckedValue(value: exact, plausibility: 0.97, issues: [])
        }
        let folded = VietnameseText.fold(text)
        let scored = vocabulary.map { ($0, VietnameseText.similarity(VietnameseText.fold($0), folded)) }
            .sorted { $0.1 > $1.1 }
        if let top = scored.first, top.1 >= 0.75 {
            let unique = scored.count < 2 || scored[1].1 < top.1 - 0.1
            return CheckedValue(value: top.0, plausibility: unique ? 0.7 : 0.4, issues: [.fuzzyVocabularyMatch])
        }
        return CheckedValue(value: text, plausibility: 0.5, issues: [.fuzzyVocabularyMatch])
    }

    /// Checks across fields: identity numbers against sex and birth year; a date against its words.
    func crossCheck(_ fields: inout [String: ExtractedField]) {
        func flag(_ key: String, _ issues: [CheckIssue]) {
            guard !issues.isEmpty, var f = fields[key] else { return }
            f.issues += issues.filter { !f.issues.contains($0) }
            f.needsReview = true
            f.confidence = min(f.confidence, 0.5)
            fields[key] = f
        }
        let people: [(id: String, sex: String?, fixedSex: String?, birth: String)] = {
            var out: [(String, String?, String?, String)] = [
                ("requester.idNumber", nil, nil, "requester.dateOfBirth"),
                ("applicant.idNumber", "applicant.sex", nil, "applicant.dateOfBirth"),
                ("bride.idNumber", nil, "Nữ", "bride.dateOfBirth"),
                ("groom.idNumber", nil, "Nam", "groom.dateOfBirth"),
            ]
            for key in fields.keys where key.hasPrefix("members.") && key.hasSuffix(".idNumber") {
                let prefix = String(key.dropLast(".idNumber".count))
                out.append((key, prefix + ".sex", nil, prefix + ".dateOfBirth"))
            }
            return out
        }()
        for p in people {
            guard let id = fields[p.id]?.value, id.count == 12 else { continue }
            let sex = p.fixedSex ?? p.sex.flatMap { fields[$0]?.value }
            let year = fields[p.birth]?.value.flatMap { Int($0.prefix(4)) }
            let issues = CrossChecks.identity(id: id, sex: sex, birthYear: year)
            flag(p.id, issues)
            if issues.contains(.idBirthYearMismatch) { flag(p.birth, [.idBirthYearMismatch]) }
            if issues.contains(.idCenturySexMismatch), let s = p.sex { flag(s, [.idCenturySexMismatch]) }
        }
        if let words = candidates["_child.dateOfBirthInWords"]?.raw, let date = fields["child.dateOfBirth"]?.value,
           let spelled = CrossChecks.dateInWords(words) {
            if spelled.iso != date { flag("child.dateOfBirth", [.wordsDateDisagrees]) }
        }
        let dates = fields.compactMapValues { f in f.value.flatMap(SimpleDate.init(iso:)) }
        let years = fields.filter { $0.key.hasSuffix("birthYear") }.compactMapValues { $0.value.flatMap(Int.init) }
        // A date out of the form's order flags both dates, unless one of them is doubtful on its own already: then
        // that one explains the conflict (a signing date read as 1997 puts every birth after it).
        let doubtfulBefore = fields.filter { policy.flagsWhateverTheThreshold($0.value) }.keys
        func doubtful(_ key: String) -> Bool { doubtfulBefore.contains(key) }
        for key in CrossChecks.dateOrder(dates: dates, birthYears: years, signing: "signedDate", today: context.today) {
            if key == "signedDate" {
                flag(key, [.datesOutOfOrder])
            } else if !doubtful("signedDate") && !doubtful(key) {
                flag(key, [.datesOutOfOrder])
                flag("signedDate", [.datesOutOfOrder])
            }
        }
    }
}

/// Picks the part of a reading that can hold a value of the type ("Căn cước số 0251… do … cấp" → the number).
enum ValueSpotter {
    static func spot(_ raw: String, as type: FieldType) -> String {
        let raw = trimmingJunk(raw)
        switch type {
        case .id: return digitRun(raw, preferred: [12, 9]) ?? raw
        case .phone: return digitRun(raw, preferred: [10, 11]) ?? raw
        case .date: return datePhrase(raw) ?? raw
        case .year: return firstMatch(raw, #"(?<![0-9])[12][0-9OoIl]{3}(?![0-9])"#) ?? raw
        case .ethnicity:
            // "Kinh Quấc tịch: …" when the next label was misread: the leading words that name a group.
            let words = raw.split(separator: " ")
            for n in stride(from: min(3, words.count), through: 1, by: -1) {
                let head = words.prefix(n).joined(separator: " ")
                if Vocabulary.ethnicGroups.contains(where: { $0.lowercased() == head.lowercased() }) { return head }
            }
            return raw
        case .integer: return firstMatch(raw, #"[0-9]+"#) ?? raw
        default: return raw
        }
    }

    /// The value without the words of a label of the form that OCR ran into it: a label at the start (") Nội dung
    /// đề nghị: Đăng ký …") is dropped with what comes before it, a label further on is cut off with all after it.
    /// `labels` are folded. Returns the text and whether anything was cut.
    static func cuttingLabels(_ text: String, labels: [String]) -> (String, Bool) {
        let words = text.split(separator: " ").map(String.init)
        guard words.count >= 2 else { return (text, false) }
        // The folded text and, for each folded character, the word it came from.
        var folded: [Character] = []
        var wordOf: [Int] = []
        for (k, w) in words.enumerated() {
            let f = VietnameseText.fold(w)
            guard !f.isEmpty else { continue }
            if !folded.isEmpty {
                folded.append(" ")
                wordOf.append(k)
            }
            folded += f
            wordOf += Array(repeating: k, count: f.count)
        }
        // Where labels start and end, as word indices.
        var found: [(first: Int, last: Int)] = []
        for label in labels where label.count >= 7 && label.contains(" ") && label != "ngay thang nam"
            && !WardNames.placeNames.contains(label) {
            let pattern = Array(label)
            guard let m = PhraseMatcher.find(pattern, in: folded) else { continue }
            let allowed = pattern.count < 10 ? 0 : pattern.count < 20 ? 1 : 2
            guard m.distance <= allowed, m.start < m.end else { continue }
            // Whole words only.
            let endsWord = m.end >= folded.count || folded[m.end] == " "
            guard (m.start == 0 || folded[m.start - 1] == " "), endsWord else { continue }
            found.append((wordOf[m.start], wordOf[m.end - 1]))
        }
        guard !found.isEmpty else { return (text, false) }
        // The value is the longest stretch between labels (a lone letter or mark before the first one is a speck).
        found.sort { $0.first < $1.first }
        var stretches: [Range<Int>] = []
        var from = 0
        for f in found {
            if f.first > from { stretches.append(from..<f.first) }
            from = max(from, f.last + 1)
        }
        if from < words.count { stretches.append(from..<words.count) }
        func letters(_ r: Range<Int>) -> Int {
            let w = words[r].filter { $0.contains(where: \.isLetter) }
            return w.allSatisfy({ $0.count <= 1 }) ? 0 : w.map(\.count).reduce(0, +)
        }
        guard let best = stretches.max(by: { letters($0) < letters($1) }), letters(best) > 0 else { return (text, false) }
        return (trimmingJunk(words[best].joined(separator: " ")), true)
    }

    /// Leader dots OCR kept between words ("Công.an.phường", "dân.phường") are spaces; a dot after a number or
    /// an abbreviation stays.
    static func unglueDots(_ s: String) -> String {
        var chars = Array(s)
        // "Số.188", "phố-8": a dot or hyphen between a word and a number is a space.
        for i in chars.indices where (chars[i] == "." || chars[i] == "-") && i > 0 && i + 1 < chars.count {
            let before = chars[i - 1], after = chars[i + 1]
            if (before.isLetter && after.isNumber) || (before.isNumber && after.isLetter && chars[i] == ".") {
                chars[i] = " "
            }
        }
        // A colon or semicolon standing alone inside a value is a speck.
        let tokens = String(chars).split(separator: " ").filter { $0 != ":" && $0 != ";" && $0 != "." && $0 != "," }
        chars = Array(tokens.joined(separator: " "))
        for i in chars.indices where chars[i] == "." && i > 0 && i + 1 < chars.count {
            let before = chars[i - 1], after = chars[i + 1]
            guard before.isLetter, after.isLetter || after == " " else { continue }
            // Keep "TP.", "P." style abbreviations: an upper-case letter run of at most 2 before the dot.
            var j = i - 1
            while j >= 0, chars[j].isLetter { j -= 1 }
            let word = String(chars[(j + 1)..<i])
            if word.count <= 2 && word == word.uppercased() { continue }
            chars[i] = " "
        }
        return String(chars).split(separator: " ").joined(separator: " ")
    }

    /// Strips what OCR makes of rules, leaders and specks at a value's ends ("Tỉnh Thanh Hoá _", "| Kinh").
    static func trimmingJunk(_ s: String) -> String {
        var scalars = Substring(s)
        let keep: (Character) -> Bool = { $0.isLetter || $0.isNumber || $0 == ")" || $0 == "(" || $0 == "@" }
        while let first = scalars.first, !keep(first) { scalars.removeFirst() }
        while let last = scalars.last, !keep(last) { scalars.removeLast() }
        return String(scalars)
    }

    private static func firstMatch(_ s: String, _ pattern: String) -> String? {
        s.range(of: pattern, options: .regularExpression).map { String(s[$0]) }
    }

    /// Runs of digits (and letters OCR confuses with digits) that may be broken by single spaces or dots.
    static func digitRun(_ s: String, preferred: [Int]) -> String? {
        let cleaned = s.replacingOccurrences(of: "|", with: " ").replacingOccurrences(of: "[", with: " ")
            .replacingOccurrences(of: "]", with: " ")
        guard let regex = try? NSRegularExpression(pattern: #"[0-9](?:[0-9OoDIlSBZ]|[ .\-](?=[0-9OoDIlSBZ]))*"#) else { return nil }
        let ns = cleaned as NSString
        let runs = regex.matches(in: cleaned, range: NSRange(location: 0, length: ns.length)).map { ns.substring(with: $0.range) }
        func digits(_ r: String) -> Int { r.filter { !$0.isWhitespace && $0 != "." && $0 != "-" }.count }
        let useful = runs.filter { digits($0) >= 6 }
        for p in preferred { if let r = useful.first(where: { digits($0) == p }) { return r } }
        return useful.max { digits($0) < digits($1) }
    }

    static func datePhrase(_ s: String) -> String? {
        let d = #"[0-9OoIl]"#
        if let r = firstMatch(s, "\(d){1,2}\\s*[/.\\-]\\s*\(d){1,2}\\s*[/.\\-]\\s*\(d){4}") { return r }
        // Separators read as spaces ("12.8 1963", "12 8 1963").
        if let r = firstMatch(s, "(?<![0-9])\(d){1,2}\\s*[/.\\-\\s]\\s*\(d){1,2}\\s*[/.\\-\\s]\\s*\(d){4}(?![0-9])") {
            let parts = r.split(whereSeparator: { !$0.isNumber && !"OoIl".contains($0) })
            if parts.count == 3 { return parts.joined(separator: "/") }
        }
        if let r = s.range(of: #"(?i)ngày.*năm\s*[0-9OoIl]{4}"#, options: .regularExpression) { return String(s[r]) }
        // A digit-only re-read loses the slashes: "20011984" is 20/01/1984.
        let digits = s.filter { !$0.isWhitespace }
        if digits.count == 8, digits.allSatisfy(\.isNumber) {
            let a = Array(digits)
            return "\(String(a[0..<2]))/\(String(a[2..<4]))/\(String(a[4..<8]))"
        }
        return nil
    }
}
