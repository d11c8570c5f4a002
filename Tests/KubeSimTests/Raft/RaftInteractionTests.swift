import Foundation
import XCTest
@testable import KubeSim

/// Runs the golden transcripts in `testdata/*.txt` (the format of etcd-io/raft's datadriven
/// `testdata`): `#` comment lines, then blocks of
///
///     command arg key=value
///     ----
///     expected output
///
/// separated by blank lines. `KUBESIM_REWRITE_RAFT_GOLDENS=1` rewrites the expected output;
/// commit a rewritten file only after reading every changed line and agreeing that it is what
/// Raft must do.
final class RaftInteractionTests: XCTestCase {
    static let testdata = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("testdata")

    func testGoldenTranscripts() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.testdata.path)
            .filter { $0.hasSuffix(".txt") }
            .sorted()
        XCTAssertFalse(files.isEmpty, "no testdata found at \(Self.testdata.path)")
        let rewrite = ProcessInfo.processInfo.environment["KUBESIM_REWRITE_RAFT_GOLDENS"] == "1"
        for file in files {
            let url = Self.testdata.appendingPathComponent(file)
            let text = try String(contentsOf: url, encoding: .utf8)
            let (rewritten, failures) = Self.run(text)
            for f in failures {
                XCTFail("\(file):\(f.line): \(f.command)\n--- expected\n\(f.expected)\n--- actual\n\(f.actual)")
            }
            if rewrite && rewritten != text {
                try rewritten.write(to: url, atomically: true, encoding: .utf8)
            }
        }
    }

    struct Failure {
        var line: Int
        var command: String
        var expected: String
        var actual: String
    }

    /// Runs a transcript; returns it with every output replaced by the actual one, and the
    /// blocks whose output differed.
    static func run(_ text: String) -> (String, [Failure]) {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let env = InteractionEnv()
        var out: [String] = []
        var failures: [Failure] = []
        var k = 0
        while k < lines.count {
            let line = lines[k]
            if line.isEmpty || line.hasPrefix("#") {
                out.append(line)
                k += 1
                continue
            }
            let commandLine = k + 1
            k += 1
            var expected: [String] = []
            if k < lines.count && lines[k] == "----" {
                k += 1
                while k < lines.count && !lines[k].isEmpty {
                    expected.append(lines[k])
                    k += 1
                }
            }
            let actual = env.handle(parse(line, line: commandLine))
            let expectedText = expected.joined(separator: "\n")
            if actual != expectedText {
                failures.append(Failure(line: commandLine, command: line, expected: expectedText, actual: actual))
            }
            out.append(line)
            out.append("----")
            out.append(actual)
        }
        return (out.joined(separator: "\n"), failures)
    }

    static func parse(_ line: String, line number: Int) -> InteractionEnv.Command {
        let words = line.split(separator: " ").map(String.init)
        var cmd = InteractionEnv.Command(name: words.first ?? "", line: number)
        for w in words.dropFirst() {
            if let eq = w.firstIndex(of: "=") {
                cmd.options[String(w[..<eq])] = String(w[w.index(after: eq)...])
            } else {
                cmd.positional.append(w)
            }
        }
        return cmd
    }
}
