import CLeptonica

extension PageCleaner {
    /// Dot leaders ("……", "......") printed for the citizen to write on: runs of small, evenly spaced dots on one
    /// baseline. They glue to handwritten values and wreck OCR; diacritic dots never form such runs.
    static func leaderDots(_ binary: PageImage) -> [PixelRect] {
        var boxa: UnsafeMutablePointer<BOXA>? = pixConnComp(binary.pix, nil, 8)
        defer { boxaDestroy(&boxa) }
        guard let boxa else { return [] }
        let dpi = max(100, binary.dpi)
        let maxSize = max(3, dpi / 28)
        var dots: [PixelRect] = []
        for i in 0..<boxaGetCount(boxa) {
            var x: l_int32 = 0, y: l_int32 = 0, w: l_int32 = 0, h: l_int32 = 0
            guard boxaGetBoxGeometry(boxa, i, &x, &y, &w, &h) == 0 else { continue }
            guard w <= maxSize, h <= maxSize, w * 3 >= h, h * 3 >= w else { continue }
            dots.append(PixelRect(x: Int(x), y: Int(y), width: Int(w), height: Int(h)))
        }
        // Bucket by vertical centre, then look for evenly spaced runs along x.
        let tolerance = max(2, dpi / 100)
        dots.sort { $0.midY < $1.midY }
        var leaders: [PixelRect] = []
        var start = 0
        while start < dots.count {
            var end = start + 1
            while end < dots.count, dots[end].midY - dots[start].midY <= tolerance { end += 1 }
            leaders += evenRuns(Array(dots[start..<end]).sorted { $0.x < $1.x }, maxGap: dpi / 10)
            start = end
        }
        return leaders
    }

    private static func evenRuns(_ line: [PixelRect], maxGap: Int) -> [PixelRect] {
        var out: [PixelRect] = []
        var run: [PixelRect] = []
        func flush() {
            if run.count >= 6 {
                let gaps = zip(run, run.dropFirst()).map { Double($1.midX - $0.midX) }
                let mean = gaps.reduce(0, +) / Double(gaps.count)
                let spread = gaps.map { abs($0 - mean) }.reduce(0, +) / Double(gaps.count)
                if spread <= mean * 0.35 { out += run }
            }
            run = []
        }
        for dot in line {
            if let last = run.last, dot.midX - last.midX > maxGap || dot.midX - last.midX < 2 { flush() }
            run.append(dot)
        }
        flush()
        return out
    }
}
