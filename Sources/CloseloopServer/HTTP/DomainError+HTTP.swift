import CloseloopCore
import HTTPTypes

extension DomainError {
    /// The one HTTP status each refusal of the loop answers with, on the API (problem documents) and on the pages
    /// (the page again with the error beside the form) alike.
    var httpStatus: HTTPResponse.Status {
        switch self {
        case .validation, .assigneeRecused, .assigneeMentionUnconfirmed: .unprocessableContent
        case .notAllowed, .recused, .insufficientAuthority: .forbidden
        case .wrongState, .missingPrerequisite, .reopenWindowPassed, .noPendingDelay: .conflict
        }
    }
}
