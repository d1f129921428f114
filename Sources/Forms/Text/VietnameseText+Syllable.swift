extension VietnameseText {
    /// Vietnamese spelling rules for one syllable: an initial consonant, a rhyme from the closed list of
    /// Vietnamese rhymes, at most one tone mark, and only sắc or nặng on rhymes ending in c, ch, p, t.
    /// Used to tell a rare but real name syllable from OCR damage.
    enum Syllable {
        static func isWellFormed(_ word: some StringProtocol) -> Bool {
            let (base, tones) = Letters.split(word)
            guard tones.count <= 1, !base.isEmpty, base.allSatisfy({ $0.isLetter }) else { return false }
            let tone = tones.first ?? 0
            for onset in onsets where base.hasPrefix(onset) {
                let rest = String(base.dropFirst(onset.count))
                var candidates = [rest]
                if onset == "gi" { candidates.append("i" + rest) }  // "gìn", "giếng": the i is shared
                for rhyme in candidates where rhymes.contains(rhyme) {
                    if onsetFits(onset, rhyme: rhyme), toneFits(tone, rhyme: rhyme) { return true }
                }
            }
            return false
        }

        private static func onsetFits(_ onset: String, rhyme: String) -> Bool {
            let front = rhyme.first.map { "eêiy".contains($0) } ?? false
            switch onset {
            case "k", "gh", "ngh": return front
            case "c", "g", "ng": return !front
            case "qu": return !rhyme.hasPrefix("u") && !rhyme.hasPrefix("o")
            default: return true
            }
        }

        private static func toneFits(_ tone: Int, rhyme: String) -> Bool {
            let stopped = rhyme.hasSuffix("c") || rhyme.hasSuffix("ch") || rhyme.hasSuffix("p") || rhyme.hasSuffix("t")
            return !stopped || tone == 2 || tone == 5
        }

        /// Longest first, so "ngh" is tried before "ng" and "n"; "" is a syllable with no initial.
        private static let onsets: [String] = [
            "ngh", "ng", "gh", "gi", "kh", "nh", "ph", "th", "tr", "ch", "qu",
            "b", "c", "d", "đ", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "x", "",
        ]

        private static let rhymes: Set<String> = {
            let list = """
                a ai ao au ay âu ây e eo ê êu i ia iu iêu o oi ô ôi ơ ơi u ua ui uôi ư ưa ưi ưu ươi ươu y yêu
                oa oai oao oay oe oeo uê uơ uy uya uyu uây
                am ăm âm em êm im om ôm ơm um ưm iêm yêm uôm ươm oam oăm
                an ăn ân en ên in on ôn ơn un ưn iên yên uôn ươn oan oăn uân uyên oen uyn yn
                ang ăng âng eng ong ông ung ưng iêng yêng uông ương oang oăng uâng oong
                anh ênh inh oanh uênh uynh ynh
                ac ăc âc ec oc ôc uc ưc iêc uôc ươc oac oăc ooc
                ach êch ich oach uêch uych ych
                ap ăp âp ep êp ip op ôp ơp up iêp ươp oap
                at ăt ât et êt it ot ôt ơt ut ưt iêt yêt uôt ươt oat oăt oet uât uyêt uyt yt
                """
            return Set(list.split(whereSeparator: \.isWhitespace).map(String.init))
        }()
    }
}
