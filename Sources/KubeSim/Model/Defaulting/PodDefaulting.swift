/// Pod defaults: `SetDefaults_PodSpec` (pods and templates alike), `SetDefaults_Pod` (pods
/// only), container, probe, volume and port defaults, and the Priority admission plugin's
/// `priority`/`preemptionPolicy` for pods without a priority class.
extension Defaulting {
    static func pod(_ pod: inout JSON) {
        member(&pod, "spec") { spec in
            podSpec(&spec, isPod: true)
            // SetDefaults_Pod: requests default to limits, per resource.
            for list in ["containers", "initContainers"] {
                eachElement(&spec, list) { c in
                    guard let limits = c["resources", "limits"].object else { return }
                    member(&c, "resources") { resources in
                        member(&resources, "requests") { requests in
                            for (name, value) in limits where requests[name].isNull { requests[name] = value }
                        }
                    }
                }
            }
            setDefault(&spec, "enableServiceLinks", true)
            if spec["hostNetwork"].bool == true {
                for list in ["containers", "initContainers"] {
                    eachElement(&spec, list) { c in
                        eachElement(&c, "ports") { port in
                            if (port["hostPort"].int ?? 0) == 0, let cp = port["containerPort"].int {
                                port["hostPort"] = .int(cp)
                            }
                        }
                    }
                }
            }
            // plugin/pkg/admission/priority: no class and no global default means priority 0.
            if (spec["priorityClassName"].string ?? "").isEmpty {
                setDefault(&spec, "priority", 0)
                setDefault(&spec, "preemptionPolicy", "PreemptLowerPriority")
            }
        }
    }

    static func podSpec(_ spec: inout JSON, isPod: Bool) {
        setDefault(&spec, "dnsPolicy", "ClusterFirst")
        setDefault(&spec, "restartPolicy", "Always")
        setDefault(&spec, "securityContext", .emptyObject)
        setDefault(&spec, "terminationGracePeriodSeconds", 30)
        setDefault(&spec, "schedulerName", "default-scheduler")
        eachElement(&spec, "volumes", volume)
        for list in ["containers", "initContainers", "ephemeralContainers"] {
            eachElement(&spec, list, container)
        }
        canonicalQuantities(&spec, "overhead")
    }

    /// SetDefaults_Container and what it contains.
    private static func container(_ c: inout JSON) {
        let pullPolicy = c["imagePullPolicy"]
        if pullPolicy.isNull || pullPolicy.string == "" {
            let latest = ImageReference.tag(of: c["image"].string ?? "") == "latest"
            c["imagePullPolicy"] = .string(latest ? "Always" : "IfNotPresent")
        }
        setDefault(&c, "terminationMessagePath", "/dev/termination-log")
        setDefault(&c, "terminationMessagePolicy", "File")
        // ResourceRequirements is not a pointer, so it always serialises (as `{}` when empty).
        member(&c, "resources") { resources in
            canonicalQuantities(&resources, "limits")
            canonicalQuantities(&resources, "requests")
        }
        eachElement(&c, "ports") { setDefault(&$0, "protocol", "TCP") }
        for probe in ["livenessProbe", "readinessProbe", "startupProbe"] {
            member(&c, probe, create: false) { p in
                setDefault(&p, "timeoutSeconds", 1)
                setDefault(&p, "periodSeconds", 10)
                setDefault(&p, "successThreshold", 1)
                setDefault(&p, "failureThreshold", 3)
                httpGet(&p)
            }
        }
        member(&c, "lifecycle", create: false) { lifecycle in
            for hook in ["postStart", "preStop"] { member(&lifecycle, hook, create: false, httpGet) }
        }
        eachElement(&c, "env") { env in
            member(&env, "valueFrom", create: false) { from in
                member(&from, "fieldRef", create: false) { setDefault(&$0, "apiVersion", "v1") }
            }
        }
    }

    /// SetDefaults_HTTPGetAction.
    private static func httpGet(_ handler: inout JSON) {
        member(&handler, "httpGet", create: false) { h in
            setDefault(&h, "path", "/")
            setDefault(&h, "scheme", "HTTP")
        }
    }

    /// SetDefaults_Volume and the volume sources' default modes (0644).
    private static func volume(_ v: inout JSON) {
        let hasSource = ObjectValidator.volumeSources.contains { !v[$0].isNull }
        if !hasSource { v["emptyDir"] = .emptyObject }
        for source in ["secret", "configMap", "downwardAPI", "projected"] {
            member(&v, source, create: false) { setDefault(&$0, "defaultMode", 420) }
        }
        member(&v, "hostPath", create: false) { setDefault(&$0, "type", "") }
        member(&v, "downwardAPI", create: false) { d in
            eachElement(&d, "items") { item in
                member(&item, "fieldRef", create: false) { setDefault(&$0, "apiVersion", "v1") }
            }
        }
    }
}

/// The tag of a container image reference, as `parsers.ParseImageName` (docker
/// `reference.ParseNormalizedNamed`) finds it for the pull-policy default. Read as UTF-8
/// bytes: every character the grammar allows is ASCII, and every container is defaulted.
enum ImageReference {
    /// "latest" when the reference names neither tag nor digest; "" when it has only a
    /// digest or does not parse (both default to IfNotPresent).
    static func tag(of image: String) -> String {
        let bytes = Array(image.utf8)
        if bytes.isEmpty || isIdentifier(bytes[...]) { return "" }  // a bare image ID is refused
        var name = bytes[...]
        var hasDigest = false
        if let at = name.firstIndex(of: UInt8(ascii: "@")) {
            hasDigest = true
            guard isValidDigest(name[(at + 1)...]) else { return "" }
            name = name[..<at]
        }
        // The tag follows the last ':' after the last '/' (a ':' before it is a port).
        let componentStart = name.lastIndex(of: UInt8(ascii: "/")).map { $0 + 1 } ?? name.startIndex
        var tag: ArraySlice<UInt8>?
        var repository = name
        if let colon = name[componentStart...].lastIndex(of: UInt8(ascii: ":")) {
            tag = name[(colon + 1)...]
            repository = name[..<colon]
        }
        guard isValidRepository(repository), tag.map(isValidTag) ?? true else { return "" }
        guard let tag else { return hasDigest ? "" : "latest" }
        return String(decoding: tag, as: UTF8.self)
    }

    private static func isLowerHex(_ b: UInt8) -> Bool { (0x30...0x39).contains(b) || (0x61...0x66).contains(b) }

    /// `[a-f0-9]{64}`: an image ID, which `ParseNormalizedNamed` refuses as a name.
    private static func isIdentifier(_ text: ArraySlice<UInt8>) -> Bool {
        text.count == 64 && text.allSatisfy(isLowerHex)
    }

    /// A digest go-digest accepts: a registered algorithm and its length of lowercase hex.
    private static func isValidDigest(_ digest: ArraySlice<UInt8>) -> Bool {
        guard let colon = digest.firstIndex(of: UInt8(ascii: ":")) else { return false }
        let hexLength: Int
        switch String(decoding: digest[..<colon], as: UTF8.self) {
        case "sha256": hexLength = 64
        case "sha384": hexLength = 96
        case "sha512": hexLength = 128
        default: return false
        }
        let hex = digest[(colon + 1)...]
        return hex.count == hexLength && hex.allSatisfy(isLowerHex)
    }

    /// The path after an optional registry must be lowercase (`repository name must be
    /// lowercase`) and made of `[a-z0-9]` runs joined by separators; the name, as docker
    /// normalizes it (`docker.io/library/…`), at most 255 bytes.
    private static func isValidRepository(_ name: ArraySlice<UInt8>) -> Bool {
        var remainder = name
        var normalizedLength = name.count
        if let slash = name.firstIndex(of: UInt8(ascii: "/")),
           case let domain = name[..<slash],
           domain.contains(UInt8(ascii: ".")) || domain.contains(UInt8(ascii: ":"))
            || domain.elementsEqual("localhost".utf8) || hasUppercase(domain)
        {
            // The reference's grammar reads the first part as a domain or, failing that, as a
            // path component.
            guard isValidDomain(domain) || isPathComponent(domain) else { return false }
            remainder = name[(slash + 1)...]
        } else {
            normalizedLength += "docker.io/".utf8.count + (name.contains(UInt8(ascii: "/")) ? 0 : "library/".utf8.count)
        }
        if remainder.isEmpty || normalizedLength > 255 { return false }
        return remainder.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).allSatisfy(isPathComponent)
    }

    /// `[a-z0-9]` runs joined by `.`, `_` or `-`.
    private static func isPathComponent(_ component: ArraySlice<UInt8>) -> Bool {
        func isLowerOrDigit(_ b: UInt8) -> Bool { (0x61...0x7A).contains(b) || (0x30...0x39).contains(b) }
        // `[a-z0-9]+` runs joined by exactly `.`, `_`, `__` or any run of `-`.
        var i = component.startIndex
        while true {
            let runStart = i
            while i < component.endIndex, isLowerOrDigit(component[i]) { i += 1 }
            guard i > runStart else { return false }
            guard i < component.endIndex else { return true }
            switch component[i] {
            case UInt8(ascii: "."): i += 1
            case UInt8(ascii: "_"):
                i += 1
                if i < component.endIndex, component[i] == UInt8(ascii: "_") { i += 1 }
            case UInt8(ascii: "-"):
                while i < component.endIndex, component[i] == UInt8(ascii: "-") { i += 1 }
            default: return false
            }
        }
    }

    /// `domainAndPort`: DNS labels of letters, digits and inner hyphens joined by dots, or an
    /// IPv6 address in brackets; then perhaps `:` and a port.
    private static func isValidDomain(_ domain: ArraySlice<UInt8>) -> Bool {
        func isAlnum(_ b: UInt8) -> Bool {
            (0x61...0x7A).contains(b) || (0x41...0x5A).contains(b) || (0x30...0x39).contains(b)
        }
        func isHex(_ b: UInt8) -> Bool {
            (0x30...0x39).contains(b) || (0x61...0x66).contains(b) || (0x41...0x46).contains(b)
        }
        /// Empty, or `:` and digits.
        func isPortOrNothing(_ rest: ArraySlice<UInt8>) -> Bool {
            guard let colon = rest.first else { return true }
            let digits = rest.dropFirst()
            return colon == UInt8(ascii: ":") && !digits.isEmpty && digits.allSatisfy { (0x30...0x39).contains($0) }
        }
        if domain.first == UInt8(ascii: "[") {
            guard let close = domain.firstIndex(of: UInt8(ascii: "]")) else { return false }
            let address = domain[(domain.startIndex + 1)..<close]
            return !address.isEmpty && address.allSatisfy { isHex($0) || $0 == UInt8(ascii: ":") }
                && isPortOrNothing(domain[(close + 1)...])
        }
        let colon = domain.firstIndex(of: UInt8(ascii: ":")) ?? domain.endIndex
        guard isPortOrNothing(domain[colon...]) else { return false }
        for label in domain[..<colon].split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            guard let f = label.first, let l = label.last, isAlnum(f), isAlnum(l),
                label.allSatisfy({ isAlnum($0) || $0 == UInt8(ascii: "-") })
            else { return false }
        }
        return true
    }

    /// Whether lowercasing would change the text, as the domain check asks.
    private static func hasUppercase(_ text: ArraySlice<UInt8>) -> Bool {
        if text.contains(where: { (0x41...0x5A).contains($0) }) { return true }
        guard text.contains(where: { $0 >= 0x80 }) else { return false }
        let string = String(decoding: text, as: UTF8.self)
        return string.lowercased() != string
    }

    /// `[\w][\w.-]{0,127}`.
    private static func isValidTag(_ tag: ArraySlice<UInt8>) -> Bool {
        func isWord(_ b: UInt8) -> Bool {
            (0x61...0x7A).contains(b) || (0x41...0x5A).contains(b) || (0x30...0x39).contains(b) || b == 0x5F
        }
        guard tag.count <= 128, let f = tag.first, isWord(f) else { return false }
        return tag.allSatisfy { isWord($0) || $0 == 0x2E || $0 == 0x2D }
    }
}
