import CloseloopCore
import CloseloopStore
import Foundation

/// SPEC §7's period report in words (for the terminal and email) and as CSV with a UTF-8 BOM, which Excel opens
/// with the Chinese intact.
public struct StatisticsReport: Sendable {
    public var statistics: ComplaintStatistics
    /// The period's name as the reader knows it: "2026-10", "2026-10-05 – 2026-10-11".
    public var title: String
    public var departments: [Department]

    public init(statistics: ComplaintStatistics, title: String, departments: [Department]) {
        self.statistics = statistics
        self.title = title
        self.departments = departments
    }

    /// The report in `language`, one figure per line.
    public func text(in language: Language) -> String {
        let zh = language == .zhHans
        let language: Language = zh ? .zhHans : .en
        let s = statistics
        func percent(_ rate: Double?) -> String { rate.map { String(format: "%.1f%%", $0 * 100) } ?? "—" }
        func number(_ value: Double?, _ format: String = "%.1f") -> String {
            value.map { String(format: format, $0) } ?? "—"
        }
        var lines = [zh ? "投诉统计报表 \(title)" : "Complaint statistics \(title)", ""]
        lines.append((zh ? "受理：" : "Received: ") + "\(s.received)")
        lines.append(
            (zh ? "已结案：" : "Closed: ") + "\(s.closed)"
                + (zh ? "（\(percent(s.closureRate))）" : " (\(percent(s.closureRate)))"))
        lines.append((zh ? "平均结案时长（小时）：" : "Mean hours to close: ") + number(s.meanHoursToClose))
        lines.append((zh ? "首次响应及时率：" : "First response on time: ") + percent(s.firstResponseOnTimeRate))
        lines.append((zh ? "解决及时率：" : "Resolution on time: ") + percent(s.resolutionOnTimeRate))
        lines.append((zh ? "重开率：" : "Reopen rate: ") + percent(s.reopenRate))
        lines.append((zh ? "重复投诉率：" : "Repeat rate: ") + percent(s.repeatRate))
        lines.append(
            (zh ? "满意度：" : "Satisfaction: ") + number(s.satisfaction)
                + (zh
                    ? "（评价 \(s.rated) 条，差评率 \(percent(s.negativeRate))）"
                    : " (\(s.rated) ratings, negative \(percent(s.negativeRate)))"))
        lines.append("")
        lines.append(zh ? "各时限按时率：" : "On time per clock:")
        for clock in ClockKind.allCases {
            guard let tally = s.clocks[clock], tally.met + tally.missed > 0 else { continue }
            lines.append(
                "  \(clock.label.text(in: language))\t\(percent(tally.onTimeRate))\t"
                    + (zh ? "（按时 \(tally.met)，超时 \(tally.missed)）" : "(\(tally.met) met, \(tally.missed) missed)"))
        }
        for dimension in ComplaintStatistics.Dimension.allCases {
            let breakdown = s.breakdowns[dimension]?.counts ?? []
            guard !breakdown.isEmpty else { continue }
            lines.append("")
            lines.append(Self.heading(dimension, zh: zh))
            for (key, count) in breakdown.prefix(15) {
                lines.append("  \(label(dimension, key, zh: zh))\t\(count)")
            }
        }
        lines.append("")
        lines.append(zh ? "考核扣罚：" : "Penalties:")
        if s.penalties.isEmpty { lines.append(zh ? "  无" : "  none") }
        for entry in s.penalties {
            let name = departmentName(entry.department, zh: zh)
            lines.append(
                zh
                    ? "  \(name)\t\(entry.entries) 笔\t¥\(entry.amount)\t（免除 \(entry.waived) 笔）"
                    : "  \(name)\t\(entry.entries)\t¥\(entry.amount)\t(\(entry.waived) waived)")
        }
        return lines.joined(separator: "\n")
    }

    /// One row per figure (`section,key,value`), with a BOM so spreadsheets read it as UTF-8.
    public func csv(in language: Language) throws -> String {
        let zh = language == .zhHans
        let s = statistics
        var rows: [[String]] = [["section", "key", "value"]]
        func add(_ key: String, _ value: Double?) { rows.append(["total", key, value.map { "\($0)" } ?? ""]) }
        rows.append(["total", "received", "\(s.received)"])
        rows.append(["total", "closed", "\(s.closed)"])
        add("closure_rate", s.closureRate)
        add("mean_hours_to_close", s.meanHoursToClose)
        add("first_response_on_time_rate", s.firstResponseOnTimeRate)
        add("resolution_on_time_rate", s.resolutionOnTimeRate)
        add("reopen_rate", s.reopenRate)
        add("repeat_rate", s.repeatRate)
        add("satisfaction", s.satisfaction)
        add("negative_rate", s.negativeRate)
        for clock in ClockKind.allCases {
            guard let tally = s.clocks[clock] else { continue }
            rows.append(["clock_met", clock.rawValue, "\(tally.met)"])
            rows.append(["clock_missed", clock.rawValue, "\(tally.missed)"])
        }
        for dimension in ComplaintStatistics.Dimension.allCases {
            for (key, count) in s.breakdowns[dimension]?.counts ?? [] {
                rows.append([dimension.rawValue, label(dimension, key, zh: zh), "\(count)"])
            }
        }
        for entry in s.penalties {
            rows.append(["penalty", departmentName(entry.department, zh: zh), "\(entry.amount)"])
        }
        return try CSVFormat.byteOrderMark + CSVFormat.text(rows)
    }

    /// Every figure as JSON, for other programs.
    public func json() throws -> String {
        let s = statistics
        let formatter = ISO8601DateFormatter()
        var object: [String: Any] = [
            "title": title, "from": formatter.string(from: s.from), "to": formatter.string(from: s.to),
            "received": s.received, "closed": s.closed, "firstResponseOnTime": s.firstResponseOnTime,
            "firstResponseLate": s.firstResponseLate, "resolutionOnTime": s.resolutionOnTime,
            "resolutionLate": s.resolutionLate, "reopened": s.reopened, "repeats": s.repeats, "rated": s.rated,
            "negative": s.negative,
        ]
        object["meanHoursToClose"] = s.meanHoursToClose
        object["meanRating"] = s.meanRating
        object["satisfaction"] = s.satisfaction
        object["breakdowns"] = Dictionary(
            uniqueKeysWithValues: s.breakdowns.map { dimension, breakdown in
                (dimension.rawValue, breakdown.counts.map { ["key": $0.key, "count": $0.count] as [String: Any] })
            })
        object["clocks"] = Dictionary(
            uniqueKeysWithValues: s.clocks.map { clock, tally in
                (clock.rawValue, ["met": tally.met, "missed": tally.missed] as [String: Any])
            })
        object["penalties"] = s.penalties.map {
            [
                "department": $0.department?.rawValue ?? "", "entries": $0.entries, "amount": "\($0.amount)",
                "waived": $0.waived,
            ] as [String: Any]
        }
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .prettyPrinted])
        return String(decoding: data, as: UTF8.self)
    }

    private static func heading(_ dimension: ComplaintStatistics.Dimension, zh: Bool) -> String {
        switch dimension {
        case .channel: zh ? "按渠道：" : "By channel:"
        case .category: zh ? "按类别：" : "By category:"
        case .subcategory: zh ? "按子类别：" : "By subcategory:"
        case .product: zh ? "按产品：" : "By product:"
        case .department: zh ? "按部门：" : "By department:"
        case .severity: zh ? "按等级：" : "By severity:"
        case .priority: zh ? "按优先级：" : "By priority:"
        case .kind: zh ? "按类型：" : "By kind:"
        case .state: zh ? "按当前状态：" : "By current state:"
        }
    }

    private func label(_ dimension: ComplaintStatistics.Dimension, _ key: String, zh: Bool) -> String {
        let language: Language = zh ? .zhHans : .en
        switch dimension {
        case .department: return departmentName(key.isEmpty ? nil : DepartmentID(key), zh: zh)
        case .state: return ComplaintState(rawValue: key)?.label.text(in: language) ?? key
        default: return key.isEmpty ? (zh ? "（未分类）" : "(none)") : key
        }
    }

    private func departmentName(_ id: DepartmentID?, zh: Bool) -> String {
        guard let id else { return zh ? "（未分派）" : "(unassigned)" }
        return departments.first { $0.id == id }?.name.text(in: zh ? .zhHans : .en) ?? id.rawValue
    }
}
