/// `kubectl get -o jsonpath=TEMPLATE` and `-o jsonpath-as-json=TEMPLATE`: cli-runtime's
/// `JSONPathPrinter` (printers/jsonpath.go) as `JSONPathPrintFlags` builds it.
///
/// The object printed is the one `kubectl get` hands it: a single object as the server
/// returned it, or a `List` of everything found (`{.items[*]…}`). Nothing is added after the
/// output: kubectl prints no newline of its own.
final class JSONPathPrinter {
    let rawTemplate: String
    let path: JSONPath

    private init(rawTemplate: String, path: JSONPath) {
        self.rawTemplate = rawTemplate
        self.path = path
    }

    /// `NewJSONPathPrinter` with `AllowMissingKeys` and `EnableJSONOutput` set; a template
    /// that does not parse fails as `ToPrinter` words it (v0.18 ends the error with a
    /// newline, which kubectl then prints as the one it adds).
    static func make(template: String, allowMissingKeys: Bool = true, asJSON: Bool = false,
                     version: KubernetesVersion = .v1_36) -> Result<JSONPathPrinter, JSONPathError>
    {
        switch JSONPath.parse(template, version: version) {
        case .failure(let e):
            let newline = version == .v1_18 ? "\n" : ""
            return .failure(JSONPathError("error parsing jsonpath \(template), \(e.message)\(newline)"))
        case .success(let path):
            path.allowMissingKeys = allowMissingKeys
            path.outputJSON = asJSON
            return .success(JSONPathPrinter(rawTemplate: template, path: path))
        }
    }

    /// `PrintObj`: the template's output for `object`, or kubectl's error (which carries the
    /// template and the whole object in Go syntax, ending in blank lines).
    func print(_ object: JSON) -> Result<String, JSONPathError> {
        switch path.execute(.json(object)) {
        case .success(let text): return .success(text)
        case .failure(let e):
            var buf = "Error executing template: \(e.message). Printing more information for debugging the template:\n"
            buf += "\ttemplate was:\n\t\t\(rawTemplate)\n"
            buf += "\tobject given to jsonpath engine was:\n\t\t\(GoFormat.goSyntax(object))\n\n"
            return .failure(JSONPathError("error executing jsonpath \(GoValue.goQuote(rawTemplate)): \(buf)\n"))
        }
    }
}
