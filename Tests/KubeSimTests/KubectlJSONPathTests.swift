import XCTest
@testable import KubeSim

/// `kubectl get -o jsonpath=…`, `-o jsonpath-as-json=…` and `-o custom-columns=…`, as
/// kubectl prints them (client-go's jsonpath package, cli-runtime's JSONPath printer, kubectl's
/// custom-columns printer), and the JSONPath engine itself on upstream's own examples.
final class KubectlJSONPathTests: XCTestCase {
    /// `Cluster.withWebDeployment` on a given release (1.36 unless said).
    private func webCluster(_ version: KubernetesVersion = .v1_36) throws -> Cluster {
        try Cluster.withWebDeployment(version: version)
    }

    /// The web Deployment's pods, in the order `get pods` lists them.
    private func podNames(_ c: Cluster) -> [String] {
        c.kubectl(["get", "pods", "-o", "name"]).stdout.split(separator: "\n").map { String($0.dropFirst("pod/".count)) }
    }

    private func ok(_ r: KubectlResult, file: StaticString = #filePath, line: UInt = #line) -> String {
        XCTAssertEqual(r.exitCode, 0, r.stderr, file: file, line: line)
        XCTAssertEqual(r.stderr, "", file: file, line: line)
        return r.stdout
    }

    // MARK: kubectl get -o jsonpath

    func testItemNamesJoinedBySpacesWithNoNewline() throws {
        let c = try webCluster()
        let names = podNames(c)
        XCTAssertEqual(names.count, 2)
        let expected = names.joined(separator: " ")
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.items[*].metadata.name}"])), expected)
        // Every way of giving -o.
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o=jsonpath={.items[*].metadata.name}"])), expected)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "--output=jsonpath={.items[*].metadata.name}"])), expected)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "--output", "jsonpath={.items[*].metadata.name}"])), expected)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath", "--template={.items[*].metadata.name}"])), expected)
        // The command line as the C interface splits it: quotes group the template.
        let split = try ShellWords.split("get pods -o jsonpath='{.items[*].metadata.name}'").get()
        XCTAssertEqual(ok(c.kubectl(split)), expected)
        // Text outside the braces is printed as it is; `$` and `@` are the object itself.
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath=kind: {$.kind} {@.items[0].kind}"])), "kind: List Pod")
    }

    func testRangeWithEscapedNewlinesAndTabs() throws {
        let c = try webCluster()
        let names = podNames(c)
        let out = ok(c.kubectl(["get", "pods", "-o",
                                #"jsonpath={range .items[*]}{.metadata.name}{"\t"}{.status.phase}{"\n"}{end}"#]))
        XCTAssertEqual(out, names.map { "\($0)\tRunning\n" }.joined())
        // Single quotes work as double ones; text between the actions repeats with the body.
        let quoted = ok(c.kubectl(["get", "pods", "-o", "jsonpath={range .items[*]}[{.spec.containers[0].name}]{end}{'\\n'}"]))
        XCTAssertEqual(quoted, "[nginx][nginx]\n")
        // A range over nothing prints nothing; what follows its end still prints.
        let empty = ok(c.kubectl(["get", "pods", "-l", "app=none", "-o",
                                  #"jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}{.kind}"#]))
        XCTAssertEqual(empty, "List")
    }

    func testFilterOnPhase() throws {
        let c = try webCluster()
        let names = podNames(c)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", #"jsonpath={.items[?(@.status.phase=="Running")].metadata.name}"#])),
                       names.joined(separator: " "))
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", #"jsonpath={.items[?(@.status.phase!="Running")].metadata.name}"#])), "")
        // A filter without an operator keeps the elements where the path exists.
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.items[?(@.spec.nodeName)].metadata.name}"])),
                       names.joined(separator: " "))
        // Numbers compare as numbers (the API's integers against the template's).
        XCTAssertEqual(ok(c.kubectl(["get", "deploy", "-o", "jsonpath={.items[?(@.spec.replicas>=2)].metadata.name}"])), "web")
        XCTAssertEqual(ok(c.kubectl(["get", "deploy", "-o", "jsonpath={.items[?(@.spec.replicas<2)].metadata.name}"])), "")
        // A string against a number is upstream's comparison error.
        let mixed = c.kubectl(["get", "deploy", "-o", "jsonpath={.items[?(@.spec.replicas==\"2\")].metadata.name}"])
        XCTAssertEqual(mixed.exitCode, 1)
        XCTAssertTrue(mixed.stderr.hasPrefix(#"error: error executing jsonpath "{.items[?(@.spec.replicas==\"2\")].metadata.name}": "#
            + "Error executing template: incompatible types for comparison. Printing more information"), mixed.stderr)
    }

    func testOneObjectByName() throws {
        let c = try webCluster()
        let pod = try XCTUnwrap(podNames(c).first)
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod, "-o", "jsonpath={.spec.containers[0].image}"])), "nginx:1.15")
        XCTAssertEqual(ok(c.kubectl(["get", "pod/\(pod)", "-o", "jsonpath={.metadata.name}"])), pod)
        XCTAssertEqual(ok(c.kubectl(["get", "deploy", "web", "-o", "jsonpath={.spec.replicas} {.status.readyReplicas}"])), "2 2")
        // Two names are a List again.
        let both = podNames(c)
        XCTAssertEqual(ok(c.kubectl(["get", "pods"] + both + ["-o", "jsonpath={.kind} {.items[*].metadata.name}"])),
                       "List " + both.joined(separator: " "))
        // A missing name is the server's error alone.
        let missing = c.kubectl(["get", "pod", "nope", "-o", "jsonpath={.metadata.name"])
        XCTAssertEqual(missing.exitCode, 1)
        XCTAssertEqual(missing.stdout, "")
        XCTAssertEqual(missing.stderr, "Error from server (NotFound): pods \"nope\" not found\n")
        // Among several, the ones found print and the error follows.
        let some = c.kubectl(["get", "pods", both[0], "nope", "-o", "jsonpath={.items[*].metadata.name}"])
        XCTAssertEqual(some.exitCode, 1)
        XCTAssertEqual(some.stdout, both[0])
        XCTAssertEqual(some.stderr, "Error from server (NotFound): pods \"nope\" not found\n")
    }

    func testMapsAndListsPrintAsGoJSON() throws {
        let c = try webCluster()
        let pod = try XCTUnwrap(c.get("pods", try XCTUnwrap(podNames(c).first)))
        let hash = try XCTUnwrap(pod["metadata", "labels", "pod-template-hash"].string)
        // Keys sorted, compact, as json.Marshal writes a map[string]interface{}.
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod.name, "-o", "jsonpath={.metadata.labels}"])),
                       #"{"app":"web","pod-template-hash":"\#(hash)"}"#)
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod.name, "-o", "jsonpath={.spec.containers[*].name} {.metadata.ownerReferences[*].kind}"])),
                       "nginx ReplicaSet")
        let ports = ok(c.kubectl(["get", "deploy", "web", "-o", "jsonpath={.spec.selector}"]))
        XCTAssertEqual(ports, #"{"matchLabels":{"app":"web"}}"#)
        // Several maps from one expression are separated by spaces.
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].resources}"])), "{} {}")
        // Booleans and numbers print as Go prints them.
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod.name, "-o", "jsonpath={.status.containerStatuses[0].ready} {.status.containerStatuses[0].restartCount}"])),
                       "true 0")
    }

    func testMissingKeysPrintNothingUnlessDisallowed() throws {
        let c = try webCluster()
        let pod = try XCTUnwrap(podNames(c).first)
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod, "-o", "jsonpath={.status.nosuch}"])), "")
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod, "-o", "jsonpath=before-{.nosuch.deeper}-after"])), "before--after")
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.items[*].status.nosuch}"])), "")

        let strict = c.kubectl(["get", "pod", pod, "-o", "jsonpath={.status.nosuch}", "--allow-missing-template-keys=false"])
        XCTAssertEqual(strict.exitCode, 1)
        XCTAssertEqual(strict.stdout, "")
        XCTAssertTrue(strict.stderr.hasPrefix("""
            error: error executing jsonpath "{.status.nosuch}": Error executing template: nosuch is not found. \
            Printing more information for debugging the template:
            \ttemplate was:
            \t\t{.status.nosuch}
            \tobject given to jsonpath engine was:
            \t\tmap[string]interface {}{"apiVersion":"v1", "kind":"Pod", "metadata":map[string]interface {}{
            """), strict.stderr)
        XCTAssertTrue(strict.stderr.hasSuffix("}}\n\n\n"), strict.stderr)
    }

    /// An execution error prints the template and the object handed to the engine in Go
    /// syntax (`%#v`), here the List `get` wraps the pods in.
    func testExecutionErrorsPrintTheObjectInGoSyntax() throws {
        let c = try webCluster()
        let r = c.kubectl(["get", "pods", "-o", "jsonpath={.items[5].metadata.name}"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("""
            error: error executing jsonpath "{.items[5].metadata.name}": Error executing template: \
            array index out of bounds: index 5, length 2. Printing more information for debugging the template:
            \ttemplate was:
            \t\t{.items[5].metadata.name}
            \tobject given to jsonpath engine was:
            \t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{map[string]interface {}{"apiVersion":"v1", \
            "kind":"Pod", "metadata":map[string]interface {}{
            """), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix(#"}}}, "kind":"List", "metadata":map[string]interface {}{"resourceVersion":""}}"# + "\n\n\n"),
                      r.stderr)
        XCTAssertTrue(r.stderr.contains(#""restartCount":0, "#), r.stderr)

        let notArray = c.kubectl(["get", "pods", "-o", "jsonpath={.kind[0]}"])
        XCTAssertTrue(notArray.stderr.contains("Error executing template: string is not array or slice. Printing"), notArray.stderr)
        let end = c.kubectl(["get", "pods", "-o", "jsonpath={.kind}{end}"])
        XCTAssertTrue(end.stderr.contains("Error executing template: not in range, nothing to end. Printing"), end.stderr)
        let word = c.kubectl(["get", "pods", "-o", "jsonpath={hello}"])
        XCTAssertTrue(word.stderr.contains("Error executing template: unrecognized identifier hello. Printing"), word.stderr)
    }

    func testMalformedTemplates() throws {
        let c = try webCluster()
        func failure(_ args: [String]) -> String {
            let r = c.kubectl(args)
            XCTAssertEqual(r.exitCode, 1, r.stdout)
            XCTAssertEqual(r.stdout, "")
            return r.stderr
        }
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={.items[*].metadata.name"]),
                       "error: error parsing jsonpath {.items[*].metadata.name, unclosed action\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={.items[0}"]),
                       "error: error parsing jsonpath {.items[0}, unterminated array\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={*}"]),
                       "error: error parsing jsonpath {*}, unrecognized character in action: U+002A '*'\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={.items[?(@.a==1}"]),
                       "error: error parsing jsonpath {.items[?(@.a==1}, unterminated filter\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={.items[x]}"]),
                       "error: error parsing jsonpath {.items[x]}, invalid array index x\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={....name}"]),
                       "error: error parsing jsonpath {....name}, invalid multiple recursive descent\n")
        XCTAssertEqual(failure(["get", "pods", "-o", #"jsonpath={"abc}"#]),
                       #"error: error parsing jsonpath {"abc}, unterminated quoted string"# + "\n")
        XCTAssertEqual(failure(["get", "pods", "-o", #"jsonpath={"\q"}"#]),
                       #"error: error parsing jsonpath {"\q"}, unquote string "\q" error invalid syntax"# + "\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath={+1.2.3}"]),
                       "error: error parsing jsonpath {+1.2.3}, cannot parse number +1.2.3\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath="]), "error: template format specified but no template given\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "jsonpath"]), "error: template format specified but no template given\n")
        XCTAssertEqual(failure(["get", "pods", "-o", "yamlpath={.a}"]),
                       "error: unable to match a printer suitable for the output format \"yamlpath={.a}\", allowed formats are: "
                       + "custom-columns,json,jsonpath,jsonpath-as-json,name,wide,yaml\n")
    }

    func testJSONPathAsJSON() throws {
        let c = try webCluster()
        let names = podNames(c)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath-as-json={.items[*].metadata.name}"])),
                       "[\n" + names.map { "    \"\($0)\"" }.joined(separator: ",\n") + "\n]\n")
        XCTAssertEqual(ok(c.kubectl(["get", "deploy", "web", "-o", "jsonpath-as-json={.spec.selector}{.nosuch}"])),
                       "[\n    {\n        \"matchLabels\": {\n            \"app\": \"web\"\n        }\n    }\n]\n[]\n")
    }

    /// With `-w`, each object is printed by itself (no List), all through one tabwriter.
    func testWatchPrintsEachObjectByItself() throws {
        let c = try webCluster()
        let names = podNames(c)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-w", "-o", #"jsonpath={.metadata.name}{"\n"}"#])),
                       names.map { $0 + "\n" }.joined())
        let width = max(4, names.map(\.count).max() ?? 0) + 3
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-w", "-o", "custom-columns=NAME:.metadata.name,PHASE:.status.phase"])),
                       cell("NAME", width) + "PHASE\n" + names.map { cell($0, width) + "Running\n" }.joined())
        let bad = c.kubectl(["get", "pods", "-w", "-o", "jsonpath={.spec.containers[2]}"])
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertTrue(bad.stderr.hasPrefix("error: unable to output the provided object: error executing jsonpath "
            + #""{.spec.containers[2]}": Error executing template: array index out of bounds: index 2, length 1."#), bad.stderr)
    }

    // MARK: kubectl get -o custom-columns

    /// `s` padded to `width` as kubectl's tabwriter pads a cell.
    private func cell(_ s: String, _ width: Int) -> String { s + String(repeating: " ", count: width - s.count) }

    func testCustomColumns() throws {
        let c = try webCluster()
        let names = podNames(c)
        let nodes = try names.map { try XCTUnwrap(c.get("pods", $0)?["spec", "nodeName"].string) }
        let out = ok(c.kubectl(["get", "pods", "-o",
                                "custom-columns=NAME:.metadata.name,IMAGE:spec.containers[*].image,NODE:{.spec.nodeName},PORTS:.spec.containers[0].ports"]))
        let nameWidth = max(4, names.map(\.count).max() ?? 0) + 3
        let nodeWidth = max(4, nodes.map(\.count).max() ?? 0) + 3
        var expected = cell("NAME", nameWidth) + cell("IMAGE", 13) + cell("NODE", nodeWidth) + "PORTS\n"
        for (name, node) in zip(names, nodes) {
            expected += cell(name, nameWidth) + cell("nginx:1.15", 13) + cell(node, nodeWidth) + "<none>\n"
        }
        XCTAssertEqual(out, expected)

        // --no-headers drops the header line; widths come from the rows alone.
        let bare = ok(c.kubectl(["get", "pods", "--no-headers", "-o", "custom-columns=NAME:.metadata.name,PHASE:.status.phase"]))
        XCTAssertEqual(bare, names.map { cell($0, nameWidth) + "Running\n" }.joined())

        // Maps and lists in a cell print as Go's fmt prints them; several values join with
        // commas. A single column is not padded.
        let deploy = ok(c.kubectl(["get", "deploy", "web", "-o",
                                   "custom-columns=SELECTOR:.spec.selector.matchLabels,REPLICAS:.spec.replicas,C:.spec.template.spec.containers[*].name"]))
        XCTAssertEqual(deploy, "SELECTOR       REPLICAS   C\nmap[app:web]   2          nginx\n")
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "custom-columns=N:.metadata.name"])),
                       "N\n" + names.map { $0 + "\n" }.joined())
        // Nothing found still prints the header (kubectl says no "No resources found" here).
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-l", "app=none", "-o", "custom-columns=NAME:.metadata.name,X:.x"])),
                       "NAME   X\n")
    }

    func testMalformedCustomColumns() throws {
        let c = try webCluster()
        func failure(_ spec: String) -> KubectlResult {
            let r = c.kubectl(["get", "pods", "-o", "custom-columns=" + spec])
            XCTAssertEqual(r.exitCode, 1, r.stdout)
            return r
        }
        XCTAssertEqual(failure("NAME").stderr,
                       "error: unexpected custom-columns spec: NAME, expected <header>:<json-path-expr>\n")
        XCTAssertEqual(failure("NAME:.metadata.name,STATUS").stderr,
                       "error: unexpected custom-columns spec: STATUS, expected <header>:<json-path-expr>\n")
        XCTAssertEqual(failure("").stderr, "error: custom-columns format specified but no custom columns given\n")
        XCTAssertEqual(failure("NAME:{.a}{.b}").stderr,
                       "error: unexpected path string, expected a 'name1.name2' or '.name1.name2' or '{name1.name2}' or '{.name1.name2}'\n")
        // A column that does not parse fails once the header is written.
        let bad = failure("NAME:.metadata.name[")
        XCTAssertEqual(bad.stdout, "NAME\n")
        XCTAssertEqual(bad.stderr, "error: unterminated array\n")
        // One that fails on an object stops the table there.
        let run = failure("NAME:.metadata.name,C:.spec.containers[3]")
        XCTAssertEqual(run.stdout, "NAME   C\n")
        XCTAssertEqual(run.stderr, "error: array index out of bounds: index 3, length 1\n")
    }

    // MARK: kubectl 1.18 (client-go v0.18)

    private func run18(_ template: String, _ data: JSON?, allowMissing: Bool = false) -> Result<String, JSONPathError> {
        JSONPath.parse(template, version: .v1_18).flatMap { p in
            p.allowMissingKeys = allowMissing
            return p.execute(.json(data ?? .null))
        }
    }

    /// v0.18's `PrintResults` prints every value through `fmt` (`evalToText`): maps as
    /// `map[k:v]` (keys sorted), arrays as `[a b]`, a nil as `<nil>`; 1.36 prints JSON and `null`.
    func testV118PrintsValuesAsGoFmt() throws {
        let data = try JSON.parse(#"{"a": {"b": [1, "x", true, null, 1.5e6, {"c": []}]}, "n": null, "f": 2.5, "t": false}"#)
        XCTAssertEqual(run18("{.a}", data), .success("map[b:[1 x true <nil> 1.5e+06 map[c:[]]]]"))
        XCTAssertEqual(run("{.a}", data), .success(#"{"b":[1,"x",true,null,1500000,{"c":[]}]}"#))
        XCTAssertEqual(run18("{.n} {.a.b[3]}", data), .success("<nil> <nil>"))
        XCTAssertEqual(run("{.n} {.a.b[3]}", data), .success("null null"))
        XCTAssertEqual(run18("{.f} {.t} {.a.b[0]} {.a.b[1]} {.a.b[4]}", data), .success("2.5 false 1 x 1.5e+06"))
        XCTAssertEqual(run18("{.a.b[5].c}", data), .success("[]"))
        // v0.18's own examples.
        let nodes = try XCTUnwrap(nodesData)
        XCTAssertEqual(run18("{.items[*]['metadata.name', 'status.capacity']}", nodes),
                       .success("127.0.0.1 127.0.0.2 map[cpu:4] map[cpu:8]"))
        XCTAssertEqual(run18("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", nodes),
                       .success("[127.0.0.1, map[cpu:4]] [127.0.0.2, map[cpu:8]] "))
        XCTAssertEqual(run18("{..}", try JSON.parse("[1, 2, 3]")), .success("[1 2 3]"))

        // Through kubectl.
        let c = try webCluster(.v1_18)
        let pod = try XCTUnwrap(c.get("pods", try XCTUnwrap(podNames(c).first)))
        let hash = try XCTUnwrap(pod["metadata", "labels", "pod-template-hash"].string)
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod.name, "-o", "jsonpath={.metadata.labels}"])),
                       "map[app:web pod-template-hash:\(hash)]")
        XCTAssertEqual(ok(c.kubectl(["get", "deploy", "web", "-o", "jsonpath={.spec.selector}"])), "map[matchLabels:map[app:web]]")
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.items[*].spec.containers[0].resources}"])), "map[] map[]")
        XCTAssertEqual(ok(c.kubectl(["get", "deploy", "web", "-o", "jsonpath={.spec.template.spec.containers[*].name}"])), "nginx")
        XCTAssertEqual(ok(c.kubectl(["get", "pod", pod.name, "-o", "jsonpath={.status.containerStatuses[0].ready} {.status.containerStatuses[0].restartCount}"])),
                       "true 0")
    }

    /// `-o jsonpath-as-json` came with kubectl 1.19: on 1.18 no printer takes it.
    func testV118HasNoJSONPathAsJSON() throws {
        let c = try webCluster(.v1_18)
        let r = c.kubectl(["get", "pods", "-o", "jsonpath-as-json={.items[*].metadata.name}"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "error: unable to match a printer suitable for the output format "
            + "\"jsonpath-as-json={.items[*].metadata.name}\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml\n")
        let t = c.kubectl(["get", "pods", "-o", "jsonpath-as-json", "--template={.kind}"])
        XCTAssertEqual(t.exitCode, 1)
        XCTAssertEqual(t.stderr, "error: unable to match a printer suitable for the output format "
            + "\"jsonpath-as-json\", allowed formats are: custom-columns,json,jsonpath,name,wide,yaml\n")
        // `-o jsonpath` itself, with --template too, is as on 1.36.
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath", "--template={.kind}"])), "List")
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.kind}"])), "List")
    }

    /// v0.18's ranges: the template after a range runs within the range's last item, on the
    /// scope its `end` pops; a range over nothing ends the output; text after an inner `end`
    /// prints only in the outer range's last item.
    func testV118RangeSemantics() throws {
        let nodes = try XCTUnwrap(nodesData)
        // v0.18's own examples print as 1.36 does.
        XCTAssertEqual(run18("{range .items[*]}{.metadata.name}, {end}{.kind}", nodes), .success("127.0.0.1, 127.0.0.2, List"))
        XCTAssertEqual(run18(#"{range .items[*]}{.metadata.name}{"\t"}{end}"#, nodes), .success("127.0.0.1\t127.0.0.2\t"))
        XCTAssertEqual(run18("{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", nodes),
                       .success("127.0.0.1, 127.0.0.2, 127.0.0.3, "))
        XCTAssertEqual(run18("{range .users[*]}{@}{end}{end}", nodes), .failure(JSONPathError("not in range, nothing to end")))
        XCTAssertEqual(run18("{.kind}{end}", nodes), .failure(JSONPathError("not in range, nothing to end")))
        // A range over nothing: nothing after it prints (1.36 carries on after its end).
        XCTAssertEqual(run18("a{range .nosuch[*]}{.x}{end}b{.kind}", nodes, allowMissing: true), .success("a"))
        XCTAssertEqual(run("a{range .nosuch[*]}{.x}{end}b{.kind}", nodes, allowMissing: true), .success("abList"))
        XCTAssertEqual(run18("{range .items[0:0]}{.x}{end}{.kind}", nodes), .success(""))
        // Text after an inner end prints in the last outer item only; the outer end then pops
        // the scope the inner range pushed in the item before, where `.kind` is "None".
        let nested = "{range .items[*]}[{range .status.addresses[*]}{.address} {end}]{end}{.kind}"
        XCTAssertEqual(run18(nested, nodes), .success("[127.0.0.1 [127.0.0.2 127.0.0.3 ]None"))
        XCTAssertEqual(run(nested, nodes), .success("[127.0.0.1 ][127.0.0.2 127.0.0.3 ]List"))
        let data = try JSON.parse("""
            {"items": [
              {"metadata": {"name": "pod1"}, "spec": {"containers": [{"name": "foo"}, {"name": "bar"}]}},
              {"metadata": {"name": "pod2"}, "spec": {"containers": [{"name": "baz"}]}}]}
            """)
        XCTAssertEqual(run18(#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#, data),
                       .success("pod1:foo,bar,pod2:baz,+"))

        // Through kubectl: no pods, so nothing after the range.
        let c = try webCluster(.v1_18)
        let names = podNames(c)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-l", "app=none", "-o",
                                     #"jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}{.kind}"#])), "")
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", #"jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}{.kind}"#])),
                       names.map { $0 + "\n" }.joined() + "List")
        let c36 = try webCluster()
        XCTAssertEqual(ok(c36.kubectl(["get", "pods", "-l", "app=none", "-o",
                                       #"jsonpath={range .items[*]}{.metadata.name}{"\n"}{end}{.kind}"#])), "List")
    }

    /// `invalid multiple recursive descent` came with client-go v0.19: v0.18 runs `....` as
    /// two `..` in a row.
    func testV118AllowsRepeatedRecursiveDescent() throws {
        let data = try JSON.parse(#"{"a": {"name": "x"}}"#)
        XCTAssertEqual(run18("{....name}", data), .success("x x"))
        XCTAssertEqual(run("{....name}", data), .failure(JSONPathError("invalid multiple recursive descent")))
        let c = try webCluster(.v1_18)
        let pod = try XCTUnwrap(podNames(c).first)
        let r = c.kubectl(["get", "pod", pod, "-o", "jsonpath={....name}"])
        XCTAssertEqual(r.exitCode, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains(pod), r.stdout)
        // Other parse errors are worded as on 1.36.
        let bad = c.kubectl(["get", "pods", "-o", "jsonpath={.items[0}"])
        XCTAssertEqual(bad.exitCode, 1)
        XCTAssertEqual(bad.stderr, "error: error parsing jsonpath {.items[0}, unterminated array\n")
        XCTAssertEqual(c.kubectl(["get", "pods", "-o", "jsonpath="]).stderr, "error: template format specified but no template given\n")
    }

    /// The execution error's debug dump on 1.18: the List `printGeneric` builds carries an
    /// empty `selfLink` too.
    func testV118ExecutionErrorDump() throws {
        let c = try webCluster(.v1_18)
        let r = c.kubectl(["get", "pods", "-o", "jsonpath={.items[5].metadata.name}"])
        XCTAssertEqual(r.exitCode, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.hasPrefix("""
            error: error executing jsonpath "{.items[5].metadata.name}": Error executing template: \
            array index out of bounds: index 5, length 2. Printing more information for debugging the template:
            \ttemplate was:
            \t\t{.items[5].metadata.name}
            \tobject given to jsonpath engine was:
            \t\tmap[string]interface {}{"apiVersion":"v1", "items":[]interface {}{map[string]interface {}{"apiVersion":"v1", \
            "kind":"Pod", "metadata":map[string]interface {}{
            """), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix(#"}}}, "kind":"List", "metadata":map[string]interface {}{"resourceVersion":"", "selfLink":""}}"#
            + "\n\n\n"), r.stderr)
        XCTAssertEqual(ok(c.kubectl(["get", "pods", "-o", "jsonpath={.metadata}"])), "map[resourceVersion: selfLink:]")
        XCTAssertEqual(ok(try webCluster().kubectl(["get", "pods", "-o", "jsonpath={.metadata}"])), #"{"resourceVersion":""}"#)
    }

    /// 1.18's custom-columns prints a value with `fmt.Sprintf("%v", …)` and no escaping of
    /// terminal controls; headers, `<none>`, commas and maps are as on 1.36.
    func testV118CustomColumns() throws {
        let note = "a\u{1B}[31mb\rc"
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = try webCluster(version)
            let annotated = c.kubectl(["annotate", "deploy", "web", "note=\(note)"])
            XCTAssertEqual(annotated.exitCode, 0, annotated.stderr)
            let out = ok(c.kubectl(["get", "deploy", "web", "-o",
                                    "custom-columns=NOTE:.metadata.annotations.note,SELECTOR:.spec.selector.matchLabels,X:.x"]))
            let cellText = version == .v1_18 ? note : "a^[[31mb\\rc"
            let width = max(4, cellText.unicodeScalars.count) + 3
            XCTAssertEqual(out, cell("NOTE", width) + "SELECTOR       X\n" + cell(cellText, width) + "map[app:web]   <none>\n",
                           "\(version)")
            let names = podNames(c)
            XCTAssertEqual(ok(c.kubectl(["get", "pods", "--no-headers", "-o", "custom-columns=N:.metadata.name,C:.spec.containers[*].name"])),
                           names.map { cell($0, (names.map(\.count).max() ?? 0) + 3) + "nginx\n" }.joined())
        }
        // A 1.18 column runs on v0.18's engine.
        let c = try webCluster(.v1_18)
        let pod = try XCTUnwrap(podNames(c).first)
        XCTAssertTrue(ok(c.kubectl(["get", "pod", pod, "-o", "custom-columns=N:....name"])).contains(pod))
        XCTAssertEqual(c.kubectl(["get", "pod", pod, "-o", "custom-columns=N:....name"]).exitCode, 0)
    }

    // MARK: The engine, on upstream's examples

    private let nodesData = try? JSON.parse("""
        {"kind": "List",
         "items": [
           {"kind": "None", "metadata": {"name": "127.0.0.1", "labels": {"kubernetes.io/hostname": "127.0.0.1"}},
            "status": {"capacity": {"cpu": "4"}, "ready": true,
                       "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.1"}]}},
           {"kind": "None", "metadata": {"name": "127.0.0.2", "labels": {"kubernetes.io/hostname": "127.0.0.2"}},
            "status": {"capacity": {"cpu": "8"}, "ready": false,
                       "addresses": [{"type": "LegacyHostIP", "address": "127.0.0.2"},
                                     {"type": "another", "address": "127.0.0.3"}]}}],
         "users": [{"name": "myself", "user": {}},
                   {"name": "e2e", "user": {"username": "admin", "password": "secret"}}]}
        """)

    private func run(_ template: String, _ data: JSON?, allowMissing: Bool = false) -> Result<String, JSONPathError> {
        JSONPath.parse(template).flatMap { p in
            p.allowMissingKeys = allowMissing
            return p.execute(.json(data ?? .null))
        }
    }

    func testUpstreamKubernetesExamples() throws {
        let cases: [(String, String)] = [
            ("{range .items[*]}{.metadata.name}, {end}{.kind}", "127.0.0.1, 127.0.0.2, List"),
            (#"{range .items[*]}{.metadata.name}{"\t"}{end}"#, "127.0.0.1\t127.0.0.2\t"),
            ("{.items[*].status.addresses[*].address}", "127.0.0.1 127.0.0.2 127.0.0.3"),
            ("{range .items[*]}{range .status.addresses[*]}{.address}, {end}{end}", "127.0.0.1, 127.0.0.2, 127.0.0.3, "),
            ("{.items[*].metadata.name}", "127.0.0.1 127.0.0.2"),
            ("{.items[*]['metadata.name', 'status.capacity']}", #"127.0.0.1 127.0.0.2 {"cpu":"4"} {"cpu":"8"}"#),
            ("{range .items[*]}[{.metadata.name}, {.status.capacity}] {end}", #"[127.0.0.1, {"cpu":"4"}] [127.0.0.2, {"cpu":"8"}] "#),
            (#"{.users[?(@.name=="e2e")].user.password}"#, "secret"),
            (#"{.items[0].metadata.labels.kubernetes\.io/hostname}"#, "127.0.0.1"),
            (#"{.items[?(@.metadata.labels.kubernetes\.io/hostname=="127.0.0.1")].kind}"#, "None"),
            ("{.items[?(@..ready==true)].metadata.name}", "127.0.0.1"),
            // Map members in key order, where Go's is random.
            ("{..name}", "127.0.0.1 127.0.0.2 myself e2e"),
            ("{.items[-1:].metadata.name}", "127.0.0.2"),
            ("{.items[0:1].metadata.name}", "127.0.0.1"),
            ("{.items[0,1].kind}", "None None"),
            ("{.users[*]['name']}", "myself e2e"),
            ("{.items[1].status.addresses[::2].type}", "LegacyHostIP"),
            ("{.items[1].status.addresses[1:].type}", "another"),
            ("{.items[1:1]}", ""),
            ("{.users[1].user.*}", "secret admin"),
        ]
        for (template, expected) in cases {
            XCTAssertEqual(run(template, nodesData), .success(expected), template)
        }
    }

    func testUpstreamSliceAndTypeExamples() throws {
        let types = try JSON.parse("""
            {"bools": [true, false, true, false], "integers": [1, 2, 3, 4], "floats": [1.0, 2.2, 3.3, 4.0],
             "strings": ["one", "two", "three", "four"], "interfaces": [true, "one", 1, 1.1],
             "maps": [{"name": "one", "value": 1}, {"name": "two", "value": 2.02}]}
            """)
        let cases: [(String, String)] = [
            ("{ .bools }", "[true,false,true,false]"),
            ("{ .bools[-1] }", "false"),
            ("{ .bools[:4:2] }", "true true"),
            ("{ .integers[-2] }", "3"),
            ("{ .integers[0:2] }", "1 2"),
            ("{ .floats }", "[1,2.2,3.3,4]"),
            ("{ .floats[:4:2] }", "1 3.3"),
            ("{ .strings }", #"["one","two","three","four"]"#),
            ("{ .strings[:2] }", "one two"),
            ("{ .interfaces }", #"[true,"one",1,1.1]"#),
            ("{ .interfaces[:4:2] }", "true 1"),
            ("{ .maps[1] }", #"{"name":"two","value":2.02}"#),
            (#"{"{"}"#, "{"),
            ("hello jsonpath", "hello jsonpath"),
            ("{.integers[?(@>2)]}", "3 4"),
            ("{.floats[?(@>2.5)]}", "3.3 4"),
            (#"{.maps[?(@.name=="two")].value}"#, "2.02"),
            ("{.bools[?(@==false)]}", "false false"),
        ]
        for (template, expected) in cases {
            XCTAssertEqual(run(template, types), .success(expected), template)
        }
        XCTAssertEqual(run("{[?(@<5)]}", try JSON.parse("[2, 6, 3, 7]")), .success("2 3"))
        XCTAssertEqual(run("{[1,3,4]}", try JSON.parse("[0, 1, 2, 3, 4]")), .success("1 3 4"))
        XCTAssertEqual(run("{..}", try JSON.parse("[1, 2, 3]")), .success("[1,2,3]"))
        XCTAssertEqual(run("{[?(@.z)].id}", try JSON.parse(#"[{"id": "i1"}, {"id": "i2", "z": 1}, {"id": "i5", "z": 1}]"#)),
                       .success("i2 i5"))
        XCTAssertEqual(run("{[-1]['x']}", try JSON.parse(#"[{"x": 1}, {"x": null}]"#)), .success("null"))
        XCTAssertEqual(run("{range .items[*]}{.metadata.name}{\":\"}{range @.spec.containers[*]}{.name}{\",\"}{end}{\"+\"}{end}",
                           try JSON.parse(#"{"items": []}"#), allowMissing: true), .success(""))
        // The upstream failures, allowing no missing keys.
        XCTAssertEqual(run("{hello}", types), .failure(JSONPathError("unrecognized identifier hello")))
        XCTAssertEqual(run("{.hello}", types), .failure(JSONPathError("hello is not found")))
        XCTAssertEqual(run("{.maps[0][0]}", types), .failure(JSONPathError("map[string]interface {} is not array or slice")))
        XCTAssertEqual(run("{.maps[?(@.value<>10)]}", types), .failure(JSONPathError("unrecognized filter operator <>")))
        XCTAssertEqual(run("{range .maps[*]}{@}{end}{end}", types), .failure(JSONPathError("not in range, nothing to end")))
        XCTAssertEqual(run("{.strings[?(@.x)]}", try JSON.parse(#"{"strings": {"a": 1}}"#)),
                       .failure(JSONPathError("map[a:1] is not array or slice and cannot be filtered")))
        XCTAssertEqual(run("{.integers[9]}", types), .failure(JSONPathError("array index out of bounds: index 9, length 4")))
        XCTAssertEqual(run("{.integers[2:1]}", types), .failure(JSONPathError("starting index 2 is greater than ending index 1")))
        XCTAssertEqual(run("{.integers[::0]}", types), .failure(JSONPathError("step must be > 0")))
        // Integers and floats do not compare (the API's numbers are int64 or float64).
        XCTAssertEqual(run("{.maps[?(@.value>2)].name}", types), .failure(JSONPathError("incompatible types for comparison")))
        XCTAssertEqual(run("{.bools[?(@<true)]}", types), .failure(JSONPathError("invalid type for comparison")))
    }

    func testUpstreamNestedRanges() throws {
        let data = try JSON.parse("""
            {"items": [
              {"metadata": {"name": "pod1"}, "spec": {"containers": [
                {"name": "foo", "another": [{"name": "value1"}, {"name": "value2"}]},
                {"name": "bar", "another": [{"name": "value1"}, {"name": "value2"}]}]}},
              {"metadata": {"name": "pod2"}, "spec": {"containers": [
                {"name": "baz", "another": [{"name": "value1"}, {"name": "value2"}]}]}}]}
            """)
        XCTAssertEqual(run(#"{range .items[*]}{.metadata.name}{":"}{range @.spec.containers[*]}{.name}{","}{end}{"+"}{end}"#, data),
                       .success("pod1:foo,bar,+pod2:baz,+"))
        XCTAssertEqual(run(#"{range .items[*]}{.metadata.name}{"~"}{range @.spec.containers[*]}{.name}{":"}"#
                + ##"{range @.another[*]}{.name}{","}{end}{"+"}{end}{"#"}{end}"##, data),
            .success("pod1~foo:value1,value2,+bar:value1,value2,+#pod2~baz:value1,value2,+#"))
        XCTAssertEqual(run(#"{range .items[*]}{.metadata.name}{"\t"}{range @.spec.containers[*]}{.name}{" "}{end}{"\t"}"#
                + #"{range @.spec.containers[*]}{.name}{" "}{end}{"\n"}{end}"#, data),
            .success("pod1\tfoo bar \tfoo bar \npod2\tbaz \tbaz \n"))
    }

    func testGoFormatting() throws {
        let value = try JSON.parse(#"{"b": {}, "a": [1, 2.5, "x\"y", true, null, 1e21, 1e-7, 1000000.0, 0.000012], "c": "<&>"}"#)
        XCTAssertEqual(GoFormat.goSyntax(value), #"map[string]interface {}{"a":[]interface {}{1, 2.5, "x\"y", true, interface {}(nil), 1e+21, 1e-07, 1e+06, 1.2e-05}, "b":map[string]interface {}{}, "c":"<&>"}"#)
        XCTAssertEqual(GoFormat.plain(value), #"map[a:[1 2.5 x"y true <nil> 1e+21 1e-07 1e+06 1.2e-05] b:map[] c:<&>]"#)
        XCTAssertEqual(GoFormat.json(value), #"{"a":[1,2.5,"x\"y",true,null,1e+21,1e-7,1000000,0.000012],"b":{},"c":"\u003c\u0026\u003e"}"#)
        XCTAssertEqual(GoValue.goQuote("tab\there\u{7f}é\u{200b}"), #""tab\there\x7fé\u200b""#)
        XCTAssertEqual(GoFormat.formatFloatV(123456), "123456")
        XCTAssertEqual(GoFormat.formatFloatV(1234567), "1.234567e+06")
        XCTAssertEqual(GoFormat.formatFloatV(0.0001), "0.0001")
        XCTAssertEqual(GoFormat.formatFloatV(-0.0), "-0")
        XCTAssertEqual(GoFormat.formatFloatJSON(1e20), "100000000000000000000")
    }

    /// `.*` and `..` over a string walk its bytes: a string longer than the work budget left
    /// fails the run before its bytes are built.
    func testLongStringsAreCheckedAgainstTheBudget() throws {
        XCTAssertEqual(run("{.s.*}", ["s": "xy"]), .success("120 121"))
        XCTAssertEqual(run18("{.s.*}", ["s": "xy"]), .success("120 121"))
        let long: JSON = ["s": .string(String(repeating: "x", count: JSONPath.workLimit + 1))]
        let tooMuch = JSONPathError("template produced more than \(JSONPath.workLimit) values")
        XCTAssertEqual(run("{.s.*}", long), .failure(tooMuch))
        XCTAssertEqual(run("{..}", long), .failure(tooMuch))
        XCTAssertEqual(run("{.s..}", long), .failure(tooMuch))
        let half: JSON = ["a": .string(String(repeating: "x", count: JSONPath.workLimit / 2 + 1)),
                          "b": .string(String(repeating: "y", count: JSONPath.workLimit / 2 + 1))]
        XCTAssertEqual(run("{.*.*}", half), .failure(tooMuch))
    }

    /// Hostile templates fail (or print) without crashing or running away.
    func testHostileTemplatesAreBounded() throws {
        let data = try XCTUnwrap(nodesData)
        for template in ["{", "}", "{[", "{[?(", "{..", "{'", "{\"\\", "{.a\\", "{[-]}", "{[9223372036854775807]}",
                         "{[-9223372036854775808:]}", "{[:-9223372036854775808]}", "{.items[9223372036854775807:1]}",
                         "{.items[::9223372036854775807]}", "{[,]}", "{['']}", "{[?(@)]}", "{[?()]}", "{[?(@==)]}",
                         "{range}{range}", "{end}", "{@.*.*.*.*}", "{\t}", "{\"\\x80\"}", "{99999999999999999999999}",
                         "{" + String(repeating: "[?(", count: 200), String(repeating: "{range @}", count: 200)]
        {
            _ = run(template, data)
            _ = run(template, data, allowMissing: true)
        }
        // A filter ends at its first `)`: what looks nested is unterminated.
        let deep = "{" + String(repeating: "[?(@", count: 100) + String(repeating: ")]", count: 100) + "}"
        XCTAssertEqual(run(deep, data), .failure(JSONPathError("unterminated filter")))
        // Work that multiplies is cut off rather than run (or held in memory) to the end.
        let nested = try JSON.parse("[[[[[[[1]]]]]]]")
        let tenfold = "{" + String(repeating: "[0,0,0,0,0,0,0,0,0,0]", count: 7) + "}"
        XCTAssertEqual(run(tenfold, nested), .failure(JSONPathError("template produced more than 2000000 values")))
        let ranges = String(repeating: "{range ..}", count: 200) + "x"
        if case .success = run(ranges, data) { XCTFail("200 nested ranges over .. ran to the end") }
        // A long template is no deep recursion.
        XCTAssertEqual(run(String(repeating: "{.a}", count: 20000), data, allowMissing: true), .success(""))
    }
}
