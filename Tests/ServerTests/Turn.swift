/// Tests that must not run at the same time take turns through one of these.
actor Turn {
    /// The tests that scan with the kiosk's device (pnm:1): one test's scans must not find it busy.
    static let kioskDevice = Turn()
    /// The end-to-end tests that each keep both cores of a desk PC busy (a browser, a station reading pages, a
    /// second program checking it), so that their timeouts and a kiosk's idle timer measure the station rather than
    /// how many of them happen to run at once. Their time limits include the wait.
    static let endToEnd = Turn()

    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func run<T: Sendable>(_ body: @Sendable () async throws -> T) async rethrows -> T {
        if busy { await withCheckedContinuation { waiting.append($0) } }
        busy = true
        defer {
            if waiting.isEmpty { busy = false } else { waiting.removeFirst().resume() }
        }
        return try await body()
    }
}
