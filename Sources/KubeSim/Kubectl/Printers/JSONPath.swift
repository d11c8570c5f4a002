/// A value the JSONPath engine walks: what upstream's `reflect.Value`s hold while they walk an
/// unstructured object.
enum JSONPathValue: Equatable {
    /// The zero `reflect.Value`: what a `range` over nothing, or over a null, runs its body on.
    case invalid
    /// A value of the unstructured object (`.null` is a nil `interface{}`), or a literal of
    /// the template (text, float, bool).
    case json(JSON)
    /// A Go `int`: a whole-number literal of the template.
    case int(Int)
    /// A `uint8`: an element of a string (`.*` or `..` over text).
    case byte(UInt8)

    /// What `value.Interface()` gives back, as a JSON value.
    var interface: JSON {
        switch self {
        case .invalid: return .null
        case .json(let j): return j
        case .int(let i): return .int(i)
        case .byte(let b): return .int(Int(b))
        }
    }

    /// `fmt.Sprint(value.Interface())`.
    var plain: String {
        switch self {
        case .invalid: return "<nil>"
        case .json(let j): return GoFormat.plain(j)
        case .int(let i): return String(i)
        case .byte(let b): return String(b)
        }
    }

    /// `fmt.Sprintf("%v", value)` of the `reflect.Value` itself.
    var reflectPlain: String {
        if case .invalid = self { return "<invalid reflect.Value>" }
        return plain
    }

    /// The Go type's name, as `reflect.Type` prints it.
    var goType: String {
        switch self {
        case .invalid: return "<invalid reflect.Value>"
        case .int: return "int"
        case .byte: return "uint8"
        case .json(let j):
            switch j {
            case .null: return "interface {}"
            case .bool: return "bool"
            case .int: return "int64"
            case .double: return "float64"
            case .string: return "string"
            case .array: return "[]interface {}"
            case .object: return "map[string]interface {}"
            }
        }
    }

    /// `template.Indirect`'s nil: a nil `interface{}`.
    var isNil: Bool { self == .json(.null) }
}

/// A JSONPath template, as `k8s.io/client-go/util/jsonpath` runs it (jsonpath.go).
///
///     let p = try JSONPath.parse("{.items[*].metadata.name}").get()
///     p.allowMissingKeys = true
///     p.execute(.json(list))   // .success("web-1 web-2")
///
/// The range state (`range` … `end`) lives on the instance between runs, as upstream's
/// does: a printer that runs one template over several objects (`get -w`) sees what
/// upstream's sees. Maps are walked (`.*`, `..`) in key order, where Go's order is random.
/// Evaluation is bounded: `workLimit` values in all, `maxRangeDepth` nested ranges; past
/// either the run fails rather than hang or exhaust the stack.
///
/// `version` picks the client-go it runs as. 1.36 (v0.36) prints maps and arrays as JSON, a
/// nil as `null`, and carries on after a range's `end`. 1.18 (v0.18) prints every value
/// with `fmt` (`map[k:v]`, `[a b]`, `<nil>`) and runs ranges as its `FindResults` did: the
/// rest of the template after a range runs inside the range's last item, on the values
/// its `end` pops off a stack of scopes, and a range over nothing prints nothing more.
final class JSONPath {
    static let workLimit = 2_000_000
    static let maxRangeDepth = 64

    /// The template's top-level nodes (text, and one list per action).
    let nodes: [JSONPathNode]
    var allowMissingKeys = false
    /// `EnableJSONOutput`: each result set printed as an indented JSON array.
    var outputJSON = false
    /// The client-go release whose engine this is.
    var version: KubernetesVersion = .v1_36

    /// Where the template's node list begins (upstream's `parser.Root.Nodes`, which a range
    /// cuts to what follows it, and leaves cut).
    private var rootStart = 0
    private var beginRange = 0
    private var inRange = 0
    private var endRange = 0
    private var lastEndNode: Int?
    private var work = 0
    private var rangeDepth = 0
    private var aborted: JSONPathError?
    /// v0.18's `j.cur` (the values each top-level node runs on) and `j.stack` (the scopes a
    /// `range` pushes and its last `end` pops), kept between runs as upstream's are.
    private var cur: [JSONPathValue] = []
    private var scopes: [[JSONPathValue]] = []

    init(nodes: [JSONPathNode], version: KubernetesVersion = .v1_36) {
        self.nodes = nodes
        self.version = version
    }

    static func parse(_ template: String, version: KubernetesVersion = .v1_36) -> Result<JSONPath, JSONPathError> {
        JSONPathParser.parse(template, version: version).map { JSONPath(nodes: $0, version: version) }
    }

    /// `Execute`: every result set printed, one after another.
    func execute(_ data: JSONPathValue) -> Result<String, JSONPathError> {
        findResults(data).map { sets in sets.map(printResults).joined() }
    }

    /// `FindResults`: one result set per top-level node run (a range's body once per item).
    func findResults(_ data: JSONPathValue) -> Result<[[JSONPathValue]], JSONPathError> {
        work = 0
        rangeDepth = 0
        aborted = nil
        let found = version == .v1_18 ? find118(data) : find(data)
        if let aborted { return .failure(aborted) }
        return found
    }

    /// `PrintResults`: maps and arrays as compact JSON, anything else as `fmt` prints it,
    /// separated by spaces; with `outputJSON`, the whole set as an indented JSON array. On
    /// 1.18 every value as `fmt` prints it (`evalToText` alone).
    func printResults(_ results: [JSONPathValue]) -> String {
        if version == .v1_18 {
            return results.map { $0 == .invalid ? "<no value>" : $0.plain }.joined(separator: " ")
        }
        if outputJSON {
            return GoFormat.json(.array(results.map(\.interface)), indent: "    ") + "\n"
        }
        var out = ""
        for (i, r) in results.enumerated() {
            switch r {
            case .json(.object), .json(.array): out += GoFormat.json(r.interface)
            default: out += Self.text(r)
            }
            if i != results.count - 1 { out += " " }
        }
        return out
    }

    /// `evalToText`.
    private static func text(_ v: JSONPathValue) -> String {
        switch v {
        case .invalid: return "<no value>"
        case .json(.null): return "null"
        case .json(.string(let s)): return s
        case .json(.double(let d)): return GoFormat.formatFloatV(d)
        default: return v.plain
        }
    }

    // MARK: Running

    private typealias Step = (values: [JSONPathValue], error: JSONPathError?)

    private func find(_ data: JSONPathValue) -> Result<[[JSONPathValue]], JSONPathError> {
        let cur = [data]
        var full: [[JSONPathValue]] = []
        var i = rootStart
        while i < nodes.count {
            let (results, error) = walk(cur, nodes[i])
            if let error { return .failure(error) }

            // An `end`: this range's body is done.
            if endRange > 0, endRange <= inRange {
                endRange -= 1
                lastEndNode = i
                break
            }
            // A `range`: run what follows once per result, then carry on after its `end`.
            if beginRange > 0 {
                beginRange -= 1
                inRange += 1
                guard rangeDepth < Self.maxRangeDepth else {
                    return .failure(JSONPathError("ranges nested more than \(Self.maxRangeDepth) deep"))
                }
                rangeDepth += 1
                if !results.isEmpty {
                    for value in results {
                        rootStart = i + 1
                        switch find(Self.rangeData(value)) {
                        case .failure(let e): return .failure(e)
                        case .success(let next): full += next
                        }
                    }
                } else {
                    // Still run the body once, so that its `end` is found.
                    rootStart = i + 1
                    if case .failure(let e) = find(.invalid) { return .failure(e) }
                }
                rangeDepth -= 1
                inRange -= 1
                // Carry on after the range's `end`, where the body found one.
                if let end = lastEndNode, end > i, end < nodes.count { i = end }
                i += 1
                continue
            }
            full.append(results)
            i += 1
        }
        return .success(full)
    }

    /// v0.18's `FindResults`. A range runs what follows it once per item, the last time with
    /// the range already left (`inRange` lowered first), so that its `end` pops the scope
    /// the range pushed and the rest of the template runs on it, within that last run. The
    /// level that met the range stops there: nothing after it runs when it has no items.
    private func find118(_ data: JSONPathValue) -> Result<[[JSONPathValue]], JSONPathError> {
        cur = [data]
        var full: [[JSONPathValue]] = []
        var i = rootStart
        while i < nodes.count {
            let (results, error) = walk(cur, nodes[i])
            if let error { return .failure(error) }

            if endRange > 0, endRange <= inRange {
                endRange -= 1
                break
            }
            if beginRange > 0 {
                beginRange -= 1
                inRange += 1
                guard rangeDepth < Self.maxRangeDepth else {
                    return .failure(JSONPathError("ranges nested more than \(Self.maxRangeDepth) deep"))
                }
                rangeDepth += 1
                for (k, value) in results.enumerated() {
                    rootStart = i + 1
                    if k == results.count - 1 { inRange -= 1 }
                    switch find118(Self.rangeData(value)) {
                    case .failure(let e): return .failure(e)
                    case .success(let next): full += next
                    }
                }
                rangeDepth -= 1
                break
            }
            full.append(results)
            i += 1
        }
        return .success(full)
    }

    /// `reflect.ValueOf(value.Interface())`: a null item runs the body on nothing.
    private static func rangeData(_ v: JSONPathValue) -> JSONPathValue {
        v.isNil ? .invalid : v
    }

    private func walk(_ input: [JSONPathValue], _ node: JSONPathNode) -> Step {
        if let aborted { return ([], aborted) }
        let step: Step
        switch node {
        case .list(let steps): step = evalList(input, steps)
        case .text(let t): step = ([.json(.string(t))], nil)
        case .field(let name): step = evalField(input, name)
        case .array(let params): step = evalArray(input, params)
        case .filter(let left, let right, let op): step = evalFilter(input, left, right, op)
        case .int(let n): step = (input.map { _ in .int(n) }, nil)
        case .float(let d): step = (input.map { _ in .json(.double(d)) }, nil)
        case .bool(let b): step = (input.map { _ in .json(.bool(b)) }, nil)
        case .wildcard: step = (evalWildcard(input), nil)
        case .recursive: step = (evalRecursive(input), nil)
        case .union(let lists): step = evalUnion(input, lists)
        case .identifier(let name): step = evalIdentifier(input, name)
        }
        charge(step.values.count)
        if let aborted { return ([], aborted) }
        return step
    }

    private func charge(_ n: Int) {
        work += n
        if work > Self.workLimit, aborted == nil {
            aborted = JSONPathError("template produced more than \(Self.workLimit) values")
        }
    }

    /// Whether `pending` more values would overrun the budget (which then fails the run):
    /// checked where one step multiplies its input (unions, slices), before it is all built.
    private func overBudget(_ pending: Int) -> Bool {
        guard work + pending > Self.workLimit else { return false }
        charge(pending)
        return true
    }

    private func evalList(_ input: [JSONPathValue], _ steps: [JSONPathNode]) -> Step {
        var cur = input
        for node in steps {
            let (values, error) = walk(cur, node)
            if let error { return (values, error) }
            cur = values
        }
        return (cur, nil)
    }

    private func evalIdentifier(_ input: [JSONPathValue], _ name: String) -> Step {
        switch name {
        case "range":
            if version == .v1_18 { scopes.append(cur) }
            beginRange += 1
            return (input, nil)
        case "end" where version == .v1_18:
            // Inside a loop, break the current block; at the loop's last end, pop the scope.
            if endRange < inRange {
                endRange += 1
            } else if let scope = scopes.popLast() {
                cur = scope
            } else {
                return ([], JSONPathError("not in range, nothing to end"))
            }
            return ([], nil)
        case "end":
            guard inRange > 0 else { return ([], JSONPathError("not in range, nothing to end")) }
            endRange += 1
            return ([], nil)
        default:
            return (input, JSONPathError("unrecognized identifier \(name)"))
        }
    }

    private func evalField(_ input: [JSONPathValue], _ name: String) -> Step {
        if input.isEmpty { return ([], nil) }
        var results: [JSONPathValue] = []
        for value in input where !value.isNil {
            if case .json(.object(let o)) = value, let member = o[name] { results.append(.json(member)) }
        }
        if results.isEmpty, !allowMissingKeys { return ([], JSONPathError("\(name) is not found")) }
        return (results, nil)
    }

    private func evalArray(_ input: [JSONPathValue], _ params: JSONPathArrayParams) -> Step {
        var result: [JSONPathValue] = []
        for value in input where !value.isNil {
            guard case .json(.array(let array)) = value else {
                return (input, JSONPathError("\(value.goType) is not array or slice"))
            }
            var p = params.entries
            let length = array.count
            if !p[0].known { p[0].value = 0 }
            if p[0].value < 0 { p[0].value &+= length }
            if !p[1].known { p[1].value = length }
            if p[1].value < 0 || (p[1].value == 0 && p[1].derived) { p[1].value &+= length }
            let (from, to) = (p[0].value, p[1].value)
            guard to != from else { return (result, nil) }  // zero elements asked for
            if from >= length || from < 0 {
                return (input, JSONPathError("array index out of bounds: index \(from), length \(length)"))
            }
            if to > length || to < 0 {
                return (input, JSONPathError("array index out of bounds: index \(to &- 1), length \(length)"))
            }
            if from > to {
                return (input, JSONPathError("starting index \(from) is greater than ending index \(to)"))
            }
            var step = 1
            if p[2].known {
                guard p[2].value > 0 else { return (input, JSONPathError("step must be > 0")) }
                step = p[2].value
            }
            for i in stride(from: from, to: to, by: step) { result.append(.json(array[i])) }
            if overBudget(result.count) { return ([], aborted) }
        }
        return (result, nil)
    }

    private func evalUnion(_ input: [JSONPathValue], _ lists: [[JSONPathNode]]) -> Step {
        var result: [JSONPathValue] = []
        for list in lists {
            let (values, error) = evalList(input, list)
            if let error { return (input, error) }
            result += values
            if overBudget(result.count) { return ([], aborted) }
        }
        return (result, nil)
    }

    /// A value's members, elements, or a string's bytes (nothing for anything else). A
    /// string's bytes are counted against the budget, `pending` values on top of what is
    /// spent, before they are built: past it the run fails, and nothing is returned.
    private func children(_ value: JSONPathValue, pending: Int) -> [JSONPathValue] {
        guard case .json(let j) = value else { return [] }
        switch j {
        case .object(let o):
            return o.keys.sorted { $0.utf8Precedes($1) }.map { .json(o[$0] ?? .null) }
        case .array(let a): return a.map { .json($0) }
        case .string(let s):
            let (total, overflow) = pending.addingReportingOverflow(s.utf8.count)
            if overflow || overBudget(total) {
                charge(Self.workLimit)
                return []
            }
            return s.utf8.map { .byte($0) }
        default: return []
        }
    }

    private func evalWildcard(_ input: [JSONPathValue]) -> [JSONPathValue] {
        var results: [JSONPathValue] = []
        for value in input where !value.isNil {
            results += children(value, pending: results.count)
            if results.count > Self.workLimit || aborted != nil { break }
        }
        return results
    }

    /// `..`: every value below (and including) each input that has members, elements or
    /// characters, in pre-order; walked with a stack of its own rather than recursion.
    private func evalRecursive(_ input: [JSONPathValue]) -> [JSONPathValue] {
        var result: [JSONPathValue] = []
        var stack = Array(input.reversed())
        while let value = stack.popLast() {
            if value.isNil { continue }
            let kids = children(value, pending: result.count + stack.count)
            if aborted != nil { break }
            guard !kids.isEmpty else { continue }
            result.append(value)
            stack += kids.reversed()
            if result.count + stack.count > Self.workLimit {
                charge(Self.workLimit)
                break
            }
        }
        return result
    }

    private func evalFilter(_ input: [JSONPathValue], _ left: [JSONPathNode], _ right: [JSONPathNode],
                            _ op: String) -> Step
    {
        var results: [JSONPathValue] = []
        for value in input {
            guard case .json(.array(let array)) = value else {
                return (input, JSONPathError("\(value.reflectPlain) is not array or slice and cannot be filtered"))
            }
            for element in array {
                let temp: [JSONPathValue] = [.json(element)]
                let (lefts, leftError) = evalList(temp, left)
                if op == "exists" {
                    if !lefts.isEmpty { results.append(.json(element)) }
                    continue
                }
                if let leftError { return (input, leftError) }
                if lefts.isEmpty { continue }
                if lefts.count > 1 { return (input, JSONPathError("can only compare one element at a time")) }
                let (rights, rightError) = evalList(temp, right)
                if let rightError { return (input, rightError) }
                if rights.isEmpty { continue }
                if rights.count > 1 { return (input, JSONPathError("can only compare one element at a time")) }
                switch Self.compare(lefts[0], op, rights[0]) {
                case .failure(let e): return (results, e)
                case .success(let pass): if pass { results.append(.json(element)) }
                }
            }
        }
        return (results, nil)
    }

    // MARK: Comparing (text/template's eq, lt, …)

    private enum Basic {
        case bool(Bool), int(Int), uint(UInt8), float(Double), string(String)
    }

    private static let badType = JSONPathError("invalid type for comparison")
    private static let incompatible = JSONPathError("incompatible types for comparison")

    private static func basic(_ v: JSONPathValue) -> Basic? {
        switch v {
        case .int(let i): return .int(i)
        case .byte(let b): return .uint(b)
        case .json(.bool(let b)): return .bool(b)
        case .json(.int(let i)): return .int(i)
        case .json(.double(let d)): return .float(d)
        case .json(.string(let s)): return .string(s)
        default: return nil
        }
    }

    private static func compare(_ a: JSONPathValue, _ op: String, _ b: JSONPathValue) -> Result<Bool, JSONPathError> {
        switch op {
        case "<": return less(a, b)
        case ">": return lessEqual(a, b).map { !$0 }
        case "==": return equal(a, b)
        case "!=": return equal(a, b).map { !$0 }
        case "<=": return lessEqual(a, b)
        case ">=": return less(a, b).map { !$0 }
        default: return .failure(JSONPathError("unrecognized filter operator \(op)"))
        }
    }

    private static func equal(_ a: JSONPathValue, _ b: JSONPathValue) -> Result<Bool, JSONPathError> {
        guard let x = basic(a), let y = basic(b) else { return .failure(badType) }
        switch (x, y) {
        case (.bool(let p), .bool(let q)): return .success(p == q)
        case (.int(let p), .int(let q)): return .success(p == q)
        case (.uint(let p), .uint(let q)): return .success(p == q)
        case (.float(let p), .float(let q)): return .success(p == q)
        case (.string(let p), .string(let q)): return .success(p.utf8.elementsEqual(q.utf8))
        case (.int(let p), .uint(let q)): return .success(p >= 0 && p == Int(q))
        case (.uint(let p), .int(let q)): return .success(q >= 0 && Int(p) == q)
        default: return .failure(incompatible)
        }
    }

    private static func less(_ a: JSONPathValue, _ b: JSONPathValue) -> Result<Bool, JSONPathError> {
        guard let x = basic(a), let y = basic(b) else { return .failure(badType) }
        switch (x, y) {
        case (.bool, .bool): return .failure(badType)
        case (.int(let p), .int(let q)): return .success(p < q)
        case (.uint(let p), .uint(let q)): return .success(p < q)
        case (.float(let p), .float(let q)): return .success(p < q)
        case (.string(let p), .string(let q)): return .success(p.utf8Precedes(q))
        case (.int(let p), .uint(let q)): return .success(p < 0 || p < Int(q))
        case (.uint(let p), .int(let q)): return .success(q >= 0 && Int(p) < q)
        default: return .failure(incompatible)
        }
    }

    private static func lessEqual(_ a: JSONPathValue, _ b: JSONPathValue) -> Result<Bool, JSONPathError> {
        switch less(a, b) {
        case .failure(let e): return .failure(e)
        case .success(true): return .success(true)
        case .success(false): return equal(a, b)
        }
    }
}
