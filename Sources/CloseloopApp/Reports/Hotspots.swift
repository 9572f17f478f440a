import CloseloopCore
import CloseloopStore
import Foundation

/// The issues that keep coming back in a period (高频问题, SPEC §7): the categories × products with the most
/// complaints and the phrases most complaints use, each beside the two periods before, so a rising issue stands out.
public struct Hotspots: Sendable {
    public struct Pair: Sendable, Equatable {
        public var category: String?
        public var product: String?
        public var count: Int
        /// The counts of the previous period and the one before it.
        public var earlier: [Int]
    }

    public struct Phrase: Sendable, Equatable {
        public var text: String
        public var count: Int
        public var earlier: [Int]
    }

    public var period: ReportPeriod
    public var scope: StatisticsScope
    public var pairs: [Pair]
    public var phrases: [Phrase]
    /// How many complaints' texts the phrases were counted in (at most `textLimit`, the newest).
    public var textsRead: Int

    /// The most texts read for the phrases of one period: a year of a large company is sampled by its newest.
    public static let textLimit = 20_000
}

extension ReportService {
    /// The hotspots of `period` within `scope`, the top `limit` of each kind.
    public func hotspots(_ period: ReportPeriod, scope: StatisticsScope, by viewer: UserAccount, limit: Int = 20)
        async throws -> Hotspots
    {
        try Self.check(scope, viewer)
        let calendar = await settings.current().calendar
        func bounds(_ period: ReportPeriod) -> (Date, Date) {
            (calendar.startOfDay(period.start), calendar.startOfDay(period.end))
        }
        let earlierPeriods = [period.previous, period.previous.previous]
        let (start, end) = bounds(period)
        let top = try await store.categoryProductCounts(Self.days(period, calendar), scope: scope, limit: limit)
        var earlierPairs: [[Int]] = []
        for earlier in earlierPeriods {
            earlierPairs.append(
                try await store.categoryProductCounts(
                    Self.days(earlier, calendar), scope: scope, of: top.map { ($0.category, $0.product) }))
        }
        let texts = try await store.texts(from: start, to: end, scope: scope, limit: Hotspots.textLimit)
        let phrases = RecurringPhrases.top(in: texts, limit: limit)
        var earlierPhrases: [[String: Int]] = []
        for earlier in earlierPeriods {
            let (from, to) = bounds(earlier)
            let earlierTexts = try await store.texts(from: from, to: to, scope: scope, limit: Hotspots.textLimit)
            earlierPhrases.append(RecurringPhrases.counts(of: phrases.map(\.text), in: earlierTexts))
        }
        return Hotspots(
            period: period, scope: scope,
            pairs: top.enumerated().map { index, pair in
                Hotspots.Pair(
                    category: pair.category, product: pair.product, count: pair.count,
                    earlier: earlierPairs.map { $0[index] })
            },
            phrases: phrases.map { phrase in
                Hotspots.Phrase(
                    text: phrase.text, count: phrase.count, earlier: earlierPhrases.map { $0[phrase.text] ?? 0 })
            },
            textsRead: texts.count)
    }
}

extension ReportWorkbooks {
    /// The hotspots: category × product and the recurring phrases, each beside the two periods before.
    public static func hotspots(_ hotspots: Hotspots, names: Names) -> XLSXWorkbook {
        let n = names
        let earlier = [n.text("上一期", "Previous period"), n.text("再上一期", "The period before")]
        let pairs = XLSXWorkbook.Sheet(
            name: n.text("类别与产品", "Category and product"),
            columns: [
                .init(n.text("类别", "Category"), width: 18), .init(n.text("产品", "Product"), width: 24),
                .init(ReportService.title(of: hotspots.period), width: 12),
            ] + earlier.map { .init($0, width: 12) },
            rows: hotspots.pairs.map { pair in
                [
                    .text(pair.category.map { n.taxonomy.name(of: $0, in: n.language) } ?? n.text("（未分类）", "(none)")),
                    .text(pair.product ?? n.text("（未填）", "(none)")), .integer(pair.count),
                ] + pair.earlier.map { .integer($0) }
            })
        let phrases = XLSXWorkbook.Sheet(
            name: n.text("高频词", "Recurring phrases"),
            columns: [
                .init(n.text("词语", "Phrase"), width: 18), .init(ReportService.title(of: hotspots.period), width: 12),
            ] + earlier.map { .init($0, width: 12) },
            rows: hotspots.phrases.map { phrase in
                [.text(phrase.text), .integer(phrase.count)] + phrase.earlier.map { .integer($0) }
            })
        return XLSXWorkbook(sheets: [pairs, phrases])
    }
}
