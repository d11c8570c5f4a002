/// A simulated Kubernetes cluster: the public face of the core.
///
/// It wires the components into one simulation (API server and store, controller manager,
/// scheduler, a kubelet per node) and answers the embedding program's calls as a client of
/// the API server would be answered. Calls act at the current virtual instant; only
/// `run(for:)` moves time.
///
///     let cluster = try Cluster(config: ClusterConfig()).get()
///     _ = cluster.apply(manifests: yaml)
///     cluster.run(for: .seconds(10))
///     print(cluster.kubectl(["get", "pods", "-o", "wide"]).stdout)
public final class Cluster {
    public let config: ClusterConfig
    let simulation: Simulation
    let apiServer: APIServer
    let apiServerID: ComponentID
    /// The id the embedding program's requests come from.
    let clientID: ComponentID
    let external = ExternalClient()
    private var externalTag: UInt64 = 0
    /// The API server's warnings for the embedding program's last request (what kubectl
    /// prints as `Warning: …`).
    private(set) var lastWarnings: [String] = []
    /// The etcd members, when the cluster's data lives in them (`"etcd": {"members": N}`);
    /// nil for the in-process store.
    private(set) var etcd: EtcdCluster?
    let wording: Wording
    /// Each node's kubelet, in config order (faults reach them by id).
    private(set) var kubeletIDs: [String: ComponentID] = [:]
    /// Measures faults (ks_report); registered with the cluster, idle until a fault.
    let disruption: DisruptionMonitor
    let disruptionID: ComponentID
    /// kube-scheduler, held for its read-only debug view (`explainScheduling`), as
    /// kube-scheduler serves debug endpoints; everything else reaches it through the API server.
    let scheduler: Scheduler
    /// kubectl's own randomness (`utilrand.String`, the suffix `create deployment` gives a
    /// container name it had to sanitize): a stream of its own, so a command draws nothing
    /// from the components'.
    var kubectlRandom: SeededRandom

    public var now: VirtualTime { simulation.now }
    public var registry: ResourceRegistry { apiServer.registry }

    /// `messageObserver` is told of every message from the first, start-up included.
    public init(config: ClusterConfig, messageObserver: MessageObserver? = nil) {
        self.config = config
        self.wording = Wording(version: config.version)
        kubectlRandom = SeededRandom(seed: config.seed, stream: "kubectl")
        let controlPlaneHost = config.nodes.first(where: \.controlPlane)?.name ?? "kubesim"
        scheduler = Scheduler(wording: wording, host: controlPlaneHost, seed: config.seed)
        // Start-up runs with instant links, so the nodes register and are Ready at the epoch.
        simulation = Simulation(epoch: config.epoch, linkLatency: .zero)
        simulation.observer = messageObserver
        apiServer = APIServer(registry: .standard, version: config.version, seed: config.seed)
        apiServerID = simulation.register(apiServer, isAPIServer: true)
        clientID = simulation.register(external)
        disruption = DisruptionMonitor(apiServer: apiServer)
        disruptionID = simulation.register(disruption)
        if let members = config.etcdMembers,
           let etcd = try? EtcdCluster(simulation: simulation, members: members, seed: config.seed)
        {
            self.etcd = etcd
            let stamp = APIServer.stampResourceVersion
            for member in etcd.members {
                member.setStamp(stamp)
                // Start-up is instant (see below); disks take their time once it is done.
                member.walSyncLatency = .zero
            }
            apiServer.etcd = APIServer.EtcdLink(members: etcd.componentIDs)
            // A new cluster's first election, held at once so that start-up finishes at the epoch.
            simulation.act(as: etcd.componentIDs[0]) { ctx in etcd.members[0].campaign(&ctx) }
            simulation.run(until: config.epoch)
        }

        // The API server creates the system namespaces itself at start-up
        // (pkg/controlplane/controller/systemnamespaces).
        for ns in ["default", "kube-node-lease", "kube-public", "kube-system"] {
            bootstrap("namespaces", body: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(ns)]])
        }
        for pc in APIServer.systemPriorityClasses { bootstrap("priorityclasses", body: pc) }
        let informers = SharedInformerFactory()
        simulation.register(ControllerManager(informers: informers, controllers: [
            NodeIPAMController(informers: informers, clusterCIDR: config.clusterCIDR, version: config.version),
            DeploymentController(informers: informers, wording: wording),
            ReplicaSetController(informers: informers, version: config.version),
            GarbageCollector(informers: informers),
            NodeLifecycleController(informers: informers, timing: config.timing, version: config.version),
            TaintEvictionController(informers: informers, version: config.version),
            DaemonSetController(informers: informers, version: config.version),
            DisruptionController(informers: informers, version: config.version),
        ]))
        simulation.register(scheduler)
        for node in config.nodes {
            kubeletIDs[node.name] = simulation.register(Kubelet(config: node, timing: config.timing, wording: wording))
        }
        // Bring the nodes up: registration, pod CIDRs and first leases take a few round trips.
        simulation.run(until: config.epoch)
        if config.systemDaemonSets {
            for ds in SystemDaemonSets.manifests(version: config.version) {
                bootstrap("daemonsets", namespace: "kube-system", body: ds)
            }
            simulation.run(until: config.epoch)
        }
        simulation.linkLatency = config.timing.apiLatency
        for member in etcd?.members ?? [] { member.walSyncLatency = config.timing.etcdWALSync }
        placeEtcdMembers()
    }

    // MARK: Requests

    /// Serves one request from the embedding program at the current instant.
    func request(_ verb: Verb, _ resource: String, namespace: String? = nil, name: String? = nil,
                 body: consuming JSON = .null, configure: (inout APIRequest) -> Void = { _ in }) -> Result<JSON, StatusError>
    {
        var request = APIRequest(verb, resource, namespace: namespace, name: name)
        request.body = consume body
        configure(&request)
        return serve(request)
    }

    /// Creates an object the cluster starts with (system namespaces, priority classes and
    /// DaemonSets). Built here rather than decoded from the embedding program's text, its field
    /// types are right by construction: a release build skips the type check (a debug build,
    /// which the tests run, checks every request).
    private func bootstrap(_ resource: String, namespace: String? = nil, body: consuming JSON) {
        var request = APIRequest(.create, resource, namespace: namespace)
        request.body = consume body
        _ = serve(request, builtHere: true)
    }

    /// Serves the embedding program's request (or, `builtHere`, one the cluster built itself).
    /// A write that waits for etcd blocks the call while the cluster runs, as a kubectl call
    /// waits on a real API server.
    func serve(_ request: consuming APIRequest, builtHere: Bool = false) -> Result<JSON, StatusError> {
        request.client = clientID
        request.fromComponent = builtHere
        externalTag &+= 1
        request.tag = externalTag
        let tag = externalTag
        // Served as the API server itself, so that what it sends (to etcd, its timers) is its own.
        // The request moves into the call (the closure empties the optional), so that a create
        // stores the body it was given, not a copy.
        var pending = Optional(consume request)
        apiServer.requestWarnings = []
        defer { lastWarnings = apiServer.requestWarnings }
        let reply = simulation.act(as: apiServerID) { ctx -> APIServer.Reply in
            guard let request = pending.take() else {
                assertionFailure("act ran its body twice")
                return .pending
            }
            return apiServer.serve(answering: request, &ctx)
        }
        guard case .done(let result) = reply else { return awaitResponse(tag: tag) }
        return result
    }

    private func awaitResponse(tag: UInt64) -> Result<JSON, StatusError> {
        let deadline = simulation.now + .seconds(60)
        // Nothing to look up until some answer has arrived (hashing the tag on every step).
        while external.responses.isEmpty || external.responses[tag] == nil, simulation.step(limit: deadline) {}
        if let result = external.responses.removeValue(forKey: tag) { return result }
        simulation.run(until: deadline)
        // kube-apiserver's --request-timeout (60 s).
        return .failure(.timeout("request did not complete within requested timeout - context deadline exceeded"))
    }

    /// Messages the components have handled since the cluster was created, including those
    /// handled while a call from the embedding program waited for etcd.
    public var messagesHandled: Int { simulation.processed }

    /// Told of every message a component handles from now on (nil: nobody). For profiling:
    /// the observer may time each one; the simulation's own behaviour does not change.
    public var messageObserver: MessageObserver? {
        get { simulation.observer }
        set { simulation.observer = newValue }
    }

    /// Advances virtual time by `duration`, running everything due (never past
    /// `VirtualTime.latest`). Returns messages handled.
    @discardableResult
    public func run(for duration: Duration) -> Int {
        simulation.run(until: min(simulation.now + duration, max(simulation.now, .latest)))
    }

    /// Every stored object, ordered by key, with the clock and revision: the canonical dump
    /// that determinism tests compare.
    public func state() -> JSON {
        let objects = apiServer.store.all().map(\.value)
        return [
            "now": .string(now.rfc3339Micro),
            "resourceVersion": .string(String(apiServer.store.revision)),
            "objects": .array(objects),
        ]
    }

    /// Events in the order they were recorded (store revision order), after `since`.
    public func events(since: Int64, namespace: String?) -> (items: [JSON], cursor: Int64) {
        var prefix = "/registry/events/"
        if let namespace, !namespace.isEmpty { prefix += namespace + "/" }
        var items: [JSON] = []
        var cursor = since
        switch apiServer.store.events(after: since, prefix: prefix) {
        case .success(let changes):
            var seen: Set<String> = []
            for change in changes where change.kind == .put {
                cursor = max(cursor, change.revision)
                // An event is reported once, in its latest form (a repeat bumps its count).
                // Expired (deleted) events are gone.
                if seen.insert(change.kv.key).inserted, let current = apiServer.store.get(change.kv.key) {
                    items.append(current.value)
                }
            }
        case .failure:
            // Compacted: fall back to the events still stored, in revision order.
            if case .success(let kvs) = apiServer.store.range(prefix: prefix, revision: nil) {
                let sorted = kvs.filter { $0.createRevision > since }.sorted { $0.createRevision < $1.createRevision }
                items = sorted.map(\.value)
                cursor = apiServer.store.revision
            }
        }
        return (items, max(cursor, since))
    }
}

/// Stands for the embedding program on the simulation: answers to its requests that had to
/// wait (for etcd) arrive here.
final class ExternalClient: Component {
    /// Written while the loop delivers an answer and read between steps, never both at once:
    /// no runtime exclusivity check (it ran on every step a call waited through).
    @exclusivity(unchecked) var responses: [UInt64: Result<JSON, StatusError>] = [:]

    func handle(_ message: consuming Message, _ ctx: inout Context) {
        if case .response(let response) = message { responses[response.tag] = response.result }
    }
}
