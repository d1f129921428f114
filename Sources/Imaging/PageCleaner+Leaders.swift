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
            let runs = evenRuns(Array(dots[start..<end]).sorted { $0.x < $1.x }, maxGap: dpi / 10)
            leaders += runs.flatMap { $0 }
            leaders += bridges(runs, maxSpan: dpi * 4)
            start = end
        }
        return leaders
    }

    /// Where a value was written over a leader, the dots under it touch the writing and are not separate marks:
    /// between two runs of one leader (same baseline, same pitch and phase), the dot positions in the gap.
    private static func bridges(_ runs: [[PixelRect]], maxSpan: Int) -> [PixelRect] {
        var out: [PixelRect] = []
        for (a, b) in zip(runs, runs.dropFirst()) {
            guard let last = a.last, let first = b.first else { continue }
            let pitch = Double(a.last!.midX - a.first!.midX) / Double(max(1, a.count - 1))
            guard pitch >= 2, first.midX - last.midX <= maxSpan else { continue }
            let steps = Double(first.midX - last.midX) / pitch
            // Same leader only if the second run continues the first one's rhythm.
            guard abs(steps - steps.rounded()) < 0.3 else { continue }
            let w = max(last.width, first.width), h = max(last.height, first.height)
            let top = min(last.y, first.y)
            var k = 1.0
            while k < steps.rounded() {
                let x = Int((Double(last.midX) + k * pitch).rounded()) - w / 2
                out.append(PixelRect(x: x, y: top, width: w, height: h))
                k += 1
            }
        }
        return out
    }

    private static func evenRuns(_ line: [PixelRect], maxGap: Int) -> [[PixelRect]] {
        var out: [[PixelRect]] = []
        var run: [PixelRect] = []
        func flush() {
            if run.count >= 6 {
                let gaps = zip(run, run.dropFirst()).map { Double($1.midX - $0.midX) }
                let mean = gaps.reduce(0, +) / Double(gaps.count)
                let spread = gaps.map { abs($0 - mean) }.reduce(0, +) / Double(gaps.count)
                if spread <= mean * 0.35 { out.append(run) }
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
