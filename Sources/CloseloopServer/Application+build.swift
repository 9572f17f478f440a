import CloseloopAPI
import CloseloopApp
import CloseloopCore
import CloseloopStore
import Foundation
import Hummingbird
import Logging
import OpenAPIHummingbird
import OpenAPIRuntime

/// Where to listen.
public struct ServerAddress: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }
}

/// Builds the HTTP application; `closeloop serve` and the tests use the same function.
public func buildApplication(
    services: AppServices, address: ServerAddress = ServerAddress(), metrics: MetricsAccess = MetricsAccess(),
    training: ClassificationTraining = .inProcess, logger: Logger = Logger(label: "closeloop")
) throws -> some ApplicationProtocol {
    let router = try buildRouter(services: services, metrics: metrics)
    return Application(
        router: router,
        configuration: .init(address: .hostname(address.host, port: address.port), serverName: "closeloop"),
        services: [
            SettingsRefresher(settings: services.settings, interval: .seconds(30), logger: logger),
            DeadlineWatcher(
                complaints: services.complaints, improvements: services.improvements, logger: logger,
                health: services.health),
            services.outbox.dispatcher(logger: logger),
            DailyReportScheduler(
                monitoring: services.monitoring, scheduledReports: services.scheduledReports,
                interval: .seconds(300), logger: logger),
            StatisticsRollupRefresher(rollup: services.rollup, interval: .seconds(30), logger: logger),
            MailboxPolling(
                mailbox: services.mailbox, mail: services.mail, settings: services.settings, logger: logger),
            // The classification model is retrained once it is a day old; every instance looks every ten minutes.
            PeriodicPass(name: "classification training", interval: .seconds(600), logger: logger) {
                try await training.pass(services.suggestions, logger: logger)
            },
            PeriodicPass(
                name: "burst watch", interval: { .seconds(await services.settings.alertPolicy().burst.watchSeconds) },
                logger: logger
            ) {
                for burst in try await services.bursts.pass() {
                    logger.notice(
                        "complaints alike arrived together",
                        metadata: ["complaints": "\(burst.members.count)", "title": "\(burst.title)"])
                }
            },
        ],
        logger: logger)
}

/// The router with every API route, every web page and their middleware, in the order a request meets them.
public func buildRouter(
    services: AppServices, web: WebRenderer? = nil, metrics: MetricsAccess = MetricsAccess()
) throws -> Router<AppRequestContext> {
    ServerMetrics.bootstrap()
    let contract = try OpenAPIContract()
    let router = Router(context: AppRequestContext.self)
    let webApp = WebApp(services: services, renderer: try web ?? WebRenderer.bundled())
    // Outermost, so each request is counted under its route with the status its problem became.
    router.add(middleware: MetricsMiddleware())
    router.add(middleware: LatencyRecording(health: services.health))
    router.add(middleware: ProblemMiddleware(pageNotFound: webApp.notFoundPage))
    router.add(middleware: MetricsEndpoint(access: metrics))
    router.add(middleware: BodyLimitMiddleware(jsonLimit: services.limits.json, uploadLimit: services.limits.upload))
    router.add(middleware: MethodFilterMiddleware())
    if services.readsFromReplica { router.add(middleware: ReadYourWrites(writers: RecentWriters())) }
    router.add(middleware: AuthenticationMiddleware(tokens: services.tokens))
    router.add(middleware: WebhookSignatureMiddleware(webhooks: services.webhooks))
    router.add(middleware: APIGateMiddleware(contract: contract))
    router.get("/api/v1/openapi.yaml") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "application/yaml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: contract.yaml)))
    }
    router.get("/api/v1/openapi.json") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: contract.json)))
    }
    // Compact JSON: indenting and sorting every key cost time and bytes on each answer, for no reader.
    try APIHandler(services: services).registerHandlers(
        on: router, serverURL: URL(string: "/api/v1")!,
        configuration: Configuration(
            dateTranscoder: APIDateTranscoder(), jsonEncodingOptions: [.withoutEscapingSlashes]))
    WeChatRoutes(weChat: services.weChat).register(on: router)
    webApp.register(on: router)
    return router
}
