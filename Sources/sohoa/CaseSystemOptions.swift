import ArgumentParser
import Delivery
import Foundation
import Logging

/// Where the case system is and how the station signs in. Secrets come from the environment, never from flags
/// (flags show in `ps`): `SOHOA_CASE_CLIENT_ID` and `SOHOA_CASE_CLIENT_SECRET` for OAuth2 client credentials, or
/// `SOHOA_CASE_API_KEY`.
struct CaseSystemOptions: ParsableArguments {
    @Option(name: .customLong("case-system"), help: "The case system's base URL (default: $SOHOA_CASE_SYSTEM).")
    var url: String?

    @Option(name: .customLong("token-url"), help: "OAuth2 token endpoint (default: <case-system>/oauth/token).")
    var tokenURL: String?

    @Option(name: .long, help: "Seconds allowed for one upload and its reply.")
    var timeout: Double = 60

    @Option(name: .customLong("ca-file"), help: "PEM file of the certificate authorities to trust (a provincial private CA).")
    var caFile: String?

    @Flag(name: .customLong("allow-insecure-http"), help: "Allow plain http to another machine (a VPN; never the internet).")
    var allowInsecureHTTP = false

    func make(logger: Logger) throws -> RESTCaseSystem {
        let env = ProcessInfo.processInfo.environment
        guard let address = url ?? env["SOHOA_CASE_SYSTEM"], let base = URL(string: address) else {
            throw fail("no case system: pass --case-system URL or set SOHOA_CASE_SYSTEM", ExitStatus.usage)
        }
        let auth: RESTCaseSystem.Configuration.Auth
        if let id = env["SOHOA_CASE_CLIENT_ID"], let secret = env["SOHOA_CASE_CLIENT_SECRET"], !id.isEmpty, !secret.isEmpty {
            auth = .oauth2(clientId: id, clientSecret: secret, tokenURL: tokenURL.flatMap(URL.init(string:)))
        } else if let key = env["SOHOA_CASE_API_KEY"], !key.isEmpty {
            auth = .apiKey(key)
        } else {
            throw fail("no credentials for the case system: set SOHOA_CASE_CLIENT_ID and SOHOA_CASE_CLIENT_SECRET, "
                       + "or SOHOA_CASE_API_KEY", ExitStatus.usage)
        }
        do {
            return try RESTCaseSystem(.init(baseURL: base, auth: auth, requestTimeout: timeout,
                                            allowInsecureHTTP: allowInsecureHTTP, caFile: caFile), logger: logger)
        } catch {
            throw fail("\(error)", ExitStatus.usage)
        }
    }
}

/// How the outbox worker retries and what it keeps.
struct WorkerOptions: ParsableArguments {
    @Option(name: .long, help: "Deliveries in flight at once.")
    var concurrency: Int = 2

    @Option(name: .customLong("backoff-base"), help: "Seconds to wait after a first failed attempt (doubles each time).")
    var backoffBase: Double = 2

    @Option(name: .customLong("backoff-max"), help: "The longest wait between attempts, in seconds.")
    var backoffMax: Double = 600

    @Option(name: .long, help: "Seconds a claimed delivery belongs to this worker (longer than --timeout).")
    var lease: Double?

    @Option(name: .customLong("retention-days"),
            help: "Remove page images this many days after the case system confirmed the dossier.")
    var retentionDays: Double = 30

    @Flag(name: .customLong("keep-pages"), help: "Never remove page images of delivered dossiers.")
    var keepPages = false

    func configuration(timeout: Double) -> DeliveryConfiguration {
        DeliveryConfiguration(
            concurrency: max(1, concurrency), lease: lease ?? max(30, timeout * 2),
            idlePoll: min(1, max(0.05, backoffBase)),
            retry: RetryPolicy(baseDelay: max(0.001, backoffBase), maxDelay: max(backoffBase, backoffMax)),
            retention: keepPages ? nil : max(0, retentionDays) * 86400)
    }
}
