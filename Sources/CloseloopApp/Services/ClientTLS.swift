import Foundation
import NIOSSL

/// TLS as Closeloop's own clients use it (the SMTP relay, the IMAP mailbox): TLS 1.2 or later, the system's
/// certificate authorities or a company's own from a PEM file, and the name the certificate is checked against.
enum ClientTLS {
    static func context(trusting certificatesPath: String?) throws -> NIOSSLContext {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        if let certificatesPath {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificatesPath))
        }
        return try NIOSSLContext(configuration: configuration)
    }

    /// SNI and certificate name checking need a name; an address literal is checked against the certificate's IP
    /// entries instead.
    static func serverHostname(_ host: String) -> String? {
        var ipv4 = in_addr()
        var ipv6 = in6_addr()
        if inet_pton(AF_INET, host, &ipv4) == 1 || inet_pton(AF_INET6, host, &ipv6) == 1 { return nil }
        return host
    }
}
