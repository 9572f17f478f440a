import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

// The parts of the API's JSON a client developer reads, decoded independently of the generated types so the tests
// check the wire format, not the server's own model.

struct ComplaintBody: Decodable, Sendable {
    struct Customer: Decodable, Sendable {
        var name: String
        var phone: String?
        var email: String?
    }

    struct Attachment: Decodable, Sendable, Equatable {
        var id: String
        var fileName: String
        var contentType: String
        var size: Int
        var sha256: String
    }

    struct Proposal: Decodable, Sendable {
        var types: [String]
        var description: String
        var compensation: String?
        var requiredApprover: String?
    }

    struct Clock: Decodable, Sendable {
        var clock: String
        var limit: String
        var basis: String
        var startedAt: Date
        var dueAt: Date?
        var stoppedAt: Date?
        var condition: String
    }

    var id: String
    var number: String
    var state: String
    var resolution: String?
    var kind: String
    var channel: String
    var priority: String
    var severity: String
    var repeatOf: String?
    var incident: String?
    var mergedInto: String?
    var mergedDuplicates: [String]?
    var category: String?
    var department: String?
    var owner: String?
    var handler: String?
    var handlerDue: Date?
    var receivedAt: Date
    var closedAt: Date?
    var version: Int
    var customer: Customer
    var personalDataMasked: Bool
    var subject: String
    var description: String
    var complainedAboutUser: String?
    var complainedAboutText: String?
    var staffMentions: [StaffMentionBody]?
    var attachments: [Attachment]
    var recording: Attachment?
    var proposal: Proposal?
    var satisfaction: Int?
    var clocks: [Clock]
    var nextDueAt: Date?
    var availableActions: [String]

    var actions: Set<String> { Set(availableActions) }

    func clock(_ name: String) -> Clock? { clocks.first { $0.clock == name } }
}

/// A page of `GET /complaints`: each item a summary.
struct ComplaintListBody: Decodable, Sendable {
    var items: [SummaryBody]
    var nextCursor: String?
}

/// A page of `GET /complaints?view=full`: each item the whole complaint.
struct FullListBody: Decodable, Sendable {
    var items: [ComplaintBody]
    var nextCursor: String?
}

/// What a list shows of a complaint (`ComplaintSummary`).
struct SummaryBody: Decodable, Sendable {
    struct Customer: Decodable, Sendable {
        var name: String
        var phone: String?
    }

    struct Deadline: Decodable, Sendable {
        var clock: String
        var dueAt: Date
        var condition: String
    }

    var id: String
    var number: String
    var subject: String
    var customer: Customer
    var reference: String?
    var state: String
    var kind: String
    var channel: String
    var priority: String
    var severity: String
    var category: String?
    var department: String?
    var owner: String?
    var handler: String?
    var receivedAt: Date
    var updatedAt: Date
    var version: Int
    var nextDeadline: Deadline?
}

struct HistoryBody: Decodable, Sendable {
    struct Event: Decodable, Sendable {
        struct Actor: Decodable, Sendable {
            var kind: String
            var userId: String?
            var name: String
        }

        var sequence: Int
        var at: Date
        var actor: Actor
        var type: String
    }

    var events: [Event]
}

struct TrackedBody: Decodable, Sendable {
    struct Step: Decodable, Sendable {
        var at: Date
        var text: String
    }

    var number: String
    var state: String
    var stateText: String
    var subject: String
    var steps: [Step]
    var proposal: String?
    var compensation: String?
    var canRespondToProposal: Bool
    var canConfirmResult: Bool
    var satisfaction: Int?
}

/// An RFC 9457 problem document with the API's stable `code`.
struct ProblemBody: Decodable, Sendable {
    struct FieldError: Decodable, Sendable {
        var field: String
        var code: String
        var message: String
    }

    var status: Int
    var code: String
    var detail: String
    var errors: [FieldError]?
    var currentVersion: Int?

    var fields: Set<String> { Set((errors ?? []).map(\.field)) }
}

struct TokenBody: Decodable, Sendable {
    var token: String
    var expiresAt: Date
}

struct AttachmentBody: Decodable, Sendable {
    var id: String
    var fileName: String
    var contentType: String
    var size: Int
    var sha256: String
}

extension JSONDecoder {
    /// Reads the API's instants, with or without fractional seconds.
    static let api: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            let plain = ISO8601DateFormatter()
            let fractional = ISO8601DateFormatter()
            fractional.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            guard let date = plain.date(from: text) ?? fractional.date(from: text) else {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "not an ISO 8601 instant: \(text)"))
            }
            return date
        }
        return decoder
    }()
}

extension TestResponse {
    var text: String { String(buffer: body) }

    var bytes: [UInt8] { Array(buffer: body) }

    func decode<T: Decodable>(_ type: T.Type) throws -> T {
        try JSONDecoder.api.decode(type, from: Data(body.readableBytesView))
    }

    /// The body as `type` after checking the status; a wrong status fails the test with the body for context.
    func expect<T: Decodable>(
        _ status: HTTPResponse.Status, _ type: T.Type, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> T {
        try #require(self.status == status, "\(self.status.code): \(text)", sourceLocation: sourceLocation)
        return try decode(type)
    }

    /// The problem document after checking the status and its content type.
    func problem(
        _ status: HTTPResponse.Status, sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> ProblemBody {
        let problem = try expect(status, ProblemBody.self, sourceLocation: sourceLocation)
        #expect(
            headers[.contentType]?.hasPrefix("application/problem+json") == true, sourceLocation: sourceLocation)
        #expect(problem.status == Int(status.code), sourceLocation: sourceLocation)
        return problem
    }
}

/// A staff member named in the customer's words, as the API shows it.
struct StaffMentionBody: Decodable, Equatable {
    var user: String
    var status: String
}
