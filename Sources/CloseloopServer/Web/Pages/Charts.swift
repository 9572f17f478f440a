import Foundation

/// The geometry of the dashboards' charts, drawn as SVG by the templates (`chart_bars`, `chart_columns`): no script,
/// readable when printed, every bar a link to the complaints behind it. Labels are escaped by the templates.
enum Charts {
    /// One bar or column: what it shows and where it leads.
    struct Item {
        var label: String
        var value: Double
        var display: String
        var link: String?
        /// Drawn as late (past its target), in the darker colour.
        var late = false
    }

    /// Horizontal bars, largest first as given, one row each.
    static func bars(_ items: [Item], title: String, width: Int = 460) -> [String: Any] {
        let labelWidth = 120
        let valueWidth = 56
        let row = 24
        let room = Double(width - labelWidth - valueWidth - 8)
        let top = max(items.map(\.value).max() ?? 0, 1)
        let rows: [[String: Any]] = items.enumerated().map { index, item in
            let length = item.value <= 0 ? 0 : max(2, (item.value / top * room).rounded())
            return [
                "label": item.label, "display": item.display, "link": item.link as Any,
                "y": index * row, "textY": index * row + 16, "barX": labelWidth, "barWidth": Int(length),
                "valueX": labelWidth + Int(length) + 6, "labelX": labelWidth - 6,
            ]
        }
        return [
            "title": title, "width": width, "height": max(items.count * row, row), "rows": rows,
            "empty": items.isEmpty,
        ]
    }

    /// Columns over time (or over buckets), with the comparison period as a line when given, and a few axis labels.
    static func columns(
        _ items: [Item], comparison: [Double]? = nil, title: String, legend: (current: String, comparison: String)?,
        width: Int = 720, height: Int = 200
    ) -> [String: Any] {
        let left = 36
        let bottom = 22
        let plotHeight = Double(height - bottom - 8)
        let top = max((items.map(\.value) + (comparison ?? [])).max() ?? 0, 1)
        let scale = niceCeiling(top)
        let slot = Double(width - left) / Double(max(items.count, 1))
        let barWidth = max(1, Int(slot * 0.7))
        func y(_ value: Double) -> Double { 8 + plotHeight - value / scale * plotHeight }
        let labelEvery = max(1, Int((Double(items.count) / 8).rounded(.up)))
        let columns: [[String: Any]] = items.enumerated().map { index, item in
            let x = Double(left) + Double(index) * slot + (slot - Double(barWidth)) / 2
            let top = y(item.value)
            return [
                "x": Int(x), "y": Int(top), "width": barWidth, "height": max(0, Int(8 + plotHeight - top)),
                "label": item.label, "display": item.display, "link": item.link as Any, "late": item.late,
                "showLabel": index % labelEvery == 0, "labelX": Int(x + Double(barWidth) / 2), "labelY": height - 6,
            ]
        }
        let points = comparison.map { values in
            values.prefix(items.count).enumerated().map { index, value in
                "\(Int(Double(left) + (Double(index) + 0.5) * slot)),\(Int(y(value)))"
            }.joined(separator: " ")
        }
        let grid: [[String: Any]] = [0, 0.5, 1].map { share in
            ["y": Int(y(scale * share)), "label": formatted(scale * share), "x2": width]
        }
        return [
            "title": title, "width": width, "height": height, "columns": columns, "comparison": points as Any,
            "grid": grid, "axisX": left,
            "legend": legend.map { ["current": $0.current, "comparison": $0.comparison] }
                as Any, "empty": items.allSatisfy { $0.value == 0 },
        ]
    }

    /// The smallest of 1, 2, 5 × 10ⁿ at or above `value`, so the axis reads in round numbers.
    static func niceCeiling(_ value: Double) -> Double {
        let magnitude = pow(10, floor(log10(max(value, 1))))
        for step in [1.0, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
        return 10 * magnitude
    }

    static func formatted(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%.1f", value)
    }
}
