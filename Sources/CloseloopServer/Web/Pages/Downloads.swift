import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird
import NIOCore

/// Files the pages hand out: workbooks and CSV of what a page shows, named for the reader.
enum Downloads {
    enum Format: String {
        case xlsx, csv
    }

    /// `workbook` as an .xlsx file, or its first sheet as CSV with a byte-order mark.
    static func response(_ workbook: XLSXWorkbook, format: Format, name: String) throws -> Response {
        let bytes: Data
        let type: String
        switch format {
        case .xlsx:
            bytes = try workbook.data()
            type = XLSXWorkbook.contentType
        case .csv:
            bytes = Data(try ReportWorkbooks.csv(workbook.sheets[0]).utf8)
            type = "text/csv; charset=utf-8"
        }
        let file = "\(name).\(format.rawValue)"
        return Response(
            status: .ok,
            headers: [
                .contentType: type,
                .contentDisposition: "attachment; filename*=UTF-8''\(FormEncoding.encode(file))",
                .cacheControl: "no-store", .init("X-Content-Type-Options")!: "nosniff",
            ],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
    }
}

extension WebApp {
    /// How ids read in the reader's language, for a workbook.
    func workbookNames() async throws -> ReportWorkbooks.Names {
        let (_, calendar) = await services.settings.current()
        return ReportWorkbooks.Names(
            language: state.language, departments: try await services.staff.departments(),
            users: try await services.staff.users(), taxonomy: await services.settings.categories(), calendar: calendar)
    }
}
