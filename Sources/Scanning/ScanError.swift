import Foundation

/// What went wrong with a scanner, said for the officer at the desk: a stable code, a short Vietnamese message
/// with the action to take, and the same in English. Never contains citizens' data.
public struct ScanError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Code: String, Sendable, Codable, CaseIterable {
        /// The feeder jammed: clear it and resume.
        case jammed = "paper_jam"
        /// The feeder was empty when the batch started: nothing was loaded.
        case feederEmpty = "feeder_empty"
        case coverOpen = "cover_open"
        case deviceBusy = "device_busy"
        case ioError = "io_error"
        case accessDenied = "access_denied"
        /// The scanner went away (unplugged, powered off, network gone).
        case disconnected = "disconnected"
        case deviceNotFound = "device_not_found"
        case outOfMemory = "out_of_memory"
        case cancelled = "cancelled"
        case unsupported = "unsupported"
        /// A value the backend refused, or an option it does not have.
        case invalidOption = "invalid_option"
        /// The backend broke the protocol (odd parameters, short frames).
        case protocolError = "protocol_error"
        /// SANE itself could not start (library or configuration missing).
        case unavailable = "sane_unavailable"
    }

    public var code: Code
    /// Technical detail for logs and `--verbose` (device and option names, never citizens' data).
    public var detail: String
    /// Pages of the batch already kept when it happened.
    public var pagesKept: Int

    public init(_ code: Code, detail: String = "", pagesKept: Int = 0) {
        self.code = code
        self.detail = detail
        self.pagesKept = pagesKept
    }

    /// Whether the officer can fix it at the scanner and resume the same batch.
    public var isResumable: Bool {
        switch code {
        case .jammed, .feederEmpty, .coverOpen, .deviceBusy, .ioError, .disconnected: return true
        default: return false
        }
    }

    /// The message for the officer, in Vietnamese, with what to do next.
    public var vietnamese: String {
        switch code {
        case .jammed:
            return "Máy quét báo kẹt giấy: mở nắp, gỡ tờ bị kẹt, đặt lại các trang chưa quét (từ trang \(pagesKept + 1)) rồi bấm Tiếp tục."
        case .feederEmpty:
            return "Khay nạp giấy trống: đặt giấy vào khay (mặt cần quét theo hướng dẫn trên máy) rồi bấm Quét lại."
        case .coverOpen:
            return "Nắp máy quét đang mở: đóng nắp cho khít rồi bấm Tiếp tục."
        case .deviceBusy:
            return "Máy quét đang bận (có thể đang quét cho máy khác): chờ vài giây rồi bấm Thử lại."
        case .ioError:
            return "Mất liên lạc với máy quét khi đang quét: kiểm tra cáp và nguồn, đặt lại các trang chưa quét (từ trang \(pagesKept + 1)) rồi bấm Tiếp tục."
        case .accessDenied:
            return "Không có quyền dùng máy quét này: báo quản trị viên cấp quyền (nhóm scanner) cho trạm."
        case .disconnected:
            return "Máy quét đã bị ngắt (rút cáp hoặc tắt nguồn): cắm lại, bật máy, đặt lại các trang chưa quét (từ trang \(pagesKept + 1)) rồi bấm Tiếp tục."
        case .deviceNotFound:
            return "Không tìm thấy máy quét: kiểm tra máy đã bật và cắm cáp, rồi chọn lại máy trong danh sách."
        case .outOfMemory:
            return "Trạm hết bộ nhớ khi quét: quét ít trang hơn mỗi lần hoặc giảm độ phân giải, rồi thử lại."
        case .cancelled:
            return "Đã dừng quét theo yêu cầu. Các trang đã quét vẫn được giữ lại."
        case .unsupported:
            return "Máy quét không hỗ trợ thao tác này: chọn nguồn giấy hoặc chế độ khác."
        case .invalidOption:
            return "Máy quét không nhận thiết lập này: kiểm tra tùy chọn quét hoặc hồ sơ thiết bị."
        case .protocolError:
            return "Máy quét trả về dữ liệu không hợp lệ: tắt rồi bật lại máy quét và quét lại; nếu còn lỗi, báo quản trị viên."
        case .unavailable:
            return "Không khởi động được dịch vụ máy quét (SANE) trên trạm: báo quản trị viên kiểm tra cài đặt."
        }
    }

    /// The same message in English.
    public var english: String {
        switch code {
        case .jammed:
            return "Paper jam: open the cover, remove the jammed sheet, reload the pages not yet scanned (from page \(pagesKept + 1)) and resume."
        case .feederEmpty:
            return "The document feeder is empty: load the papers and scan again."
        case .coverOpen:
            return "The scanner cover is open: close it and resume."
        case .deviceBusy:
            return "The scanner is busy (perhaps scanning for someone else): wait a few seconds and retry."
        case .ioError:
            return "Lost contact with the scanner while scanning: check the cable and power, reload the pages not yet scanned (from page \(pagesKept + 1)) and resume."
        case .accessDenied:
            return "No permission to use this scanner: ask an administrator to grant the station access (scanner group)."
        case .disconnected:
            return "The scanner was disconnected (unplugged or switched off): reconnect it, reload the pages not yet scanned (from page \(pagesKept + 1)) and resume."
        case .deviceNotFound:
            return "Scanner not found: check it is on and connected, then choose it again."
        case .outOfMemory:
            return "The station ran out of memory while scanning: scan fewer pages at a time or a lower resolution, then retry."
        case .cancelled:
            return "Scanning was stopped on request. Pages already scanned are kept."
        case .unsupported:
            return "The scanner does not support this: choose another source or mode."
        case .invalidOption:
            return "The scanner refused a setting: check the scan options or the device profile."
        case .protocolError:
            return "The scanner sent invalid data: switch it off and on, then scan again; if it persists, tell an administrator."
        case .unavailable:
            return "The scanner service (SANE) could not start on this station: ask an administrator to check the installation."
        }
    }

    public var description: String {
        "\(english)" + (detail.isEmpty ? "" : " (\(code.rawValue): \(detail))")
    }
}
