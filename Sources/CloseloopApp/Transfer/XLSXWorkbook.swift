import Foundation
import ZIPFoundation

/// An Office Open XML workbook (.xlsx) for the people who live in spreadsheets: typed cells (numbers as numbers,
/// dates as dates, rates as percentages), a bold header row kept in view, column widths, Chinese text intact. The
/// container is a ZIP written by ZIPFoundation; the parts are the few SpreadsheetML needs (no shared strings: text is
/// written inline).
public struct XLSXWorkbook: Sendable {
    /// One cell's value and how a spreadsheet shows it.
    public enum Cell: Sendable, Equatable {
        case text(String)
        case integer(Int)
        case number(Double)
        /// A fraction shown as a percentage with one decimal.
        case percent(Double)
        /// A local date and time (already in the business calendar's zone), shown as yyyy-mm-dd hh:mm.
        case dateTime(year: Int, month: Int, day: Int, hour: Int, minute: Int)
        /// A local date, shown as yyyy-mm-dd.
        case date(year: Int, month: Int, day: Int)
        case empty
    }

    public struct Column: Sendable {
        public var title: String
        /// In characters; Chinese characters count double.
        public var width: Double

        public init(_ title: String, width: Double) {
            self.title = title
            self.width = width
        }
    }

    public struct Sheet: Sendable {
        public var name: String
        public var columns: [Column]
        public var rows: [[Cell]]

        public init(name: String, columns: [Column], rows: [[Cell]]) {
            self.name = name
            self.columns = columns
            self.rows = rows
        }
    }

    public var sheets: [Sheet]

    public init(sheets: [Sheet]) { self.sheets = sheets }

    /// The media type browsers and mail clients know the file by.
    public static let contentType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

    /// The workbook's bytes.
    public func data() throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in parts() {
            let bytes = Data(text.utf8)
            try archive.addEntry(
                with: path, type: .file, uncompressedSize: Int64(bytes.count), compressionMethod: .deflate
            ) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        guard let data = archive.data else { throw CocoaError(.fileWriteUnknown) }
        return data
    }

    /// The parts of the package, by path.
    func parts() -> [(String, String)] {
        let header = #"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"# + "\n"
        let sheetOverrides = sheets.indices.map {
            #"<Override PartName="/xl/worksheets/sheet\#($0 + 1).xml" "#
                + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#
        }.joined()
        var parts: [(String, String)] = [
            (
                "[Content_Types].xml",
                header + #"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#
                    + #"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#
                    + #"<Default Extension="xml" ContentType="application/xml"/>"#
                    + #"<Override PartName="/xl/workbook.xml" "#
                    + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#
                    + #"<Override PartName="/xl/styles.xml" "#
                    + #"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#
                    + sheetOverrides + "</Types>"
            ),
            (
                "_rels/.rels",
                header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + #"<Relationship Id="rId1" "#
                    + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#
                    + #"Target="xl/workbook.xml"/></Relationships>"#
            ),
            (
                "xl/workbook.xml",
                header + #"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#
                    + #"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>"#
                    + sheets.enumerated().map { index, sheet in
                        #"<sheet name="\#(Self.escaped(Self.sheetName(sheet.name)))" sheetId="\#(index + 1)" "#
                            + #"r:id="rId\#(index + 1)"/>"#
                    }.joined() + "</sheets></workbook>"
            ),
            (
                "xl/_rels/workbook.xml.rels",
                header + #"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#
                    + sheets.indices.map {
                        #"<Relationship Id="rId\#($0 + 1)" "#
                            + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#
                            + #"Target="worksheets/sheet\#($0 + 1).xml"/>"#
                    }.joined()
                    + #"<Relationship Id="rId\#(sheets.count + 1)" "#
                    + #"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" "#
                    + #"Target="styles.xml"/></Relationships>"#
            ),
            ("xl/styles.xml", header + Self.styles),
        ]
        for (index, sheet) in sheets.enumerated() {
            parts.append(("xl/worksheets/sheet\(index + 1).xml", header + Self.worksheet(sheet)))
        }
        return parts
    }

    /// Styles by index: 0 plain, 1 bold header, 2 date and time, 3 date, 4 percentage, 5 two decimals.
    static let styles =
        #"<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        + #"<numFmts count="2"><numFmt numFmtId="164" formatCode="yyyy\-mm\-dd\ hh:mm"/>"#
        + #"<numFmt numFmtId="165" formatCode="yyyy\-mm\-dd"/></numFmts>"#
        + #"<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>"#
        + #"<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>"#
        + #"<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>"#
        + #"<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>"#
        + #"<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>"#
        + #"<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>"#
        + #"<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>"#
        + #"<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="10" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>"#
        + #"<xf numFmtId="2" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>"#
        + #"<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>"#

    static func worksheet(_ sheet: Sheet) -> String {
        var xml = #"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#
        // The header row stays in view while scrolling.
        xml +=
            #"<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" "#
            + #"state="frozen"/></sheetView></sheetViews>"#
        if !sheet.columns.isEmpty {
            xml += "<cols>"
            for (index, column) in sheet.columns.enumerated() {
                xml += #"<col min="\#(index + 1)" max="\#(index + 1)" width="\#(column.width)" customWidth="1"/>"#
            }
            xml += "</cols>"
        }
        xml += "<sheetData>"
        let header = sheet.columns.map { Cell.text($0.title) }
        for (offset, row) in ([header] + sheet.rows).enumerated() {
            let number = offset + 1
            xml += #"<row r="\#(number)">"#
            for (column, cell) in row.enumerated() {
                xml += Self.cell(cell, reference: Self.columnName(column) + String(number), header: offset == 0)
            }
            xml += "</row>"
        }
        return xml + "</sheetData></worksheet>"
    }

    static func cell(_ cell: Cell, reference: String, header: Bool) -> String {
        switch cell {
        case .text(let text):
            let style = header ? #" s="1""# : ""
            return #"<c r="\#(reference)" t="inlineStr"\#(style)><is><t xml:space="preserve">"#
                + escaped(text) + "</t></is></c>"
        case .integer(let value):
            return #"<c r="\#(reference)"><v>\#(value)</v></c>"#
        case .number(let value):
            return #"<c r="\#(reference)" s="5"><v>\#(value)</v></c>"#
        case .percent(let value):
            return #"<c r="\#(reference)" s="4"><v>\#(value)</v></c>"#
        case .dateTime(let year, let month, let day, let hour, let minute):
            let serial =
                Double(serialDay(year: year, month: month, day: day)) + (Double(hour) * 60 + Double(minute)) / 1440
            return #"<c r="\#(reference)" s="2"><v>\#(serial)</v></c>"#
        case .date(let year, let month, let day):
            return #"<c r="\#(reference)" s="3"><v>\#(serialDay(year: year, month: month, day: day))</v></c>"#
        case .empty:
            return ""
        }
    }

    /// A spreadsheet's day number: days since 1899-12-30, the epoch every spreadsheet since Lotus agrees on for
    /// dates after February 1900.
    static func serialDay(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468 + 25_569
    }

    /// A1-style column letters: 0 → A, 25 → Z, 26 → AA.
    public static func columnName(_ index: Int) -> String {
        var index = index
        var name = ""
        repeat {
            name = String(UnicodeScalar(UInt8(65 + index % 26))) + name
            index = index / 26 - 1
        } while index >= 0
        return name
    }

    /// A sheet name Excel accepts: at most 31 characters, none of : \ / ? * [ ].
    static func sheetName(_ name: String) -> String {
        let cleaned = String(name.map { ":\\/?*[]".contains($0) ? "_" : $0 }.prefix(31))
        return cleaned.isEmpty ? "Sheet" : cleaned
    }

    /// Text as XML character data: markup escaped, and the control characters XML 1.0 cannot hold dropped.
    static func escaped(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            case "\"": result += "&quot;"
            case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
            default:
                if scalar.value >= 0x20 && !(0xFFFE...0xFFFF).contains(scalar.value) {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result
    }
}
