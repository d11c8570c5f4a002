/// `kubectl get -o jsonpath=…`, `-o jsonpath-as-json=…` and `-o custom-columns=…`: the
/// printers kubectl's `printGeneric` (and, with `-w`, its `watch`) drives.
extension Cluster {
    /// The printer a template output asks for.
    enum TemplatePrinter {
        case jsonPath(JSONPathPrinter)
        case customColumns(CustomColumnsPrinter)
    }

    static let jsonPathFormats = ["jsonpath", "jsonpath-file", "jsonpath-as-json"]
    static let customColumnsFormats = ["custom-columns", "custom-columns-file"]

    /// The JSONPath formats a release's `JSONPathPrintFlags` takes: `jsonpath-as-json` came
    /// with cli-runtime v0.19.
    static func jsonPathFormats(_ version: KubernetesVersion) -> [String] {
        version == .v1_18 ? jsonPathFormats.filter { $0 != "jsonpath-as-json" } : jsonPathFormats
    }

    /// The formats `-o` takes here, as kubectl's `NoCompatiblePrinterError` lists them (sorted).
    static let allowedOutputFormats = ["custom-columns", "json", "jsonpath", "jsonpath-as-json", "name", "wide", "yaml"]

    /// `allowedOutputFormats` as a release lists them (1.18 has no `jsonpath-as-json`).
    static func allowedOutputFormats(_ version: KubernetesVersion) -> [String] {
        version == .v1_18 ? allowedOutputFormats.filter { $0 != "jsonpath-as-json" } : allowedOutputFormats
    }

    /// `NoCompatiblePrinterError`'s text.
    static func unknownOutputFormat(_ format: String, version: KubernetesVersion) -> String {
        "unable to match a printer suitable for the output format \(GoValue.goQuote(format)), "
            + "allowed formats are: " + allowedOutputFormats(version).joined(separator: ",")
    }

    /// Whether `get` prints through a template printer: `-o jsonpath…` or `-o custom-columns…`
    /// (a `--template` alone asks for a go-template, which fails as an unknown format).
    static func isTemplateOutput(_ flags: KubectlFlags) -> Bool {
        let output = flags.output ?? "", template = flags.template ?? ""
        if !template.isEmpty, output.isEmpty { return true }
        return templateRequest(output, template, jsonPathFormats) != nil
            || templateRequest(output, template, customColumnsFormats) != nil
    }

    /// The format `-o` names among `formats` and the template it carries (`jsonpath=…`, or
    /// `--template`), as the print flags' `ToPrinter` splits them; nil for another format.
    private static func templateRequest(_ output: String, _ template: String, _ formats: [String])
        -> (format: String, value: String)?
    {
        var format = output, value = template
        if template.isEmpty {
            for f in formats where output.utf8.starts(with: (f + "=").utf8) {
                value = String(decoding: output.utf8.dropFirst(f.utf8.count + 1), as: UTF8.self)
                format = f
                break
            }
        }
        return formats.contains(format) ? (format, value) : nil
    }

    /// `PrintFlags.ToPrinter` for the template formats, its errors worded as kubectl's: 1.18
    /// knows no `jsonpath-as-json` (`jsonpath-as-json=…` is then a format of its own, which
    /// no printer takes).
    static func templatePrinter(_ flags: KubectlFlags, version: KubernetesVersion = .v1_36)
        -> Result<TemplatePrinter, JSONPathError>
    {
        let output = flags.output ?? "", template = flags.template ?? ""
        if let (format, value) = templateRequest(output, template, jsonPathFormats(version)) {
            guard !value.isEmpty else { return .failure(JSONPathError("template format specified but no template given")) }
            if format == "jsonpath-file" {
                return .failure(JSONPathError("error reading --template \(value), open \(value): no such file or directory"))
            }
            return JSONPathPrinter.make(template: value, allowMissingKeys: flags.allowMissingTemplateKeys,
                                        asJSON: format == "jsonpath-as-json", version: version).map { .jsonPath($0) }
        }
        if !template.isEmpty, output.isEmpty {
            return .failure(JSONPathError(unknownOutputFormat("go-template", version: version)))
        }
        if let (format, value) = templateRequest(output, template, customColumnsFormats) {
            guard !value.isEmpty else {
                return .failure(JSONPathError("custom-columns format specified but no custom columns given"))
            }
            if format == "custom-columns-file" {
                return .failure(JSONPathError("error reading template \(value), open \(value): no such file or directory\n"))
            }
            return CustomColumnsPrinter.fromSpec(value, noHeaders: flags.noHeaders, version: version)
                .map { .customColumns($0) }
        }
        return .failure(JSONPathError(unknownOutputFormat(output, version: version)))
    }

    /// `get` through a template printer. One object named prints as itself; anything else as
    /// a `List` of what was found (printed even when empty: kubectl says no "No resources
    /// found" here). Failures to fetch print after the output; a printer that cannot be
    /// made is reported alone, once the objects are fetched (a named object that is missing
    /// is reported instead). With `-w`, each object prints by itself through one tabwriter.
    func kubectlGetTemplated(_ targets: [GetTarget], _ flags: KubectlFlags, _ out: inout KubectlOutput) {
        var fetched = KubectlOutput()
        let found = targets.flatMap { objects(of: $0, flags, &fetched) }
        let singleItem = targets.count == 1 && targets[0].names.count == 1
        if fetched.exitCode != 0, flags.watch || singleItem {
            out.stderr += fetched.stderr
            out.exitCode = fetched.exitCode
            return
        }
        let printer: TemplatePrinter
        switch Self.templatePrinter(flags, version: config.version) {
        case .failure(let e):
            out.failVerbatim("error: " + e.message)
            return
        case .success(let p): printer = p
        }

        if flags.watch {
            var writer = TabWriter()
            for o in found {
                var failure: JSONPathError?
                switch printer {
                case .jsonPath(let p):
                    switch p.print(o) {
                    case .success(let text): writer.write(text)
                    case .failure(let e): failure = e
                    }
                case .customColumns(let p):
                    failure = p.print(o, shape: .object, to: &writer)
                }
                if let failure {
                    out.print(writer.flush(), newline: false)
                    out.failVerbatim("error: unable to output the provided object: " + failure.message)
                    return
                }
            }
            out.print(writer.flush(), newline: false)
            return
        }

        let value = singleItem ? (found.first ?? .null) : listObject(found)
        var failure: JSONPathError?
        switch printer {
        case .jsonPath(let p):
            switch p.print(value) {
            case .success(let text): out.print(text, newline: false)
            case .failure(let e): failure = e
            }
        case .customColumns(let p):
            var writer = TabWriter()
            failure = p.print(value, shape: singleItem ? .object : .list, to: &writer)
            out.print(writer.flush(), newline: false)
        }
        out.stderr += fetched.stderr
        out.exitCode = max(out.exitCode, fetched.exitCode)
        if let failure { out.failVerbatim("error: " + failure.message) }
    }
}

extension KubectlOutput {
    /// An error as kubectl's `fatal` prints it: a newline added only if the text has none.
    mutating func failVerbatim(_ message: String) {
        stderr += message.hasSuffix("\n") ? message : message + "\n"
        exitCode = 1
    }
}
