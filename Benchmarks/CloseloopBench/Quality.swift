import ArgumentParser
@_spi(Tools) import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation

/// `closeloop-bench quality`: how well the suggestions and the similar-complaint lookup do on the real texts of
/// `../shared/data` (never shipped): category accuracy and macro-F1 with a fixed train/test split, how the
/// confidence reads, precision@5 of similar complaints, and the time each takes.
struct Quality: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure the classifier and the similarity lookup on the real texts in --data.")

    @Option(name: .long, help: "The shared data folder with the complaint texts (default ../shared/data).")
    var data = "../shared/data"
    @Option(name: .long, help: "Training passes (the product's default unless given).") var epochs: Int?
    @Option(name: .long, help: "The first pass's learning rate (the product's default unless given).")
    var learningRate: Double?
    @Flag(name: .long, help: "Only the first data set (and --database), for trying training settings.")
    var quick = false
    @Option(
        name: .long,
        help:
            "Also time suggestions and similar-complaint lookups in this loaded database (sqlite:PATH or postgres://).")
    var database: String?
    @Option(name: .long, help: "Lookups timed in --database.") var lookups = 500

    var training: TextClassifier.Training {
        var training = TextClassifier.Training()
        if let epochs { training.epochs = epochs }
        if let learningRate { training.learningRate = learningRate }
        return training
    }

    func run() async throws {
        let folder = URL(fileURLWithPath: data)
        func read(_ name: String) throws -> [[String: String]] {
            let url = folder.appendingPathComponent(name)
            guard FileManager.default.fileExists(atPath: url.path) else {
                throw BenchError.missingData("\(url.path) not found; pass --data with the shared data folder")
            }
            return try CSVFormat.records(inFileAt: url)
        }
        emit("split: a row is a test row when the FNV-1a hash of its id is divisible by 5 (about 20 %)")
        try classify("online_shopping_10_cats_zh.csv (category)", rows: read("online_shopping_10_cats_zh.csv"))
        if !quick {
            try classify(
                "cfpb_complaints_en.csv (product, under CFPB's current product names)",
                rows: read("cfpb_complaints_en.csv").compactMap { row in
                    Self.currentProduct(row["category"] ?? "").map { row.merging(["category": $0]) { $1 } }
                })
            similar(rows: try read("car_complaints_12365auto_zh.csv"))
        }
        if let database { try await timeLookups(in: BenchDatabase(database)) }
    }

    /// The model trained from the database's classified complaints, then each of `lookups` texts of the corpus
    /// suggested for and looked up among the database's open and recent complaints, in process.
    private func timeLookups(in target: BenchDatabase) async throws {
        let corpus = try Corpus.load(from: URL(fileURLWithPath: data))
        let services = try await target.services(
            dataDirectory: URL(fileURLWithPath: NSTemporaryDirectory()).appendingPathComponent("closeloop-bench"))
        let clock = ContinuousClock()
        let complaints = try await ComplaintCount.of(services.store)
        var model: ClassificationModel?
        let training = try await clock.measure { model = try await services.suggestions.train(by: .commandLine) }
        emit(
            "\(target): \(complaints) complaints; trained from \(model?.examples ?? 0) classified in "
                + String(format: "%.1f s", training.seconds))
        var random = SeededRandom(seed: 20_261_204)
        var suggestions: [Duration] = []
        var lookups: [Duration] = []
        var found = 0
        for _ in 0..<self.lookups {
            let text = corpus.text(using: &random)
            let intake = Intake(
                channel: .web, customer: CustomerDetails(name: "bench", phone: "13800000000"), subject: text.subject,
                description: text.description)
            suggestions.append(try await clock.measure { _ = try await services.suggestions.suggest(intake) })
            lookups.append(
                try await clock.measure {
                    found += try await services.similar.similar(toText: text.subject + "\n" + text.description).count
                })
        }
        emit("  per suggestion: " + Self.percentiles(suggestions))
        emit(
            "  per similar-complaint lookup: " + Self.percentiles(lookups)
                + String(format: "  (%.1f found per lookup)", Double(found) / Double(max(self.lookups, 1))))
        await services.store.database.shutdown()
    }

    /// Trains on the training rows' `text` → `category`, and measures on the test rows.
    private func classify(_ title: String, rows: [[String: String]]) throws {
        var train: [(terms: [String: Int], label: String)] = []
        var test: [(terms: [String: Int], label: String)] = []
        for row in rows {
            guard let id = row["id"], let text = row["text"], let label = row["category"], !label.isEmpty else {
                continue
            }
            let example = (terms: TextTerms.counts(of: text), label: label)
            if Self.isTest(id) { test.append(example) } else { train.append(example) }
        }
        let clock = ContinuousClock()
        var model: TextClassifier?
        let trainTime = clock.measure { model = TextClassifier(examples: train, training: training) }
        guard let model else { return }
        var timings: [Duration] = []
        var confusion: [String: (truePositive: Int, falsePositive: Int, falseNegative: Int)] = [:]
        var buckets = [(right: Int, total: Int)](repeating: (0, 0), count: 10)
        var correct = 0
        for example in test {
            var prediction: TextClassifier.Prediction?
            timings.append(clock.measure { prediction = model.predict(example.terms) })
            let guess = prediction?.label ?? ""
            let right = guess == example.label
            if right {
                correct += 1
                confusion[guess, default: (0, 0, 0)].truePositive += 1
            } else {
                confusion[guess, default: (0, 0, 0)].falsePositive += 1
                confusion[example.label, default: (0, 0, 0)].falseNegative += 1
            }
            let bucket = min(Int((prediction?.confidence ?? 0) * 10), 9)
            buckets[bucket].total += 1
            if right { buckets[bucket].right += 1 }
        }
        var scores: [(String, Double)] = []
        for label in model.labels {
            let counts = confusion[label] ?? (0, 0, 0)
            let precision = Double(counts.truePositive) / Double(max(counts.truePositive + counts.falsePositive, 1))
            let recall = Double(counts.truePositive) / Double(max(counts.truePositive + counts.falseNegative, 1))
            scores.append((label, precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0))
        }
        let macroF1 = scores.map(\.1).reduce(0, +) / Double(max(scores.count, 1))
        emit("\(title): \(train.count) training, \(test.count) test texts, \(model.labels.count) labels")
        emit(
            String(
                format: "  accuracy %.3f  macro-F1 %.3f  trained in %.1f s  vocabulary %d terms",
                Double(correct) / Double(max(test.count, 1)), macroF1, trainTime.seconds, model.vocabularySize))
        emit("  F1 per label: " + scores.map { String(format: "%@ %.2f", $0.0, $0.1) }.joined(separator: ", "))
        emit(
            "  confidence → share right: "
                + buckets.enumerated().filter { $0.element.total > 0 }.map {
                    String(
                        format: "%.1f–%.1f: %.2f (%d)", Double($0.offset) / 10, Double($0.offset + 1) / 10,
                        Double($0.element.right) / Double($0.element.total), $0.element.total)
                }.joined(separator: ", "))
        emit("  per suggestion: " + Self.percentiles(timings))
    }

    /// Precision@5 of the most similar complaints, where the same cause is the same brand, model and a shared
    /// problem code; every complaint asks once, against all the others.
    private func similar(rows: [[String: String]]) {
        struct Complaint {
            var key: String
            var codes: Set<String>
            var vector: TermVector
        }
        let counts = rows.map { TextTerms.counts(of: $0["text"] ?? "") }
        var statistics = TermStatistics()
        for terms in counts { statistics.add(terms) }
        let complaints = zip(rows, counts).map { row, terms in
            Complaint(
                key: (row["category"] ?? "") + "/" + (row["sub_category"] ?? ""),
                codes: Set((row["problem_codes"] ?? "").split(separator: ",").map(String.init)),
                vector: statistics.vector(terms))
        }
        func sameCause(_ a: Complaint, _ b: Complaint) -> Bool { a.key == b.key && !a.codes.isDisjoint(with: b.codes) }
        let clock = ContinuousClock()
        var timings: [Duration] = []
        var precision = 0.0
        var ceiling = 0.0
        var asked = 0
        for (index, complaint) in complaints.enumerated() {
            let relevant = complaints.indices.count { $0 != index && sameCause(complaint, complaints[$0]) }
            guard relevant > 0 else { continue }
            var top: [(index: Int, score: Double)] = []
            timings.append(
                clock.measure {
                    top = complaints.indices.lazy.filter { $0 != index }
                        .map { (index: $0, score: complaint.vector.cosine(complaints[$0].vector)) }
                        .sorted { $0.score > $1.score }.prefix(5).map { $0 }
                })
            precision += Double(top.count { sameCause(complaint, complaints[$0.index]) }) / 5
            ceiling += Double(min(relevant, 5)) / 5
            asked += 1
        }
        emit(
            "car_complaints_12365auto_zh.csv: \(asked) of \(complaints.count) complaints have another of the same cause "
                + "(same brand, model and a shared problem code)")
        emit(
            String(
                format: "  precision@5 %.3f (the most it could be, with so few of each cause: %.3f; %.0f %% of that)",
                precision / Double(max(asked, 1)), ceiling / Double(max(asked, 1)),
                100 * precision / max(ceiling, 1e-9)))
        emit("  per lookup against \(complaints.count - 1) complaints: " + Self.percentiles(timings))
    }

    /// The CFPB renamed and merged its products (2017, 2023); the narratives carry the name of their year. Each is
    /// counted under today's name, or left out when it was split between two (Consumer Loan).
    static func currentProduct(_ name: String) -> String? {
        switch name {
        case "": nil
        case "Consumer Loan": nil
        case "Credit reporting", "Credit reporting or other personal consumer reports",
            "Credit reporting, credit repair services, or other personal consumer reports":
            "Credit reporting"
        case "Credit card", "Prepaid card": "Credit card or prepaid card"
        case "Payday loan", "Payday loan, title loan, or personal loan",
            "Payday loan, title loan, personal loan, or advance loan":
            "Payday loan, title loan, or personal loan"
        case "Bank account or service": "Checking or savings account"
        default: name
        }
    }

    /// FNV-1a of the id: the same split on every machine and in every language a reader might check it with.
    static func isTest(_ id: String) -> Bool {
        var hash: UInt32 = 0x811C_9DC5
        for byte in id.utf8 {
            hash ^= UInt32(byte)
            hash = hash &* 0x0100_0193
        }
        return hash % 5 == 0
    }

    static func percentiles(_ timings: [Duration]) -> String {
        let sorted = timings.sorted()
        guard !sorted.isEmpty else { return "none" }
        func at(_ share: Double) -> Double { sorted[min(Int(Double(sorted.count) * share), sorted.count - 1)].seconds }
        return String(format: "p50 %.3f ms  p99 %.3f ms", at(0.5) * 1000, at(0.99) * 1000)
    }
}
