import XCTest
@testable import KubeSim

/// `kubectl describe deployment|replicaset|daemonset` as kubectl 1.18 and 1.36 print them.
///
/// The expected texts are written from describe.go's format strings and Go's tabwriter
/// (minwidth 0, padding 2): a cell is padded to the widest cell of its column plus two, over
/// each run of consecutive lines that have that column; a line without a tab ends the run.
/// Names the simulation makes up (ReplicaSet hashes, pod suffixes) are read from the cluster;
/// pods created at the same time are listed in the Events table in the API's order.
final class KubectlDescribeWorkloadTests: XCTestCase {
    // MARK: Deployment

    /// 1.18 names only old ReplicaSets still scaled up, and always prints both lines; 1.36
    /// names every old one (`GetAllReplicaSetsInChunks`' second list) and adds the template's
    /// node selectors and tolerations.
    func testDescribeDeploymentThroughARollout() throws {
        for version in KubernetesVersion.allCases {
            let c = try webCluster(version)
            let first = try XCTUnwrap(replicaSets(c).first).name
            let from = version == .v1_36
            XCTAssertEqual(describe(c, "deployment web"), webDeployment(version, revision: 1, image: "nginx:1.15", old: "<none>",
                                                                         new: "\(first) (2/2 replicas created)") + """
                Events:
                  Type    Reason             Age   From                   Message
                  ----    ------             ----  ----                   -------
                  Normal  ScalingReplicaSet  30s   deployment-controller  Scaled up replica set \(first) \(from ? "from 0 " : "")to 2

                """, "\(version)")

            XCTAssertEqual(c.kubectl(["set", "image", "deployment/web", "nginx=nginx:1.16"]).exitCode, 0)
            c.run(for: .seconds(60))
            let second = try XCTUnwrap(replicaSets(c).last).name
            XCTAssertNotEqual(first, second)
            let old = version == .v1_18 ? "<none>" : "\(first) (0/0 replicas created)"
            XCTAssertEqual(describe(c, "deployment web"), webDeployment(version, revision: 2, image: "nginx:1.16", old: old,
                                                                         new: "\(second) (2/2 replicas created)") + """
                Events:
                  Type    Reason             Age   From                   Message
                  ----    ------             ----  ----                   -------
                  Normal  ScalingReplicaSet  90s   deployment-controller  Scaled up replica set \(first) \(from ? "from 0 " : "")to 2
                  Normal  ScalingReplicaSet  60s   deployment-controller  Scaled up replica set \(second) \(from ? "from 0 " : "")to 1
                  Normal  ScalingReplicaSet  58s   deployment-controller  Scaled down replica set \(first) \(from ? "from 2 " : "")to 1
                  Normal  ScalingReplicaSet  58s   deployment-controller  Scaled up replica set \(second) \(from ? "from 1 " : "")to 2
                  Normal  ScalingReplicaSet  55s   deployment-controller  Scaled down replica set \(first) \(from ? "from 1 " : "")to 0

                """, "\(version)")
        }
    }

    /// Part way through a rollout 1.18 names the old ReplicaSet too, while it has replicas.
    func testDescribeDeploymentMidRollout() throws {
        let c = try webCluster(.v1_18, replicas: 4)
        _ = c.kubectl(["set", "image", "deployment/web", "nginx=nginx:1.16"])
        c.run(for: .seconds(1))
        let sets = replicaSets(c)
        guard sets.count == 2 else { return XCTFail("\(sets.count) ReplicaSets") }
        let text = describe(c, "deployment web")
        XCTAssertTrue(text.contains("""
            Replicas:               4 desired | 2 updated | 5 total | 3 available | 2 unavailable
            """), text)
        XCTAssertTrue(text.contains("""
            OldReplicaSets:  \(sets[0].name) (3/3 replicas created)
            NewReplicaSet:   \(sets[1].name) (2/2 replicas created)
            """), text)
    }

    /// The text above the Events table, as `describeDeployment` writes it for `web`.
    private func webDeployment(_ version: KubernetesVersion, revision: Int, image: String, old: String, new: String) -> String {
        // 1.36's "  Node-Selectors:" widens the template's second column block by one.
        let pad = version == .v1_36 ? " " : ""
        return """
            Name:                   web
            Namespace:              default
            CreationTimestamp:      Mon, 01 Jan 2024 00:00:00 +0000
            Labels:                 app=web
            Annotations:            deployment.kubernetes.io/revision: \(revision)
            Selector:               app=web
            Replicas:               2 desired | 2 updated | 2 total | 2 available | 0 unavailable
            StrategyType:           RollingUpdate
            MinReadySeconds:        0
            RollingUpdateStrategy:  25% max unavailable, 25% max surge
            Pod Template:
              Labels:  app=web
              Containers:
               nginx:
                Image:        \(pad)\(image)
                Port:         \(pad)<none>
                Host Port:    \(pad)<none>
                Environment:  \(pad)<none>
                Mounts:       \(pad)<none>
              Volumes:        \(pad)<none>

            """ + (version == .v1_36 ? """
              Node-Selectors:  <none>
              Tolerations:     <none>

            """ : "") + """
            Conditions:
              Type           Status  Reason
              ----           ------  ------
              Available      True    MinimumReplicasAvailable
              Progressing    True    NewReplicaSetAvailable
            OldReplicaSets:  \(old)
            NewReplicaSet:   \(new)

            """
    }

    /// Every part of a pod template: init containers, named and unnamed ports, command and
    /// args, resources, the three probes, env from each kind of source, mounts by path, each
    /// common volume type; 1.36 adds spread constraints, node selectors and tolerations.
    /// Recreate prints no RollingUpdateStrategy; the pod cannot be placed, so it is Waiting.
    func testDescribeDeploymentTemplate() throws {
        for version in KubernetesVersion.allCases {
            let c = try cluster(version)
            c.applyOK(Self.api)
            c.run(for: .seconds(10))
            let rs = try XCTUnwrap(replicaSets(c).first).name
            let v36 = version == .v1_36
            var expected = """
                Name:               api
                Namespace:          default
                CreationTimestamp:  Mon, 01 Jan 2024 00:00:00 +0000
                Labels:             app=api
                                    tier=backend
                Annotations:        deployment.kubernetes.io/revision: 1
                                    team: payments
                Selector:           app=api,tier in (api,backend)
                Replicas:           1 desired | 1 updated | 1 total | 0 available | 1 unavailable
                StrategyType:       Recreate
                MinReadySeconds:    5
                Pod Template:
                  Labels:           app=api
                                    tier=backend
                  Annotations:      prometheus.io/scrape: true
                  Service Account:  api
                  Init Containers:
                   init:
                    Image:      busybox:1.36
                    Port:       <none>
                    Host Port:  <none>
                    Command:
                      sh
                      -c
                      echo one
                      echo two
                    Environment:  <none>
                    Mounts:       <none>
                  Containers:
                   api:
                    Image:       example/api:2.1
                    Ports:       8080/TCP\(v36 ? " (http)" : ""), 9090/UDP
                    Host Ports:  0/TCP\(v36 ? " (http)" : ""), 0/UDP
                    Args:
                      --port=8080
                      --verbose
                    Limits:
                      memory:  128Mi
                    Requests:
                      cpu:      250m
                      memory:   64Mi
                    Liveness:   http-get http://:http/healthz delay=3s timeout=1s period=10s #success=1 #failure=3
                    Readiness:  tcp-socket :8080 delay=0s timeout=1s period=10s #success=1 #failure=3
                    Startup:    exec [cat /tmp/ready] delay=0s timeout=1s period=10s #success=1 #failure=3
                    Environment Variables from:
                      api-config  ConfigMap                     Optional: false
                      api-secret  Secret with prefix 'SECRET_'  Optional: true
                    Environment:
                      MODE:         a
                                    b
                      POD_NAME:      (v1:metadata.name)
                      CPU_LIMIT:    node allocatable (limits.cpu)
                      MEM_REQUEST:  64 (requests.memory)
                      TOKEN:        <set to the key 'token' in secret 'api-secret'>      Optional: false
                      COLOR:        <set to the key 'color' of config map 'api-config'>  Optional: true
                    Mounts:
                      /cache from cache (rw)
                      /etc/api from config (ro,path="api.conf")
                      /var/data from data (rw)
                   sidecar:
                    Image:        example/sidecar:1
                    Port:         <none>
                    Host Port:    <none>
                    Environment:  <none>
                    Mounts:       <none>
                  Volumes:
                   data:
                    Type:       PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)
                    ClaimName:  api-data
                    ReadOnly:   false
                   config:
                    Type:      ConfigMap (a volume populated by a ConfigMap)
                    Name:      api-config
                    Optional:  false
                   cache:
                    Type:       EmptyDir (a temporary directory that shares a pod's lifetime)
                    Medium:     Memory
                    SizeLimit:  1Gi
                   host:
                    Type:          HostPath (bare host directory volume)
                    Path:          /var/log
                    HostPathType:  Directory
                   creds:
                    Type:        Secret (a volume populated by a Secret)
                    SecretName:  api-secret
                    Optional:    true
                   info:
                    Type:  DownwardAPI (a volume populated by information about the pod)
                    Items:
                      metadata.labels -> labels
                      limits.cpu -> cpu
                   bundle:
                    Type:                    Projected (a volume that contains injected data from multiple sources)
                    SecretName:              api-secret

                """
            // 1.18 printed the sources' *bool Optional with %v: <nil>, or an address.
            expected += v36 ? """
                    Optional:                false
                    ConfigMapName:           api-config
                    Optional:                false

                """ : """
                    SecretOptionalName:      <nil>
                    ConfigMapName:           api-config
                    ConfigMapOptional:       0xc000a1b2c8

                """
            expected += """
                    DownwardAPI:             true
                    TokenExpirationSeconds:  3600
                   share:

                """
            // The spread constraints line joins the NFS volume's column block in 1.36.
            expected += v36 ? """
                    Type:                       NFS (an NFS mount that lasts the lifetime of a pod)
                    Server:                     nfs.example.com
                    Path:                       /exports
                    ReadOnly:                   false
                  Topology Spread Constraints:  zone:ScheduleAnyway when max skew 1 is exceeded for selector app=api
                  Node-Selectors:               disktype=ssd
                  Tolerations:                  dedicated=api:NoSchedule
                                                node.kubernetes.io/unreachable:NoExecute op=Exists for 300s

                """ : """
                    Type:      NFS (an NFS mount that lasts the lifetime of a pod)
                    Server:    nfs.example.com
                    Path:      /exports
                    ReadOnly:  false

                """
            expected += """
                Conditions:
                  Type           Status  Reason
                  ----           ------  ------
                  Available      False   MinimumReplicasUnavailable
                  Progressing    True    NewReplicaSetCreated
                OldReplicaSets:  <none>
                NewReplicaSet:   \(rs) (1/1 replicas created)
                Events:
                  Type    Reason             Age   From                   Message
                  ----    ------             ----  ----                   -------
                  Normal  ScalingReplicaSet  10s   deployment-controller  Scaled up replica set \(rs) \(v36 ? "from 0 " : "")to 1

                """
            XCTAssertEqual(describe(c, "deployment api"), expected, "\(version)")

            // Its ReplicaSet counts the pending pod as Waiting.
            XCTAssertTrue(describe(c, "rs \(rs)").contains("""
                Controlled By:  Deployment/api
                Replicas:       1 current / 1 desired
                Pods Status:    0 Running / 1 Waiting / 0 Succeeded / 0 Failed
                """), "\(version)")
        }
    }

    static let api = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: api
          labels: {app: api, tier: backend}
          annotations: {team: payments}
        spec:
          replicas: 1
          minReadySeconds: 5
          strategy: {type: Recreate}
          selector:
            matchLabels: {app: api}
            matchExpressions: [{key: tier, operator: In, values: [backend, api]}]
          template:
            metadata:
              labels: {app: api, tier: backend}
              annotations: {prometheus.io/scrape: "true"}
            spec:
              serviceAccountName: api
              initContainers:
              - name: init
                image: busybox:1.36
                command: [sh, -c, "echo one\\necho two"]
              containers:
              - name: api
                image: example/api:2.1
                args: [--port=8080, --verbose]
                ports:
                - {name: http, containerPort: 8080}
                - {containerPort: 9090, protocol: UDP}
                resources:
                  requests: {cpu: 250m, memory: 64Mi}
                  limits: {memory: 128Mi}
                livenessProbe:
                  httpGet: {path: /healthz, port: http}
                  initialDelaySeconds: 3
                readinessProbe:
                  tcpSocket: {port: 8080}
                startupProbe:
                  exec: {command: [cat, /tmp/ready]}
                envFrom:
                - configMapRef: {name: api-config}
                - secretRef: {name: api-secret, optional: true}
                  prefix: SECRET_
                env:
                - {name: MODE, value: "a\\nb"}
                - name: POD_NAME
                  valueFrom: {fieldRef: {fieldPath: metadata.name}}
                - name: CPU_LIMIT
                  valueFrom: {resourceFieldRef: {resource: limits.cpu}}
                - name: MEM_REQUEST
                  valueFrom: {resourceFieldRef: {resource: requests.memory, divisor: 1Mi}}
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: api-secret, key: token}}
                - name: COLOR
                  valueFrom: {configMapKeyRef: {name: api-config, key: color, optional: true}}
                volumeMounts:
                - {name: data, mountPath: /var/data}
                - {name: config, mountPath: /etc/api, readOnly: true, subPath: api.conf}
                - {name: cache, mountPath: /cache}
              - name: sidecar
                image: example/sidecar:1
              volumes:
              - name: data
                persistentVolumeClaim: {claimName: api-data}
              - name: config
                configMap: {name: api-config}
              - name: cache
                emptyDir: {medium: Memory, sizeLimit: 1Gi}
              - name: host
                hostPath: {path: /var/log, type: Directory}
              - name: creds
                secret: {secretName: api-secret, optional: true}
              - name: info
                downwardAPI:
                  items:
                  - {path: labels, fieldRef: {fieldPath: metadata.labels}}
                  - {path: cpu, resourceFieldRef: {containerName: api, resource: limits.cpu}}
              - name: bundle
                projected:
                  sources:
                  - secret: {name: api-secret}
                  - configMap: {name: api-config, optional: false}
                  - downwardAPI: {items: [{path: name, fieldRef: {fieldPath: metadata.name}}]}
                  - serviceAccountToken: {path: token, expirationSeconds: 3600}
              - name: share
                nfs: {server: nfs.example.com, path: /exports}
              tolerations:
              - {key: node.kubernetes.io/unreachable, operator: Exists, effect: NoExecute, tolerationSeconds: 300}
              - {key: dedicated, operator: Equal, value: api, effect: NoSchedule}
              nodeSelector: {disktype: ssd}
              topologySpreadConstraints:
              - {maxSkew: 1, topologyKey: zone, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: api}}}
        """

    // MARK: ReplicaSet

    /// A Deployment's ReplicaSets after a rollout: the new one with its running pods, the old
    /// one scaled to nothing with its deletions. `Selector` is `FormatLabelSelector`.
    func testDescribeReplicaSet() throws {
        for version in KubernetesVersion.allCases {
            let c = try webCluster(version)
            _ = c.kubectl(["set", "image", "deployment/web", "nginx=nginx:1.16"])
            c.run(for: .seconds(60))
            let sets = replicaSets(c)
            guard sets.count == 2 else { return XCTFail("\(version): \(sets.count) ReplicaSets") }
            let (old, new) = (sets[0].name, sets[1].name)
            let pad = version == .v1_36 ? " " : ""
            func text(_ name: String, _ revision: Int, image: String, replicas: Int) -> String {
                let hash = String(name.dropFirst("web-".count))
                return """
                    Name:           \(name)
                    Namespace:      default
                    Selector:       app=web,pod-template-hash=\(hash)
                    Labels:         app=web
                                    pod-template-hash=\(hash)
                    Annotations:    deployment.kubernetes.io/desired-replicas: 2
                                    deployment.kubernetes.io/max-replicas: 3
                                    deployment.kubernetes.io/revision: \(revision)
                    Controlled By:  Deployment/web
                    Replicas:       \(replicas) current / \(replicas) desired
                    Pods Status:    \(replicas) Running / 0 Waiting / 0 Succeeded / 0 Failed
                    Pod Template:
                      Labels:  app=web
                               pod-template-hash=\(hash)
                      Containers:
                       nginx:
                        Image:        \(pad)\(image)
                        Port:         \(pad)<none>
                        Host Port:    \(pad)<none>
                        Environment:  \(pad)<none>
                        Mounts:       \(pad)<none>
                      Volumes:        \(pad)<none>

                    """ + (version == .v1_36 ? "  Node-Selectors:  <none>\n  Tolerations:     <none>\n" : "")
            }
            let created = messages(c, about: old, reason: "SuccessfulCreate")
            let deleted = messages(c, about: old, reason: "SuccessfulDelete")
            guard created.count == 2, deleted.count == 2 else { return XCTFail("\(version): \(created), \(deleted)") }
            XCTAssertEqual(describe(c, "rs \(old)"), text(old, 1, image: "nginx:1.15", replicas: 0) + """
                Events:
                  Type    Reason            Age   From                   Message
                  ----    ------            ----  ----                   -------
                  Normal  SuccessfulCreate  90s   replicaset-controller  \(created[0])
                  Normal  SuccessfulCreate  90s   replicaset-controller  \(created[1])
                  Normal  SuccessfulDelete  58s   replicaset-controller  \(deleted[0])
                  Normal  SuccessfulDelete  55s   replicaset-controller  \(deleted[1])

                """, "\(version)")
            let pods = c.pods().sorted { ($0.creationTimestamp?.nanos ?? 0) < ($1.creationTimestamp?.nanos ?? 0) }.map(\.name)
            guard pods.count == 2 else { return XCTFail("\(version): pods \(pods)") }
            XCTAssertEqual(describe(c, "rs \(new)"), text(new, 2, image: "nginx:1.16", replicas: 2) + """
                Events:
                  Type    Reason            Age   From                   Message
                  ----    ------            ----  ----                   -------
                  Normal  SuccessfulCreate  60s   replicaset-controller  Created pod: \(pods[0])
                  Normal  SuccessfulCreate  58s   replicaset-controller  Created pod: \(pods[1])

                """, "\(version)")
        }
    }

    /// A ReplicaSet nothing controls has no `Controlled By` line.
    func testDescribeBareReplicaSet() throws {
        let c = try cluster(.v1_36)
        c.applyOK("""
            apiVersion: apps/v1
            kind: ReplicaSet
            metadata: {name: front}
            spec:
              replicas: 1
              selector: {matchExpressions: [{key: app, operator: Exists}]}
              template:
                metadata: {labels: {app: front}}
                spec:
                  containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]
            """)
        c.run(for: .seconds(5))
        let pod = try XCTUnwrap(c.pods().first).name
        XCTAssertEqual(describe(c, "rs front"), """
            Name:         front
            Namespace:    default
            Selector:     app
            Labels:       <none>
            Annotations:  <none>
            Replicas:     1 current / 1 desired
            Pods Status:  1 Running / 0 Waiting / 0 Succeeded / 0 Failed
            Pod Template:
              Labels:  app=front
              Containers:
               c:
                Image:         nginx
                Port:          80/TCP
                Host Port:     0/TCP
                Environment:   <none>
                Mounts:        <none>
              Volumes:         <none>
              Node-Selectors:  <none>
              Tolerations:     <none>
            Events:
              Type    Reason            Age   From                   Message
              ----    ------            ----  ----                   -------
              Normal  SuccessfulCreate  5s    replicaset-controller  Created pod: \(pod)

            """)
    }

    // MARK: DaemonSet

    /// minikube's kube-proxy: 1.18 printed no Namespace; the node-count lines have no tab, so
    /// `Pods Status` aligns on its own; 1.36 shows the template's node selector and
    /// tolerations (the operator-only one sorts first, its key being empty).
    func testDescribeDaemonSetKubeProxy() throws {
        for version in KubernetesVersion.allCases {
            let c = try cluster(version, systemDaemonSets: true)
            c.run(for: .seconds(20))
            guard case .success(let ds) = c.request(.get, "daemonsets", namespace: "kube-system", name: "kube-proxy") else {
                return XCTFail("no kube-proxy")
            }
            let created = messages(c, about: ds.name, reason: "SuccessfulCreate", namespace: "kube-system")
            guard created.count == 2 else { return XCTFail("\(version): \(created)") }
            var expected = "Name:           kube-proxy\n"
            if version == .v1_36 { expected += "Namespace:      kube-system\n" }
            expected += """
                Selector:       k8s-app=kube-proxy
                Node-Selector:  kubernetes.io/os=linux
                Labels:         k8s-app=kube-proxy
                Annotations:    deprecated.daemonset.template.generation: 1
                Desired Number of Nodes Scheduled: 2
                Current Number of Nodes Scheduled: 2
                Number of Nodes Scheduled with Up-to-date Pods: 2
                Number of Nodes Scheduled with Available Pods: 2
                Number of Nodes Misscheduled: 0
                Pods Status:  2 Running / 0 Waiting / 0 Succeeded / 0 Failed
                Pod Template:
                  Labels:           k8s-app=kube-proxy
                  Service Account:  kube-proxy
                  Containers:
                   kube-proxy:
                    Image:      registry.k8s.io/kube-proxy:\(version.gitVersion)
                    Port:       <none>
                    Host Port:  <none>
                    Command:
                      /usr/local/bin/kube-proxy
                      --config=/var/lib/kube-proxy/config.conf
                      --hostname-override=$(NODE_NAME)
                    Environment:        <none>
                    Mounts:             <none>
                  Volumes:              <none>
                  Priority Class Name:  system-node-critical

                """
            if version == .v1_36 {
                expected += """
                      Node-Selectors:       kubernetes.io/os=linux
                      Tolerations:          op=Exists
                                            CriticalAddonsOnly op=Exists

                    """
            }
            expected += """
                Events:
                  Type    Reason            Age   From                  Message
                  ----    ------            ----  ----                  -------
                  Normal  SuccessfulCreate  20s   daemonset-controller  \(created[0])
                  Normal  SuccessfulCreate  20s   daemonset-controller  \(created[1])

                """
            XCTAssertEqual(describe(c, "ds kube-proxy -n kube-system"), expected, "\(version)")
        }
    }

    /// kindnet's resources: the limits align alone; the requests share a block with the lines
    /// after them. 1.36 prints its effect-only toleration as `:NoSchedule op=Exists`.
    func testDescribeDaemonSetKindnetTemplate() throws {
        let c = try cluster(.v1_36, systemDaemonSets: true)
        c.run(for: .seconds(20))
        let text = describe(c, "ds kindnet -n kube-system --show-events=false")
        XCTAssertTrue(text.hasSuffix("""
            Pod Template:
              Labels:           app=kindnet
                                k8s-app=kindnet
                                tier=node
              Service Account:  kindnet
              Containers:
               kindnet-cni:
                Image:      kindest/kindnetd:0.5.4
                Port:       <none>
                Host Port:  <none>
                Limits:
                  cpu:     100m
                  memory:  50Mi
                Requests:
                  cpu:         100m
                  memory:      50Mi
                Environment:   <none>
                Mounts:        <none>
              Volumes:         <none>
              Node-Selectors:  <none>
              Tolerations:     :NoSchedule op=Exists

            """), text)
    }

    // MARK: The helpers the pod describer shares

    /// Containers with statuses, as the pod describer shows them: IDs, state, last state,
    /// readiness and restarts; `fieldRef` values come from the pod for name and namespace only.
    func testContainersWithStatuses() throws {
        let pod = try JSON.parse("""
            {"metadata": {"name": "p", "namespace": "ns"},
             "spec": {"containers": [
               {"name": "a", "image": "nginx", "env": [
                 {"name": "N", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "metadata.name"}}},
                 {"name": "IP", "valueFrom": {"fieldRef": {"apiVersion": "v1", "fieldPath": "status.podIP"}}}]},
               {"name": "b", "image": "busybox", "volumeDevices": [{"name": "d", "devicePath": "/dev/x"}]}]},
             "status": {"containerStatuses": [
               {"name": "a", "containerID": "containerd://abc", "imageID": "docker.io/library/nginx@sha256:1",
                "ready": true, "restartCount": 2,
                "state": {"running": {"startedAt": "2024-01-01T00:01:00Z"}},
                "lastState": {"terminated": {"exitCode": 137, "signal": 9, "reason": "OOMKilled",
                  "startedAt": "2024-01-01T00:00:00Z", "finishedAt": "2024-01-01T00:00:30Z"}}},
               {"name": "b", "containerID": "", "imageID": "", "ready": false, "restartCount": 0, "state": {}}]}}
            """)
        var w = DescribeWriter(version: .v1_36)
        Describe.containers(&w, label: "Containers", pod["spec", "containers"].array ?? [],
                            statuses: pod["status", "containerStatuses"].array, space: "",
                            resolve: Describe.envValueRetriever(pod))
        // b's devices take the mounts' "<none>" into their title, as upstream's do.
        XCTAssertEqual(w.finish(), """
            Containers:
              a:
                Container ID:   containerd://abc
                Image:          nginx
                Image ID:       docker.io/library/nginx@sha256:1
                Port:           <none>
                Host Port:      <none>
                State:          Running
                  Started:      Mon, 01 Jan 2024 00:01:00 +0000
                Last State:     Terminated
                  Reason:       OOMKilled
                  Exit Code:    137
                  Signal:       9
                  Started:      Mon, 01 Jan 2024 00:00:00 +0000
                  Finished:     Mon, 01 Jan 2024 00:00:30 +0000
                Ready:          True
                Restart Count:  2
                Environment:
                  N:     p (v1:metadata.name)
                  IP:     (v1:status.podIP)
                Mounts:  <none>
              b:
                Container ID:   
                Image:          busybox
                Image ID:       
                Port:           <none>
                Host Port:      <none>
                State:          Waiting
                Ready:          False
                Restart Count:  0
                Environment:    <none>
                Mounts:         <none>
                Devices:        <none>
                  /dev/x from d

            """)
    }

    /// `DescribeProbe`'s URL is Go's `url.URL.String()`; 1.18 had no gRPC probes.
    func testProbes() throws {
        func probe(_ json: String, _ version: KubernetesVersion = .v1_36) throws -> String {
            Describe.probe(try JSON.parse(json), version: version)
        }
        let timing = #""timeoutSeconds": 1, "periodSeconds": 10, "successThreshold": 1, "failureThreshold": 3"#
        XCTAssertEqual(try probe(#"{"httpGet": {"host": "fe80::1", "port": 80, "path": "/a b?c", "scheme": "HTTPS"}, \#(timing)}"#),
                       "http-get https://[fe80::1]:80/a%20b%3Fc delay=0s timeout=1s period=10s #success=1 #failure=3")
        XCTAssertEqual(try probe(#"{"httpGet": {"port": 8080, "path": "healthz", "scheme": "HTTP"}}"#),
                       "http-get http://:8080/healthz delay=0s timeout=0s period=0s #success=0 #failure=0")
        XCTAssertEqual(try probe(#"{"grpc": {"port": 9000}, \#(timing)}"#),
                       "grpc <pod>:9000  delay=0s timeout=1s period=10s #success=1 #failure=3")
        XCTAssertEqual(try probe(#"{"grpc": {"port": 9000, "service": "health"}, \#(timing)}"#, .v1_18),
                       "unknown delay=0s timeout=1s period=10s #success=1 #failure=3")
        XCTAssertEqual(try probe(#"{"tcpSocket": {"host": "db", "port": "pg"}, "initialDelaySeconds": 5}"#),
                       "tcp-socket db:pg delay=5s timeout=0s period=0s #success=0 #failure=0")
    }

    /// Tolerations: 1.18 printed an operator-only toleration as nothing at all.
    func testTolerations() throws {
        let tolerations = try XCTUnwrap(try JSON.parse("""
            [{"key": "b", "operator": "Exists"}, {"operator": "Exists"},
             {"key": "a", "operator": "Equal", "value": "1", "effect": "NoExecute", "tolerationSeconds": 30}]
            """).array)
        var w18 = DescribeWriter(version: .v1_18), w36 = DescribeWriter(version: .v1_36)
        Describe.tolerations(&w18, "Tolerations", tolerations)
        Describe.tolerations(&w36, "Tolerations", tolerations)
        XCTAssertEqual(w18.finish(), "Tolerations:  \n              a=1:NoExecute for 30s\n              b\n")
        XCTAssertEqual(w36.finish(), "Tolerations:  op=Exists\n              a=1:NoExecute for 30s\n              b op=Exists\n")
    }

    /// Volume types beyond the common ones, and 1.36's ephemeral volume, whose claim is printed
    /// through a nested writer that indents even its `<none>`.
    func testOtherVolumes() throws {
        let volumes = try XCTUnwrap(try JSON.parse("""
            [{"name": "c", "csi": {"driver": "d.example.com", "volumeAttributes": {"b": "2", "a": "1"}}},
             {"name": "i", "iscsi": {"targetPortal": "10.0.0.1:3260", "iqn": "iqn.x", "lun": 0, "portals": ["p1", "p2"],
                                     "secretRef": {"name": "chap"}}},
             {"name": "e", "ephemeral": {"volumeClaimTemplate": {"spec": {"storageClassName": "fast"}}}}]
            """).array)
        var w = DescribeWriter(version: .v1_36)
        Describe.volumes(&w, volumes, space: "")
        XCTAssertEqual(w.finish(), """
            Volumes:
              c:
                Type:              CSI (a Container Storage Interface (CSI) volume source)
                Driver:            d.example.com
                FSType:            
                ReadOnly:          false
                VolumeAttributes:      a=1
                                       b=2
              i:
                Type:               ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)
                TargetPortal:       10.0.0.1:3260
                IQN:                iqn.x
                Lun:                0
                ISCSIInterface      
                FSType:             
                ReadOnly:           false
                Portals:            [p1 p2]
                DiscoveryCHAPAuth:  false
                SessionCHAPAuth:    false
                SecretRef:          &{chap}
                InitiatorName:      <none>
              e:
                Type:          EphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)
                StorageClass:  fast
                Volume:        
                Labels:            <none>
                Annotations:       <none>
                Capacity:      
                Access Modes:  

            """)
        var w18 = DescribeWriter(version: .v1_18)
        Describe.volumes(&w18, [["name": "e", "ephemeral": .emptyObject]], space: "")
        XCTAssertEqual(w18.finish(), "Volumes:\n  e:\n  <unknown>\n")
    }

    func testGoFormatting() {
        XCTAssertEqual(GoValue.goQuote("a\"b\\c\td\u{1}é"), #""a\"b\\c\td\x01é""#)
        let container: JSON = ["resources": ["limits": ["cpu": "1500m", "memory": "1Gi"]]]
        XCTAssertEqual(Describe.containerResourceValue(["resource": "limits.cpu", "divisor": "1"], container), "2")
        XCTAssertEqual(Describe.containerResourceValue(["resource": "limits.cpu", "divisor": "1m"], container), "1500")
        XCTAssertEqual(Describe.containerResourceValue(["resource": "limits.memory", "divisor": "1Mi"], container), "1024")
        XCTAssertEqual(Describe.containerResourceValue(["resource": "requests.memory"], container), "0")
        XCTAssertNil(Describe.containerResourceValue(["resource": "limits.gpu"], container))
        // Past Int64 does not trap: ParseQuantity caps a binary-SI amount at MaxInt64, and the
        // quotient, 2^63 as a float64, converts to MinInt64 on amd64.
        let huge: JSON = ["resources": ["limits": ["memory": "100Ei"]]]
        XCTAssertEqual(Describe.containerResourceValue(["resource": "limits.memory"], huge), "-9223372036854775808")
    }

    /// Objects missing everything, or holding values no API server would store, still
    /// describe, without a crash.
    func testOddObjects() throws {
        let quantities: [JSON] = ["1e2147483647", "1e-2147483648", "-1", "100E", "100Ei", "-9223372036854775808",
                                  "0.000000000001", .int(Int.max), .int(Int.min), 1e300, -0.5, "", "x", .null, true, ["1"]]
        // Int64 nanoseconds span 1677-09-21 to 2262-04-11.
        let timestamps: [JSON] = ["1678-01-01T00:00:00Z", "0002-01-01T00:00:00Z", "3000-01-01T00:00:00Z",
                                  "1678-01-01T00:00:00.999999999+23:59", "2261-12-31T23:59:59.999999999-23:59",
                                  "", "2024-13-45T99:99:99Z", 5, .null, ["t"]]
        func container(_ q: JSON, _ t: JSON) -> JSON {
            let list: JSON = ["cpu": q, "memory": q, "ephemeral-storage": q, "hugepages-2Mi": q, "": q]
            let resources = ["limits.cpu", "limits.memory", "requests.ephemeral-storage", "limits.hugepages-2Mi", "limits.", ".", ""]
            let env: [JSON] = resources.map {
                ["name": "E", "valueFrom": ["resourceFieldRef": ["resource": .string($0), "divisor": q]]]
            } + [["name": 5, "value": q], ["valueFrom": ["fieldRef": ["fieldPath": t]]], ["valueFrom": 5], .null,
                 ["valueFrom": ["secretKeyRef": ["optional": q]]]]
            let probe: JSON = ["initialDelaySeconds": .int(Int.max), "timeoutSeconds": .int(Int.min), "periodSeconds": q,
                               "httpGet": ["port": q, "host": "::1", "path": "%zz", "scheme": 5]]
            return [
                "name": "c", "image": q, "resources": ["limits": list, "requests": list, "claims": q],
                "ports": [["containerPort": .int(Int.max), "hostPort": .int(Int.min), "protocol": 5, "name": q], 5],
                "command": [q, "a\nb", .null], "args": q, "env": .array(env), "envFrom": [["prefix": q], 5, ["secretRef": q]],
                "livenessProbe": probe, "readinessProbe": ["tcpSocket": ["port": ["x": 1]]], "startupProbe": ["grpc": ["port": q]],
                "volumeMounts": [["mountPath": q, "subPath": "\u{1}\u{85}"], 5], "volumeDevices": [5, ["devicePath": q]],
                "securityContext": ["seccompProfile": ["type": "Localhost", "localhostProfile": q]],
            ]
        }
        func template(_ q: JSON, _ t: JSON) -> JSON {
            [
                "metadata": ["labels": ["a": q, "b": .null], "annotations": ["a": q, "b": "x\n\n"], "creationTimestamp": t],
                "spec": [
                    "containers": [container(q, t), 5, .null, .emptyObject], "initContainers": [container(q, t)],
                    "volumes": [
                        ["name": "e", "emptyDir": ["sizeLimit": q]], ["name": "f", "fc": ["lun": q, "targetWWNs": q]],
                        ["name": "p", "projected": ["sources": [["secret": ["optional": q]],
                                                                ["serviceAccountToken": ["expirationSeconds": q]], 5]]],
                        ["name": "d", "downwardAPI": ["items": [["resourceFieldRef": ["divisor": q]], 5]]],
                        ["name": "v", "ephemeral": ["volumeClaimTemplate": ["metadata": ["labels": q, "annotations": ["a": q]],
                                                                            "spec": ["dataSource": .emptyObject, "volumeName": q]]]],
                        ["name": "c", "csi": ["volumeAttributes": ["a": q]]], ["name": "u", "hostPath": 5], 5,
                    ],
                    "tolerations": [["tolerationSeconds": q, "operator": "Exists"], ["tolerationSeconds": .int(Int.min)], 5],
                    "topologySpreadConstraints": [["maxSkew": q, "labelSelector": q], 5],
                    "nodeSelector": ["a": q], "priorityClassName": q, "schedulingGroup": ["podGroupName": q],
                ],
            ]
        }
        var objects: [JSON] = [.null, .emptyObject, ["spec": ["template": 5, "selector": "x", "replicas": "two"]]]
        // Each quantity once, with the timestamps in turn.
        for (q, t) in zip(quantities, timestamps + timestamps) {
            objects.append([
                "metadata": [
                    "name": q, "namespace": "default", "uid": q, "creationTimestamp": t, "labels": ["a": q], "annotations": q,
                    "ownerReferences": [["controller": true, "kind": q, "name": t], ["controller": q]],
                ],
                "spec": [
                    "replicas": q, "minReadySeconds": q,
                    "selector": ["matchLabels": ["a": q], "matchExpressions": [["key": q, "operator": "In", "values": q]]],
                    "strategy": ["type": q, "rollingUpdate": ["maxUnavailable": q, "maxSurge": t]], "template": template(q, t),
                ],
                "status": [
                    "replicas": q, "updatedReplicas": .int(Int.max), "availableReplicas": .int(Int.min), "desiredNumberScheduled": q,
                    "conditions": [["type": q, "status": t, "lastTransitionTime": t], 5],
                ],
            ])
        }
        for version in [KubernetesVersion.v1_18, .v1_36] {
            let c = try cluster(version)
            for object in objects {
                XCTAssertTrue(c.describeDeployment(object, showEvents: true).hasPrefix("Name:"))
                XCTAssertTrue(c.describeReplicaSet(object, showEvents: true).hasPrefix("Name:"))
                XCTAssertTrue(c.describeDaemonSet(object, showEvents: true).hasPrefix("Name:"))
            }
        }
    }

    // MARK: Support

    private func cluster(_ version: KubernetesVersion, systemDaemonSets: Bool = false) throws -> Cluster {
        let config = #"{"nodes": 2, "systemDaemonSets": \#(systemDaemonSets), "kubernetesVersion": "\#(version.rawValue)"}"#
        return Cluster(config: try ClusterConfig.parse(JSON.parse(config)).get())
    }

    /// `Cluster.withWebDeployment` in either version.
    private func webCluster(_ version: KubernetesVersion, replicas: Int = 2) throws -> Cluster {
        try Cluster.withWebDeployment(version: version, replicas: replicas)
    }

    private func describe(_ c: Cluster, _ command: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        let result = c.kubectl(["describe"] + command.split(separator: " ").map(String.init))
        XCTAssertEqual(result.stderr, "", file: file, line: line)
        return result.stdout
    }

    /// The namespace's ReplicaSets, oldest first.
    private func replicaSets(_ c: Cluster) -> [JSON] {
        guard case .success(let list) = c.request(.list, "replicasets", namespace: "default") else { return [] }
        return (list["items"].array ?? []).sorted { ($0.creationTimestamp?.nanos ?? 0) < ($1.creationTimestamp?.nanos ?? 0) }
    }

    /// The messages of an object's events of one reason, in the API's order.
    private func messages(_ c: Cluster, about name: String, reason: String, namespace: String = "default") -> [String] {
        c.eventList(namespace: namespace).filter { $0["involvedObject", "name"].string == name && $0["reason"].string == reason }
            .compactMap { $0["message"].string }
    }
}
