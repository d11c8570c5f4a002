import XCTest
@testable import KubeSim

/// kubectl's commands that change objects in place (`label`, `annotate`, `taint`,
/// `set image`) and `rollout status`, with kubectl's output and errors.
final class KubectlCommandTests: XCTestCase {
    private func cluster(version: KubernetesVersion = .v1_18) throws -> (Cluster, pods: [String]) {
        let c = try Cluster.withWebDeployment(version: version)
        return (c, c.pods().map(\.name))
    }

    private func run(_ c: Cluster, _ command: String) -> KubectlResult {
        c.kubectl(command.split(separator: " ").map(String.init))
    }

    /// `delete --cascade=orphan` (`propagationPolicy: Orphan`) leaves the ReplicaSet and its
    /// pods: the Deployment waits behind the `orphan` finalizer while the garbage collector
    /// removes the references to it (the member with them, as Go leaves an empty list out).
    func testOrphanedDependentsLoseTheirOwnerReference() throws {
        let (c, pods) = try cluster()
        XCTAssertEqual(run(c, "delete deployment web --cascade=false --wait=false").stdout, "deployment.apps \"web\" deleted\n")
        let terminating = try XCTUnwrap(c.get("deployments", "web"))
        XCTAssertEqual(terminating["metadata", "finalizers"].serialized(), #"["orphan"]"#)
        XCTAssertTrue(terminating.isTerminating)
        c.run(for: .seconds(10))
        XCTAssertNil(c.get("deployments", "web"))
        guard case .success(let sets) = c.request(.list, "replicasets", namespace: "default") else { return XCTFail("no list") }
        let rs = try XCTUnwrap(sets["items"].array?.first)
        XCTAssertNil(rs["metadata"].object?["ownerReferences"], rs.serialized())
        // The pods keep their own owner, the ReplicaSet.
        XCTAssertEqual(c.pods().map(\.name).sorted(), pods.sorted())
        XCTAssertEqual(c.pods().compactMap { $0["metadata", "ownerReferences"][index: 0]["name"].string }, [rs.name, rs.name])
    }

    /// History is the Deployment's ReplicaSets by revision; undo brings the previous template
    /// back, and its ReplicaSet becomes the newest revision (the old number kept in
    /// revision-history); restart stamps the template so every pod is replaced.
    func testRolloutHistoryUndoAndRestart() throws {
        let (c, _) = try cluster()
        XCTAssertEqual(run(c, "rollout history deployment/web").stdout,
                       "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n\n")
        XCTAssertEqual(run(c, "rollout undo deployment/web").stderr, "error: no rollout history found for deployment \"web\"\n")
        _ = run(c, "annotate deployment web kubernetes.io/change-cause=to-1.16")
        _ = run(c, "set image deployment/web nginx=nginx:1.16")
        XCTAssertEqual(run(c, "rollout status deployment/web").exitCode, 0)
        XCTAssertEqual(run(c, "rollout history deployment/web").stdout,
                       "deployment.apps/web \nREVISION  CHANGE-CAUSE\n1         <none>\n2         to-1.16\n\n")
        // One revision: its pod template as DescribePodTemplate writes it, tabs unaligned,
        // the ReplicaSet's change cause among the annotations.
        let hash = try XCTUnwrap(c.pods().first { !$0.isTerminating }?.labels["pod-template-hash"].string)
        XCTAssertEqual(run(c, "rollout history deployment/web --revision=2").stdout, """
            deployment.apps/web with revision #2
            Pod Template:
              Labels:\tapp=web
            \tpod-template-hash=\(hash)
              Annotations:\tkubernetes.io/change-cause: to-1.16
              Containers:
               nginx:
                Image:\tnginx:1.16
                Port:\t<none>
                Host Port:\t<none>
                Environment:\t<none>
                Mounts:\t<none>
              Volumes:\t<none>


            """)
        XCTAssertEqual(run(c, "rollout history deployment/web --revision=9").stderr, "error: unable to find the specified revision\n")
        XCTAssertEqual(run(c, "rollout history deployment/web --revision=-1").stderr, "error: revision must be a positive integer: -1\n")
        XCTAssertEqual(run(c, "rollout undo deployment/web --to-revision=2").stdout,
                       "deployment.apps/web skipped rollback (current template already matches revision 2)\n")
        XCTAssertEqual(run(c, "rollout undo deployment/web --to-revision=7").stderr,
                       "error: unable to find specified revision 7 in history\n")
        XCTAssertEqual(run(c, "rollout undo deployment/web").stdout, "deployment.apps/web rolled back\n")
        XCTAssertEqual(run(c, "rollout status deployment/web").exitCode, 0)
        XCTAssertEqual(Set(c.pods().filter { !$0.isTerminating }.compactMap { $0["spec", "containers"][index: 0]["image"].string }),
                       ["nginx:1.15"])
        XCTAssertEqual(run(c, "rollout history deployment/web").stdout,
                       "deployment.apps/web \nREVISION  CHANGE-CAUSE\n2         to-1.16\n3         <none>\n\n")
        guard case .success(let sets) = c.request(.list, "replicasets", namespace: "default") else { return XCTFail("no list") }
        let back = try XCTUnwrap(sets["items"].array?.first { $0["spec", "template", "spec", "containers"][index: 0]["image"] == "nginx:1.15" })
        XCTAssertEqual(back.annotations["deployment.kubernetes.io/revision"], "3")
        XCTAssertEqual(back.annotations["deployment.kubernetes.io/revision-history"], "1")
        XCTAssertEqual(c.get("deployments", "web")?.annotations["deployment.kubernetes.io/revision"], "3")

        let before = Set(c.pods().map(\.name))
        XCTAssertEqual(run(c, "rollout restart deployment/web").stdout, "deployment.apps/web restarted\n")
        XCTAssertEqual(run(c, "rollout restart deployment/web").stderr,
                       "error: failed to create patch for web: if restart has already been triggered within the past second, please wait before attempting to trigger another\n")
        XCTAssertEqual(c.get("deployments", "web")?["spec", "template", "metadata", "annotations", "kubectl.kubernetes.io/restartedAt"],
                       .string(c.now.rfc3339))
        XCTAssertEqual(run(c, "rollout status deployment/web").exitCode, 0)
        XCTAssertTrue(before.isDisjoint(with: c.pods().filter { !$0.isTerminating }.map(\.name)))
    }

    /// A DaemonSet's history is its ControllerRevisions: the change cause they copied from
    /// the set, one revision's template, undo by patching a revision back (which the
    /// controller renumbers as the newest) and restart.
    func testDaemonSetRolloutHistoryUndoAndRestart() throws {
        let c = Cluster.seedCluster()
        c.run(for: .seconds(30))
        let ds = "ds/kindnet -n kube-system"
        XCTAssertEqual(run(c, "rollout history \(ds)").stdout, "daemonset.apps/kindnet \nREVISION  CHANGE-CAUSE\n1         <none>\n\n")
        XCTAssertEqual(run(c, "rollout undo \(ds)").stderr, "error: no last revision to roll back to\n")
        _ = run(c, "annotate \(ds) kubernetes.io/change-cause=kindnet-0.5.5")
        XCTAssertEqual(run(c, "set image \(ds) kindnet-cni=kindest/kindnetd:0.5.5").stdout, "daemonset.apps/kindnet image updated\n")
        XCTAssertEqual(run(c, "rollout status \(ds)").exitCode, 0)
        XCTAssertEqual(run(c, "rollout history \(ds)").stdout,
                       "daemonset.apps/kindnet \nREVISION  CHANGE-CAUSE\n1         <none>\n2         kindnet-0.5.5\n\n")
        let one = run(c, "rollout history \(ds) --revision=1").stdout
        XCTAssertTrue(one.hasPrefix("daemonset.apps/kindnet with revision #1\nPod Template:\n  Labels:\tapp=kindnet\n"), one)
        XCTAssertTrue(one.contains("\n   kindnet-cni:\n    Image:\tkindest/kindnetd:0.5.4\n"), one)
        XCTAssertEqual(run(c, "rollout undo \(ds) --to-revision=2").stdout,
                       "daemonset.apps/kindnet skipped rollback (current template already matches revision 2)\n")
        XCTAssertEqual(run(c, "rollout undo \(ds)").stdout, "daemonset.apps/kindnet rolled back\n")
        XCTAssertEqual(run(c, "rollout status \(ds)").exitCode, 0)
        c.run(for: .seconds(5))
        let images = c.pods("app=kindnet", namespace: "kube-system").filter { !$0.isTerminating }
            .compactMap { $0["spec", "containers"][index: 0]["image"].string }
        XCTAssertEqual(Set(images), ["kindest/kindnetd:0.5.4"])
        XCTAssertEqual(run(c, "rollout history \(ds)").stdout,
                       "daemonset.apps/kindnet \nREVISION  CHANGE-CAUSE\n2         kindnet-0.5.5\n3         <none>\n\n")
        XCTAssertEqual(run(c, "rollout restart \(ds)").stdout, "daemonset.apps/kindnet restarted\n")
    }

    /// Commands that reach into containers or metrics say why they cannot here, rather than
    /// that kubectl has no such command.
    func testContainerAndMetricsCommands() {
        let c18 = Cluster.seedCluster(), c36 = Cluster.seedCluster(version: .v1_36)
        let logs = run(c18, "logs web")
        XCTAssertEqual(logs.exitCode, 1)
        XCTAssertTrue(logs.stderr.hasPrefix("error: kubesim runs no container processes, so \"kubectl logs\""), logs.stderr)
        XCTAssertEqual(run(c18, "top nodes").stderr,
                       "Error from server (NotFound): the server could not find the requested resource (get services http:heapster:)\n")
        XCTAssertEqual(run(c36, "top pods").stderr, "error: Metrics API not available\n")
        XCTAssertEqual(run(c36, "frobnicate").stderr, "error: unknown command \"frobnicate\" for \"kubectl\"\n")
    }

    func testDeleteAllAndBySelector() throws {
        let (c, pods) = try cluster()
        XCTAssertEqual(run(c, "delete pods -l app=none").stdout, "No resources found\n")
        // The resource builder refuses these before delete's own checks.
        XCTAssertEqual(run(c, "delete pods --all -l app=web").stderr, "error: setting 'all' parameter but found a non empty selector. \n")
        XCTAssertEqual(run(c, "delete pods \(pods[0]) -l app=web").stderr, "error: name cannot be provided when a selector is specified\n")
        XCTAssertEqual(run(c, "delete pods --all").stdout, pods.sorted().map { "pod \"\($0)\" deleted\n" }.joined())
    }

    /// 1.18's --cascade is a boolean; 1.36's a word, its booleans deprecated.
    func testCascadeValues() throws {
        let (old, _) = try cluster()
        XCTAssertEqual(run(old, "delete deployment web --cascade --wait=false").stdout, "deployment.apps \"web\" deleted\n")
        XCTAssertEqual(run(old, "delete deployment web --cascade=foreground").stderr,
                       "error: invalid argument \"foreground\" for \"--cascade\" flag: strconv.ParseBool: parsing \"foreground\": invalid syntax\n")
        let (c, _) = try cluster(version: .v1_36)
        XCTAssertEqual(run(c, "delete deployment web --cascade=sideways").stderr,
                       "error: invalid cascade value (sideways). Must be \"background\", \"foreground\", or \"orphan\"\n")
        let deprecated = run(c, "delete deployment web --cascade=false")
        XCTAssertEqual(deprecated.stderr, "warning: --cascade=false is deprecated (boolean value) and can be replaced with --cascade=orphan.\n")
        c.run(for: .seconds(10))
        XCTAssertEqual(c.pods().count, 2, "orphaned pods keep running")
    }

    func testLabel() throws {
        let (c, pods) = try cluster()
        let pod = try XCTUnwrap(pods.first)
        XCTAssertEqual(run(c, "label pod \(pod) tier=web").stdout, "pod/\(pod) labeled\n")
        XCTAssertEqual(c.get("pods", pod)?.labels["tier"], "web")
        // The same value again changes nothing and says so.
        XCTAssertEqual(run(c, "label pod \(pod) tier=web").stdout, "pod/\(pod) not labeled\n")
        let refused = run(c, "label pod \(pod) tier=db")
        XCTAssertEqual(refused.exitCode, 1)
        XCTAssertEqual(refused.stderr, "error: 'tier' already has a value (web), and --overwrite is false\n")
        XCTAssertEqual(run(c, "label pod \(pod) tier=db --overwrite").stdout, "pod/\(pod) labeled\n")
        XCTAssertEqual(run(c, "label pod \(pod) tier- gone-").stdout, "label \"gone\" not found.\npod/\(pod) unlabeled\n")
        XCTAssertNil(c.get("pods", pod)?.labels.object?["tier"])
        XCTAssertEqual(run(c, "label pod \(pod) a=1").stdout, "pod/\(pod) labeled\n")
        XCTAssertEqual(run(c, "label pod \(pod) b=2 a-").stdout, "pod/\(pod) modified\n")
        // Every pod a selector picks, one line each, in name order.
        XCTAssertEqual(run(c, "label pods -l app=web env=prod").stdout,
                       pods.sorted().map { "pod/\($0) labeled\n" }.joined())
        XCTAssertEqual(run(c, "label pods --all env=prod").stdout,
                       pods.sorted().map { "pod/\($0) not labeled\n" }.joined())

        XCTAssertEqual(run(c, "label pods env=x").stderr, "error: resource(s) were provided, but no name was specified\n")
        XCTAssertEqual(run(c, "label pod \(pod)").stderr, "error: at least one label update is required\n")
        XCTAssertEqual(run(c, "label pod \(pod) a=1 a-").stderr, "error: can not both modify and remove a label in the same command\n")
        XCTAssertEqual(run(c, "label pod \(pod) a=b=c").stderr, "error: invalid label spec: a=b=c\n")
        XCTAssertTrue(run(c, "label pod \(pod) a=-x").stderr.hasPrefix("error: invalid label value: \"a=-x\": a valid label must be"))
        // Keys are the API server's to check.
        XCTAssertTrue(run(c, "label pod \(pod) a/b/c=x").stderr.contains("The Pod \"\(pod)\" is invalid: metadata.labels: Invalid value: \"a/b/c\""))
        XCTAssertEqual(run(c, "label pod nope a=b").stderr, "Error from server (NotFound): pods \"nope\" not found\n")
    }

    func testAnnotate() throws {
        let (c, _) = try cluster()
        XCTAssertEqual(run(c, "annotate deployment web note=first words").exitCode, 1)  // "words" is no annotation
        XCTAssertEqual(run(c, "annotate deployment web note=a=b").stdout, "deployment.apps/web annotated\n")
        XCTAssertEqual(c.get("deployments", "web")?.annotations["note"], "a=b")
        XCTAssertEqual(run(c, "annotate deployment web note=a=b").stdout, "deployment.apps/web annotated\n")
        XCTAssertEqual(run(c, "annotate deployment web note=c").stderr,
                       "error: --overwrite is false but found the following declared annotation(s): 'note' already has a value (a=b)\n")
        XCTAssertEqual(run(c, "annotate deployment/web note-").stdout, "deployment.apps/web annotated\n")
        XCTAssertNil(c.get("deployments", "web")?.annotations.object?["note"])
        XCTAssertEqual(run(c, "annotate deployment web =x").stderr, "error: invalid annotation format: =x\n")
    }

    /// Taints go on and off as kubectl words it, and the scheduler honours them.
    func testTaint() throws {
        let (c, _) = try cluster()
        XCTAssertEqual(run(c, "taint nodes minikube-m02 dedicated=db:NoSchedule").stdout, "node/minikube-m02 tainted\n")
        let taints = c.get("nodes", "minikube-m02", namespace: nil)?["spec", "taints"]
        XCTAssertEqual(taints?.serialized(), #"[{"key":"dedicated","effect":"NoSchedule","value":"db"}]"#)
        XCTAssertEqual(run(c, "taint nodes minikube-m02 dedicated=web:NoSchedule").stderr,
                       "error: node minikube-m02 already has dedicated taint(s) with same effect(s) and --overwrite is false\n")
        XCTAssertEqual(run(c, "taint node/minikube-m02 dedicated=web:NoSchedule --overwrite").stdout, "node/minikube-m02 modified\n")
        c.applyOK("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: nginx}]\n")
        c.run(for: .seconds(30))
        XCTAssertEqual(c.get("pods", "p")?["spec", "nodeName"], "minikube")

        XCTAssertEqual(run(c, "taint nodes minikube-m02 dedicated:NoSchedule-").stdout, "node/minikube-m02 untainted\n")
        XCTAssertNil(c.get("nodes", "minikube-m02", namespace: nil)?["spec"].object?["taints"])
        XCTAssertEqual(run(c, "taint nodes minikube-m02 dedicated-").stderr, "error: taint \"dedicated\" not found\n")
        XCTAssertEqual(run(c, "taint nodes minikube-m02 a=b:Sometimes").stderr,
                       "error: invalid taint effect: Sometimes, unsupported taint effect\nSee 'kubectl taint -h' for help and examples\n")
        XCTAssertEqual(run(c, "taint pods p a:NoSchedule").stderr, "error: invalid resource type pods, only node types are supported\n")
        // Added taints go first; a removal may name the value, which it ignores.
        _ = run(c, "taint nodes minikube-m02 a=1:PreferNoSchedule")
        _ = run(c, "taint nodes minikube-m02 b:NoExecute")
        XCTAssertEqual(c.get("nodes", "minikube-m02", namespace: nil)?["spec", "taints"].array?.compactMap { $0["key"].string }, ["b", "a"])
        XCTAssertEqual(run(c, "taint nodes minikube-m02 a=1:PreferNoSchedule-").stdout, "node/minikube-m02 untainted\n")
        XCTAssertTrue(run(c, "taint nodes minikube-m02 a/b/c=1:NoSchedule").stderr.hasPrefix("error: invalid taint spec: a/b/c=1:NoSchedule, "))
    }

    /// A new image rolls the Deployment out; `rollout status` follows it to the end.
    func testSetImageAndRolloutStatus() throws {
        let (c, _) = try cluster()
        XCTAssertEqual(run(c, "rollout status deployment/web").stdout, "deployment \"web\" successfully rolled out\n")
        XCTAssertEqual(run(c, "set image deployment/web nginx=nginx:1.16").stdout, "deployment.apps/web image updated\n")
        // Already that image: nothing to do, nothing printed.
        XCTAssertEqual(run(c, "set image deployment/web nginx=nginx:1.16").stdout, "")
        XCTAssertEqual(run(c, "set image deployment/web php=php:8").stderr, "error: unable to find container named \"php\"\n")
        let status = run(c, "rollout status deployment/web")
        XCTAssertEqual(status.exitCode, 0, status.stderr)
        let lines = status.stdout.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.last, "deployment \"web\" successfully rolled out")
        XCTAssertTrue(lines.contains("Waiting for deployment \"web\" rollout to finish: 0 out of 2 new replicas have been updated..."), status.stdout)
        XCTAssertTrue(lines.contains { $0.hasSuffix("old replicas are pending termination...") }, status.stdout)
        // Old pods may still be terminating (kubectl does not wait for them either).
        XCTAssertEqual(c.pods().filter { !$0.isTerminating }.compactMap {
            $0["spec", "containers"][index: 0]["image"].string
        }, ["nginx:1.16", "nginx:1.16"])

        // A rollout that cannot finish (an image that never pulls is not modelled, so no room
        // instead: every node cordoned) times out as kubectl does.
        for node in ["minikube", "minikube-m02"] { _ = run(c, "cordon \(node)") }
        _ = run(c, "set image deployment/web nginx=nginx:1.17")
        let stuck = run(c, "rollout status deployment/web --timeout=20s")
        XCTAssertEqual(stuck.exitCode, 1)
        XCTAssertEqual(stuck.stderr, "error: timed out waiting for the condition\n")
        XCTAssertEqual(run(c, "rollout status pod/x").stderr, "error: no status viewer has been implemented for Pod\n")
    }
}
