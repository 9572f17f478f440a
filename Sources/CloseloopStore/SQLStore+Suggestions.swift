import CloseloopCore
import Foundation
import SQLKit

/// A suggestion as recorded at intake, for the form that preselects it and the figure of how many were accepted.
public struct RecordedSuggestion: Hashable, Sendable {
    public var complaintID: ComplaintID
    public var suggestedAt: Date
    public var modelTrainedAt: Date
    public var suggestion: ClassificationSuggestion

    public init(
        complaintID: ComplaintID, suggestedAt: Date, modelTrainedAt: Date, suggestion: ClassificationSuggestion
    ) {
        self.complaintID = complaintID
        self.suggestedAt = suggestedAt
        self.modelTrainedAt = modelTrainedAt
        self.suggestion = suggestion
    }
}

/// Per target, how many classified complaints had a suggestion and how many kept it.
public struct SuggestionAcceptance: Hashable, Sendable {
    public var suggested: [ClassificationModel.Target: Int]
    public var accepted: [ClassificationModel.Target: Int]

    /// The share kept, or nil when nothing was suggested.
    public func rate(_ target: ClassificationModel.Target) -> Double? {
        guard let suggested = suggested[target], suggested > 0 else { return nil }
        return Double(accepted[target] ?? 0) / Double(suggested)
    }
}

extension SQLStore {
    static let currentModel = "current"

    /// Replaces the classification model.
    public func saveClassificationModel(_ model: ClassificationModel) async throws {
        let body = try StoreCoding.encode(model)
        try await database.transaction { db in
            try await db.raw(
                """
                INSERT INTO classification_models (name, trained_at, examples, body)
                VALUES (\(bind: Self.currentModel), \(bind: Timestamp.milliseconds(model.trainedAt)), \(bind: model.examples), \(bind: body))
                ON CONFLICT (name) DO UPDATE SET trained_at = excluded.trained_at, examples = excluded.examples,
                    body = excluded.body
                """
            ).run()
        }
    }

    /// When the current model was trained, without reading it; nil when there is none.
    public func classificationModelTrainedAt() async throws -> Date? {
        try await database.read { db in
            try await db.raw(
                "SELECT trained_at FROM classification_models WHERE name = \(bind: Self.currentModel)"
            ).first()?.decode(column: "trained_at", as: Int64.self)
        }.map(Timestamp.date)
    }

    public func classificationModel() async throws -> ClassificationModel? {
        let body = try await database.read { db in
            try await db.raw("SELECT body FROM classification_models WHERE name = \(bind: Self.currentModel)")
                .first()?.decode(column: "body", as: String.self)
        }
        return try body.map { try StoreCoding.decode(ClassificationModel.self, from: $0) }
    }

    /// Whether at least `count` complaints are classified, counting no further than that.
    public func hasClassificationExamples(atLeast count: Int) async throws -> Bool {
        let found = try await database.read { db in
            try await db.raw(
                """
                SELECT COUNT(*) AS n FROM (SELECT 1 FROM complaints WHERE category IS NOT NULL LIMIT \(bind: count)) AS c
                """
            ).first()?.decode(column: "n", as: Int.self)
        }
        return (found ?? 0) >= count
    }

    /// The most recent classified complaints (a category set by a supervisor, or brought over with the archive),
    /// newest first: what the model learns from.
    public func classificationExamples(limit: Int) async throws -> [ClassificationModel.Example] {
        try await database.read { db in
            try await db.raw(
                """
                SELECT subject, description, category, subcategory, kind, priority, severity, department
                FROM complaints WHERE category IS NOT NULL ORDER BY received_at DESC LIMIT \(bind: limit)
                """
            ).all().map { row in
                var labels: [ClassificationModel.Target: String] = [:]
                for target in ClassificationModel.Target.allCases {
                    if let value = try row.decodeNil(column: target.rawValue)
                        ? nil : row.decode(column: target.rawValue, as: String.self)
                    {
                        labels[target] = value
                    }
                }
                return ClassificationModel.Example(
                    text: try row.decode(column: "subject", as: String.self) + "\n"
                        + row.decode(column: "description", as: String.self),
                    labels: labels)
            }
        }
    }

    /// Records what was suggested for a complaint, in its intake transaction; the first suggestion stays.
    static func insert(_ recorded: RecordedSuggestion, on db: any SQLDatabase) async throws {
        let values = recorded.suggestion.values
        let confidences = Dictionary(uniqueKeysWithValues: values.map { ($0.key.rawValue, $0.value.confidence) })
        try await db.raw(
            """
            INSERT INTO complaint_suggestions (complaint_id, suggested_at, model_trained_at, category, subcategory,
                kind, priority, severity, department, confidences)
            VALUES (\(bind: recorded.complaintID.rawValue), \(bind: Timestamp.milliseconds(recorded.suggestedAt)),
                \(bind: Timestamp.milliseconds(recorded.modelTrainedAt)), \(bind: values[.category]?.label),
                \(bind: values[.subcategory]?.label), \(bind: values[.kind]?.label), \(bind: values[.priority]?.label),
                \(bind: values[.severity]?.label), \(bind: values[.department]?.label),
                \(bind: try StoreCoding.encode(confidences)))
            ON CONFLICT (complaint_id) DO NOTHING
            """
        ).run()
    }

    public func suggestion(for complaint: ComplaintID) async throws -> RecordedSuggestion? {
        try await database.read { db in
            guard
                let row = try await db.raw(
                    "SELECT * FROM complaint_suggestions WHERE complaint_id = \(bind: complaint.rawValue)"
                ).first()
            else { return nil }
            let confidences = try StoreCoding.decode(
                [String: Double].self, from: row.decode(column: "confidences", as: String.self))
            var values: [ClassificationModel.Target: TextClassifier.Prediction] = [:]
            for target in ClassificationModel.Target.allCases {
                guard !(try row.decodeNil(column: target.rawValue)) else { continue }
                values[target] = .init(
                    label: try row.decode(column: target.rawValue, as: String.self),
                    confidence: confidences[target.rawValue] ?? 0)
            }
            return RecordedSuggestion(
                complaintID: complaint,
                suggestedAt: Timestamp.date(try row.decode(column: "suggested_at", as: Int64.self)),
                modelTrainedAt: Timestamp.date(try row.decode(column: "model_trained_at", as: Int64.self)),
                suggestion: ClassificationSuggestion(values: values))
        }
    }

    /// How many of the suggestions made in `from..<to` were kept, per target, among the complaints classified since
    /// (of one department's complaints when `department` is given).
    public func suggestionAcceptance(from: Date, to: Date, department: DepartmentID? = nil) async throws
        -> SuggestionAcceptance
    {
        let targets = ClassificationModel.Target.allCases
        let columns: String = targets.map { target -> String in
            let name = target.rawValue
            return """
                SUM(CASE WHEN s.\(name) IS NOT NULL THEN 1 ELSE 0 END) AS suggested_\(name),
                SUM(CASE WHEN s.\(name) = c.\(name) THEN 1 ELSE 0 END) AS accepted_\(name)
                """
        }.joined(separator: ",\n")
        return try await database.read { db in
            let row = try await db.raw(
                """
                SELECT \(unsafeRaw: columns)
                FROM complaint_suggestions s JOIN complaints c ON c.id = s.complaint_id
                WHERE c.category IS NOT NULL AND s.suggested_at >= \(bind: Timestamp.milliseconds(from))
                    AND s.suggested_at < \(bind: Timestamp.milliseconds(to))
                    \(department.map { SQLQueryString("AND c.department = \(bind: $0.rawValue)") } ?? "")
                """
            ).first()
            var acceptance = SuggestionAcceptance(suggested: [:], accepted: [:])
            for target in targets {
                acceptance.suggested[target] =
                    try row.flatMap { try $0.decodeNil(column: "suggested_\(target.rawValue)") ? nil : $0 }?
                    .decode(column: "suggested_\(target.rawValue)", as: Int.self) ?? 0
                acceptance.accepted[target] =
                    try row.flatMap { try $0.decodeNil(column: "accepted_\(target.rawValue)") ? nil : $0 }?
                    .decode(column: "accepted_\(target.rawValue)", as: Int.self) ?? 0
            }
            return acceptance
        }
    }
}
