import XCTest
@testable import KubeSim

/// The seed's manifests (shared/seed/kubernetes-overview.en.md).
enum Seed {
    static let nginxDeployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx-deployment
        spec:
          replicas: 3
          selector:
            matchLabels:
              app: nginx-pod
          template:
            metadata:
              labels:
                app: nginx-pod
            spec:
              containers:
                - name: nginx
                  image: nginx:1.15
                  ports:
                    - containerPort: 80
        """

    static func nginx(replicas: Int) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx
          labels:
            app: nginx
        spec:
          replicas: \(replicas)
          selector:
            matchLabels:
              app: nginx
          template:
            metadata:
              labels:
                app: nginx
            spec:
              containers:
              - name: nginx
                image: nginx
        """
    }

    static func labelPods(bApp: String) -> String {
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: nginx-pod-a
          labels:
            env: test
            app: photo-view
        spec:
          containers:
          - image: nginx
            name: photoview-container
        ---
        apiVersion: v1
        kind: Pod
        metadata:
          name: nginx-pod-b
          labels:
            env: test
            app: \(bApp)
        spec:
          containers:
          - image: nginx
            name: photoview-container
        """
    }

    static let webserver = """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: webserver
        spec:
          replicas: 10
          selector:
            matchLabels:
              app: webfront
          template:
            metadata:
              labels:
                app: webfront
            spec:
              containers:
              - image: nginx
                name: webfront-container
                ports:
                  - containerPort: 80
        """
}

extension Cluster {
    /// Two nodes without the system DaemonSets, and Deployment `web` (label `app=web`, 2
    /// replicas of nginx:1.15) Running 30 s later: where the kubectl command tests start.
    static func withWebDeployment(version: KubernetesVersion = .v1_18, replicas: Int = 2) throws -> Cluster {
        let c = Cluster(config: try ClusterConfig.parse(JSON.parse(
            #"{"nodes": 2, "systemDaemonSets": false, "kubernetesVersion": "\#(version.rawValue)"}"#)).get())
        c.applyOK("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, labels: {app: web}}
            spec:
              replicas: \(replicas)
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers: [{name: nginx, image: "nginx:1.15"}]
            """)
        c.run(for: .seconds(30))
        return c
    }

    static func seedCluster(seed: UInt64 = 1, version: KubernetesVersion = .v1_18) -> Cluster {
        var config = ClusterConfig()
        config.seed = seed
        config.version = version
        return Cluster(config: config)
    }

    func pods(_ selector: String? = nil, namespace: String = "default") -> [JSON] {
        let r = request(.list, "pods", namespace: namespace) { $0.labelSelector = selector }
        guard case .success(let list) = r else { return [] }
        return list["items"].array ?? []
    }

    func eventList(namespace: String = "default") -> [JSON] {
        events(since: 0, namespace: namespace).items
    }

    func get(_ resource: String, _ name: String, namespace: String? = "default") -> JSON? {
        if case .success(let o) = request(.get, resource, namespace: namespace, name: name) { return o }
        return nil
    }

    @discardableResult
    func applyOK(_ yaml: String, file: StaticString = #filePath, line: UInt = #line) -> [String] {
        switch apply(manifests: yaml) {
        case .failure(let e):
            XCTFail("apply failed: \(e.message)", file: file, line: line)
            return []
        case .success(let results):
            for r in results where r.error != nil { XCTFail("apply item failed: \(r.output)", file: file, line: line) }
            return results.map(\.output)
        }
    }
}

extension Message {
    /// The request the message carries, if it is one.
    var carriedRequest: APIRequest? {
        if case .request(let box) = self { return box.request }
        return nil
    }
}
