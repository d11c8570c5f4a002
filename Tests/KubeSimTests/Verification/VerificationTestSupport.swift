@testable import KubeSim

/// Builders for hand-written histories: times in milliseconds, values as short strings.
enum H {
    static func ms(_ t: Int64) -> Int64 { t * 1_000_000 }

    static func op(_ client: Int, _ call: Int64, _ ret: Int64?, _ request: KVRequest, _ response: KVResponse?) -> HistoryOperation {
        guard let ret, let response else {
            return HistoryOperation(clientID: client, request: request, call: ms(call), completion: nil)
        }
        return HistoryOperation(clientID: client, request: request, call: ms(call), returned: ms(ret), response: response)
    }

    static func kv(_ key: String, _ value: String, create: Int64, mod: Int64, version: Int64) -> ObservedKeyValue {
        ObservedKeyValue(key: key, value: value, createRevision: create, modRevision: mod, version: version)
    }
}

/// Generates histories from the sequential model with random overlapping timing, so every
/// generated history is linearizable by construction: each operation takes effect at a
/// random point between its call and its return, in the order of those points.
struct HistoryGenerator {
    var clients = 6
    var operations = 200
    var keys = 4
    /// Chance that an operation times out (its response is lost); half of those never apply.
    var indeterminateRate = 0.05
    /// Longest gap between a client's operations, and longest half-duration of one.
    var gapNanosMax: Int64 = 2_000_000
    var spanNanosMax: Int64 = 5_000_000

    struct Planned {
        var client: Int
        var call: Int64
        var point: Int64
        var ret: Int64
        var indeterminate: Bool
        var applies: Bool
    }

    static func key(_ k: Int) -> String { "/registry/pods/default/p\(k)" }

    /// Plans call, linearization point and return for every operation; each client is sequential.
    func plan(_ rng: inout SeededRandom) -> [Planned] {
        var clock = (0..<clients).map { _ in Int64(rng.int(below: 1_000_000)) }
        var clientIDs = Array(0..<clients)
        var nextClientID = clients
        var planned: [Planned] = []
        for n in 0..<operations {
            let c = n % clients
            let call = clock[c] + Int64(rng.int(below: Int(gapNanosMax)))
            let point = call + Int64(rng.int(below: Int(spanNanosMax)))
            let ret = point + Int64(rng.int(below: Int(spanNanosMax)))
            let indeterminate = rng.unit() < indeterminateRate
            planned.append(Planned(client: clientIDs[c], call: call, point: point, ret: ret,
                                   indeterminate: indeterminate, applies: !indeterminate || rng.int(below: 2) == 0))
            clock[c] = ret
            if indeterminate {
                // After a timeout the client continues as a new sequential stream, as etcd's recorder does.
                clientIDs[c] = nextClientID
                nextClientID += 1
            }
        }
        return planned
    }

    /// A request chosen against the current state: mostly valid preconditions, some stale.
    func request(_ rng: inout SeededRandom, model: LinearizabilityChecker.SequentialModel, value: String) -> KVRequest {
        let key = Self.key(rng.int(below: keys))
        let mod = model.get(key)?.modRevision
        let stale = max(1, model.revision - Int64(rng.int(below: 3)))
        let roll = rng.int(below: 100)
        switch roll {
        case ..<25: return .get(key: key)
        case ..<35: return .range(prefix: "/registry/pods/default/")
        case ..<50: return .create(key: key, value: value)
        case ..<85: return .update(key: key, value: value, expectedModRevision: rng.unit() < 0.75 ? (mod ?? stale) : stale)
        default: return .delete(key: key, expectedModRevision: rng.unit() < 0.75 ? (mod ?? stale) : stale)
        }
    }

    func generate(seed: UInt64) -> History {
        var rng = SeededRandom(seed: seed, stream: "history")
        let planned = plan(&rng)
        var model = LinearizabilityChecker.SequentialModel()
        var ops = planned.map { HistoryOperation(clientID: $0.client, request: .get(key: ""), call: $0.call, completion: nil) }
        for index in planned.indices.sorted(by: { (planned[$0].point, $0) < (planned[$1].point, $1) }) {
            let p = planned[index]
            let request = self.request(&rng, model: model, value: "c\(p.client)-\(index)")
            ops[index].request = request
            guard p.applies else { continue }
            let response = model.apply(request)
            if !p.indeterminate {
                ops[index].completion = HistoryOperation.Completion(time: p.ret, response: response)
            }
        }
        return History(operations: ops)
    }
}
