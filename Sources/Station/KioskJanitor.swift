import Foundation
import Logging
import Pipeline
import ServiceLifecycle
import Store

/// Clears kiosk intakes nobody finished (the citizen walked away with the screen off, the service restarted
/// mid-scan): their rows and page files go, so nothing half-done stays for the next person or on the disk.
public struct KioskJanitor: Service {
    let station: StationParts
    /// An unconfirmed kiosk batch untouched this long is abandoned.
    let maxAge: TimeInterval
    let logger: Logger

    public init(station: StationParts, maxAge: TimeInterval, logger: Logger) {
        self.station = station
        self.maxAge = maxAge
        self.logger = logger
    }

    public func run() async throws {
        do {
            try await sweepPeriodically()
        } catch is CancellationError {
            // The station is shutting down.
        }
    }

    private func sweepPeriodically() async throws {
        try await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let cleared = try await sweep()
                    if cleared > 0 { logger.notice("abandoned kiosk intakes cleared", metadata: ["count": "\(cleared)"]) }
                } catch {
                    logger.error("kiosk clean-up failed", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: .seconds(min(60, max(1, maxAge / 4))))
            }
        }
    }

    /// One pass; returns how many intakes were cleared.
    @discardableResult
    public func sweep(now: Date = Date()) async throws -> Int {
        let stale = try await station.database.staleKioskBatches(before: now.addingTimeInterval(-maxAge))
        for (batchId, kiosk) in stale {
            try await KioskIntakes.discard(batchId, kiosk: kiosk, reason: "stale", in: station)
        }
        return stale.count
    }
}
