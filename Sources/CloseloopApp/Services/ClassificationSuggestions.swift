import CloseloopCore
import CloseloopStore
import Foundation
import Logging

/// The classification suggested for each new complaint (issue 14), from a model trained on the company's own
/// classified complaints: trained on a schedule and by command, kept in the database so every instance suggests
/// alike, and read again by an instance within a minute of another training it. Each suggestion is recorded at
/// intake; the supervisor's form preselects it, and the share kept is a figure on the dashboard.
public actor ClassificationSuggestions {
    /// How many of the most recent classified complaints the model learns from.
    public static let trainingLimit = 50_000
    /// Fewer classified complaints than this teach nothing worth suggesting.
    public static let minimumExamples = 20

    private let store: SQLStore
    private let time: any TimeSource
    private let audit: AuditLog
    private var model: ClassificationModel?
    private var checkedAt: Date?
    /// The similar-complaint scorer of `model`, built once per model (its tables take a moment).
    private var scorer: (trainedAt: Date?, scorer: CandidateScorer)?

    init(store: SQLStore, time: any TimeSource, audit: AuditLog) {
        self.store = store
        self.time = time
        self.audit = audit
    }

    /// Trains a new model from the classified complaints and makes it current; nil when there are too few.
    @discardableResult
    public func train(by actor: Operator) async throws -> ClassificationModel? {
        try actor.require(anyOf: [.administrator])
        let examples = try await store.classificationExamples(limit: Self.trainingLimit)
        guard examples.count >= Self.minimumExamples else { return nil }
        let now = time.instant()
        // Off the actor: seconds of arithmetic must not hold up the suggestions of complaints arriving meanwhile.
        let trained = await Task.detached(priority: .utility) {
            ClassificationModel(examples: examples, at: now)
        }.value
        try await store.saveClassificationModel(trained)
        model = trained
        checkedAt = time.instant()
        try await audit.record(
            "suggestions.train", subject: "classification",
            detail: "\(examples.count) classified complaints", by: actor)
        return trained
    }

    /// Trains when `trainingDue(olderThan:)`; what the schedule runs, in the server or in the child it starts.
    /// Every instance runs the schedule, so the one that trains first claims the training in the database: the others
    /// find it claimed and leave it, instead of each spending a core on the same model at the same tick.
    @discardableResult
    public func trainIfOlder(than age: TimeInterval) async throws -> ClassificationModel? {
        let (due, held) = try await due(olderThan: age)
        guard due else { return nil }
        let now = time.instant()
        let until = Self.milliseconds(now.addingTimeInterval(Self.trainingClaim))
        guard try await store.replaceSetting(Self.claimKey, expected: held, with: until, at: now) else { return nil }
        do {
            // The schedule acts as the server's own operator: the audit log names it.
            let model = try await train(by: .commandLine(login: "schedule"))
            try await releaseClaim(until, at: time.instant())
            return model
        } catch {
            // Another instance may try at its next pass rather than after the claim runs out.
            try? await releaseClaim(until, at: time.instant())
            throw error
        }
    }

    /// Whether a training would make a model now: there is none or the current one is older than `age`, enough
    /// complaints are classified to learn from, and no instance is training already. Cheap: it reads neither the
    /// model nor the texts.
    public func trainingDue(olderThan age: TimeInterval) async throws -> Bool {
        try await due(olderThan: age).due
    }

    /// `trainingDue`, with the claim it read (one that has run out, or none), which a training replaces.
    private func due(olderThan age: TimeInterval) async throws -> (due: Bool, held: Int64?) {
        let now = time.instant()
        if let trained = try await store.classificationModelTrainedAt(), now.timeIntervalSince(trained) < age {
            return (false, nil)
        }
        let held = try await store.setting(Self.claimKey, as: Int64.self)
        if let held, held > Self.milliseconds(now) { return (false, held) }
        return (try await store.hasClassificationExamples(atLeast: Self.minimumExamples), held)
    }

    /// How long a scheduled training holds the other instances off. A training that takes longer is stuck, not slow
    /// (50,000 complaints train in well under a minute); its claim runs out and another instance trains instead.
    public static let trainingClaim: TimeInterval = 3_600
    /// The setting holding when the current claim ends, in milliseconds since 1970: an integer, so that the value read
    /// back compares equal when it is replaced.
    static let claimKey = "classification_training_claim"

    /// Ends this instance's claim, unless it ran out and another instance claimed since.
    private func releaseClaim(_ until: Int64, at now: Date) async throws {
        _ = try await store.replaceSetting(Self.claimKey, expected: until, with: Self.milliseconds(now), at: now)
    }

    private static func milliseconds(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }

    /// Reads the stored model again now rather than within the minute, after another process trained one; returns it
    /// when it differs from the model held before.
    public func reload() async throws -> ClassificationModel? {
        let before = model?.trainedAt
        checkedAt = nil
        let current = try await current()
        return current?.trainedAt == before ? nil : current
    }

    /// The suggestion for an intake, or nil when there is no model yet.
    public nonisolated func suggest(_ intake: Intake) async throws -> ClassificationSuggestion? {
        try await suggestion(for: intake)?.suggestion
    }

    /// The suggestion and the model that made it; nil without a model or when the model knows none of the terms.
    /// Worked out off the actor, so concurrent intakes do not queue behind each other's arithmetic.
    private nonisolated func suggestion(for intake: Intake) async throws -> (
        suggestion: ClassificationSuggestion, model: Date
    )? {
        guard let model = try await current() else { return nil }
        let suggestion = model.suggest(intake.subject + "\n" + intake.description)
        return suggestion.values.isEmpty ? nil : (suggestion, model.trainedAt)
    }

    /// The suggestion to record with a complaint about to be taken, in its intake transaction. A failure is logged
    /// and gives nil, never the intake's: a complaint is taken whether or not a suggestion could be made.
    nonisolated func recordable(for intake: Intake, of complaint: ComplaintID) async -> RecordedSuggestion? {
        do {
            guard let (suggestion, trainedAt) = try await suggestion(for: intake) else { return nil }
            return RecordedSuggestion(
                complaintID: complaint, suggestedAt: time.instant(), modelTrainedAt: trainedAt, suggestion: suggestion)
        } catch {
            Logger(label: "closeloop.suggestions").warning(
                "no classification suggestion recorded", metadata: ["complaint": "\(complaint)", "error": "\(error)"])
            return nil
        }
    }

    /// The scorer for similar complaints, weighing the terms two complaints share by how common each is among the
    /// company's complaints (the model's training texts); before the first training every term weighs alike.
    public func candidateScorer() async -> CandidateScorer {
        let current = try? await current()
        if let scorer, scorer.trainedAt == current?.trainedAt { return scorer.scorer }
        let built = CandidateScorer(statistics: current?.classifiers[.category]?.statistics ?? TermStatistics())
        scorer = (current?.trainedAt, built)
        return built
    }

    /// What was suggested for a complaint at intake.
    public func suggestion(for complaint: ComplaintID) async throws -> RecordedSuggestion? {
        try await store.suggestion(for: complaint)
    }

    /// How many suggestions made in the period were kept, per target (of one department's complaints when given).
    public func acceptance(from: Date, to: Date, department: DepartmentID? = nil) async throws -> SuggestionAcceptance {
        try await store.suggestionAcceptance(from: from, to: to, department: department)
    }

    /// The model, read again when another instance trained a newer one (checked at most once a minute).
    private func current() async throws -> ClassificationModel? {
        let now = time.instant()
        if let checkedAt, now.timeIntervalSince(checkedAt) < 60 { return model }
        checkedAt = now
        guard let trainedAt = try await store.classificationModelTrainedAt() else { return nil }
        // Compared in whole milliseconds, as the database keeps the instant.
        let stored = (trainedAt.timeIntervalSince1970 * 1000).rounded()
        if model.map({ ($0.trainedAt.timeIntervalSince1970 * 1000).rounded() }) != stored {
            model = try await store.classificationModel()
        }
        return model
    }
}
