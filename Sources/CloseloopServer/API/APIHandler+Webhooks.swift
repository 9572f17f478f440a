import CloseloopAPI
import CloseloopApp
import CloseloopCore
import Foundation

/// Messages posted by the company's other systems; `WebhookSignatureMiddleware` has verified the source.
extension APIHandler {
    func receiveWebhookMessage(_ input: Operations.ReceiveWebhookMessage.Input) async throws
        -> Operations.ReceiveWebhookMessage.Output
    {
        guard let signed = SignedWebhook.current else { throw WebhookRefusal.badSignature }
        guard case .json(let body) = input.body else {
            throw APIError.badRequest(code: "request.malformed", message: "")
        }
        let message = WebhookIntake.Message(
            messageID: body.messageId,
            customer: CustomerDetails(
                name: body.customer.name, phone: body.customer.phone, email: body.customer.email,
                customerID: body.customer.customerId),
            subject: body.subject, text: body.text, reference: body.reference, product: body.product,
            replyTo: body.replyTo)
        let receipt = try await services.webhooks.receive(message, raw: signed.body, from: signed.source)
        let answer = Components.Schemas.WebhookReceipt(
            status: receipt.appended ? .appended : .created, complaintNumber: receipt.complaintNumber,
            duplicate: receipt.duplicate)
        return receipt.duplicate ? .ok(.init(body: .json(answer))) : .created(.init(body: .json(answer)))
    }
}
