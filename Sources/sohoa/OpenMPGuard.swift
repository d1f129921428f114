import Foundation

/// Tesseract's OpenMP threads make OCR several times slower on small machines. libgomp reads OMP_THREAD_LIMIT
/// once, when the library loads (before any of our code runs), so the program sets it and starts itself again.
enum OpenMPGuard {
    static func reexecIfNeeded() {
        guard ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] == nil else { return }
        setenv("OMP_THREAD_LIMIT", "1", 1)
        execv("/proc/self/exe", CommandLine.unsafeArgv)
        // If exec fails, go on (slower) rather than refuse to work.
    }
}
