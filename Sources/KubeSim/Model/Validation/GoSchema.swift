/// The Go types behind the JSON of the kinds kubesim validates (`k8s.io/api/core/v1`,
/// `apps/v1`, `coordination/v1`, `policy/v1`, `meta/v1`), as far as decoding needs them: which member
/// holds which Go type, so a mistyped member fails as `json.Unmarshal` fails in the API
/// server. Members not listed are accepted as they are.
indirect enum GoType: Sendable {
    /// A string, or a named string type (`v1.Protocol`).
    case string(String)
    case int32, int64, bool
    /// `resource.Quantity` (string or number; parsed by its `UnmarshalJSON`).
    case quantity
    /// `intstr.IntOrString`.
    case intOrString
    /// `metav1.Time` / `metav1.MicroTime` (RFC 3339 strings); `pointer` for `*metav1.Time`.
    /// A value's zero marshals as `null`, so Go writes a null one back; a nil pointer is
    /// left out (`omitempty`).
    case time(String, pointer: Bool = false)
    /// `[]byte`, base64 in JSON.
    case bytes
    /// `map[string]T`, with the Go name of the map type.
    case map(GoType, String)
    /// `[]T`, with the Go name of the slice type.
    case list(GoType, String)
    case object(GoStruct)
    /// A struct whose members are not modelled: only that it is an object is checked.
    case opaque(String)

    /// `reflect.Type.String()`, as `UnmarshalTypeError` prints it.
    var goName: String {
        switch self {
        case .string(let n): return n
        case .int32: return "int32"
        case .int64: return "int64"
        case .bool: return "bool"
        case .quantity: return "resource.Quantity"
        case .intOrString: return "intstr.IntOrString"
        case .time(let n, _): return n
        case .bytes: return "[]uint8"
        case .map(_, let n), .list(_, let n): return n
        case .object(let s): return s.package + "." + s.name
        case .opaque(let n): return n
        }
    }
}

/// A Go struct: its name (the `Struct` of `UnmarshalTypeError`) and its JSON members.
struct GoStruct: Sendable {
    let name: String
    let package: String
    let fields: [String: GoType]
    /// The members whose JSON tag has no `omitempty` (`json:"name"`): Go writes them even
    /// when zero. Every other member is `omitempty`, as nearly all of Kubernetes' are.
    let required: Set<String>

    init(_ name: String, package: String = "v1", _ fields: [String: GoType], required: Set<String> = []) {
        self.name = name
        self.package = package
        self.fields = fields
        self.required = required
    }
}

/// The schemas, by kind.
enum GoSchema {
    /// The root struct of `kind`'s body; built once (the schemas are constant).
    static func root(kind: String) -> GoStruct? {
        switch kind {
        case "Pod": return pod
        case "Deployment": return deployment
        case "ReplicaSet": return replicaSet
        case "DaemonSet": return daemonSet
        case "Service": return service
        case "Node": return node
        case "Namespace": return namespace
        case "ConfigMap": return configMap
        case "Secret": return secret
        case "Lease": return lease
        case "Event": return event
        case "PodDisruptionBudget": return podDisruptionBudget
        default: return nil
        }
    }

    private static let pod = GoStruct("Pod", ["metadata": objectMeta, "spec": .object(podSpec)])
    private static let deployment = GoStruct("Deployment", ["metadata": objectMeta, "spec": .object(deploymentSpec)])
    private static let replicaSet = GoStruct("ReplicaSet", ["metadata": objectMeta, "spec": .object(replicaSetSpec)])
    private static let daemonSet = GoStruct("DaemonSet", ["metadata": objectMeta, "spec": .object(daemonSetSpec)])
    private static let service = GoStruct("Service", ["metadata": objectMeta, "spec": .object(serviceSpec)])
    private static let node = GoStruct("Node", ["metadata": objectMeta, "spec": .object(nodeSpec),
                                                "status": .object(nodeStatus)])
    private static let namespace = GoStruct("Namespace", [
        "metadata": objectMeta,
        "spec": .object(GoStruct("NamespaceSpec", ["finalizers": .list(.string("v1.FinalizerName"),
                                                                       "[]v1.FinalizerName")])),
        "status": .object(GoStruct("NamespaceStatus", ["phase": .string("v1.NamespacePhase")])),
    ])
    private static let configMap = GoStruct("ConfigMap", [
        "metadata": objectMeta, "data": stringMap, "binaryData": .map(.bytes, "map[string][]uint8"), "immutable": .bool,
    ])
    private static let secret = GoStruct("Secret", [
        "metadata": objectMeta, "data": .map(.bytes, "map[string][]uint8"), "stringData": stringMap,
        "type": .string("v1.SecretType"), "immutable": .bool,
    ])
    private static let lease = GoStruct("Lease", ["metadata": objectMeta, "spec": .object(leaseSpec)])
    private static let podDisruptionBudget = GoStruct("PodDisruptionBudget", [
        "metadata": objectMeta,
        "spec": .object(GoStruct("PodDisruptionBudgetSpec", [
            "minAvailable": .intOrString, "maxUnavailable": .intOrString, "selector": labelSelector,
            "unhealthyPodEvictionPolicy": .string("v1.UnhealthyPodEvictionPolicyType"),
        ])),
    ])

    static let stringMap = GoType.map(.string("string"), "map[string]string")
    static let stringList = GoType.list(.string("string"), "[]string")
    static let resourceList = GoType.map(.quantity, "v1.ResourceList")

    static let objectMeta = GoType.object(GoStruct("ObjectMeta", [
        "name": .string("string"), "generateName": .string("string"), "namespace": .string("string"),
        "uid": .string("types.UID"), "resourceVersion": .string("string"), "generation": .int64,
        "creationTimestamp": .time("v1.Time"), "deletionTimestamp": .time("v1.Time", pointer: true),
        "deletionGracePeriodSeconds": .int64, "labels": stringMap, "annotations": stringMap,
        "ownerReferences": .list(.object(GoStruct("OwnerReference", [
            "apiVersion": .string("string"), "kind": .string("string"), "name": .string("string"),
            "uid": .string("types.UID"), "controller": .bool, "blockOwnerDeletion": .bool,
        ], required: ["apiVersion", "kind", "name", "uid"])), "[]v1.OwnerReference"),
        "finalizers": stringList,
    ]))

    static let labelSelector = GoType.object(GoStruct("LabelSelector", [
        "matchLabels": stringMap,
        "matchExpressions": .list(.object(GoStruct("LabelSelectorRequirement", [
            "key": .string("string"), "operator": .string("v1.LabelSelectorOperator"), "values": stringList,
        ], required: ["key", "operator"])), "[]v1.LabelSelectorRequirement"),
    ]))

    static let podTemplateSpec = GoType.object(GoStruct("PodTemplateSpec", ["metadata": objectMeta,
                                                                            "spec": .object(podSpec)]))

    static let deploymentSpec = GoStruct("DeploymentSpec", [
        "replicas": .int32, "selector": labelSelector, "template": podTemplateSpec,
        "strategy": .object(GoStruct("DeploymentStrategy", [
            "type": .string("v1.DeploymentStrategyType"),
            "rollingUpdate": .object(GoStruct("RollingUpdateDeployment", [
                "maxUnavailable": .intOrString, "maxSurge": .intOrString,
            ])),
        ])),
        "minReadySeconds": .int32, "revisionHistoryLimit": .int32, "paused": .bool, "progressDeadlineSeconds": .int32,
    ], required: ["selector", "template"])

    static let replicaSetSpec = GoStruct("ReplicaSetSpec", [
        "replicas": .int32, "minReadySeconds": .int32, "selector": labelSelector, "template": podTemplateSpec,
    ], required: ["selector"])

    static let daemonSetSpec = GoStruct("DaemonSetSpec", [
        "selector": labelSelector, "template": podTemplateSpec,
        "updateStrategy": .object(GoStruct("DaemonSetUpdateStrategy", [
            "type": .string("v1.DaemonSetUpdateStrategyType"),
            "rollingUpdate": .object(GoStruct("RollingUpdateDaemonSet", [
                "maxUnavailable": .intOrString, "maxSurge": .intOrString,
            ])),
        ])),
        "minReadySeconds": .int32, "revisionHistoryLimit": .int32,
    ], required: ["selector", "template"])

    static let probe = GoType.object(GoStruct("Probe", [
        "initialDelaySeconds": .int32, "timeoutSeconds": .int32, "periodSeconds": .int32,
        "successThreshold": .int32, "failureThreshold": .int32, "terminationGracePeriodSeconds": .int64,
        "exec": .object(GoStruct("ExecAction", ["command": stringList])),
        "httpGet": .object(GoStruct("HTTPGetAction", [
            "path": .string("string"), "port": .intOrString, "host": .string("string"), "scheme": .string("v1.URIScheme"),
        ], required: ["port"])),
        "tcpSocket": .object(GoStruct("TCPSocketAction", ["port": .intOrString, "host": .string("string")],
                                      required: ["port"])),
        "grpc": .object(GoStruct("GRPCAction", ["port": .int32], required: ["port"])),
    ]))

    static let container = GoType.object(GoStruct("Container", [
        "name": .string("string"), "image": .string("string"), "command": stringList, "args": stringList,
        "workingDir": .string("string"),
        "ports": .list(.object(GoStruct("ContainerPort", [
            "name": .string("string"), "hostPort": .int32, "containerPort": .int32,
            "protocol": .string("v1.Protocol"), "hostIP": .string("string"),
        ], required: ["containerPort"])), "[]v1.ContainerPort"),
        "env": .list(.object(GoStruct("EnvVar", [
            "name": .string("string"), "value": .string("string"), "valueFrom": .opaque("v1.EnvVarSource"),
        ], required: ["name"])), "[]v1.EnvVar"),
        "resources": .object(GoStruct("ResourceRequirements", ["limits": resourceList, "requests": resourceList])),
        "volumeMounts": .list(.object(GoStruct("VolumeMount", [
            "name": .string("string"), "readOnly": .bool, "mountPath": .string("string"), "subPath": .string("string"),
        ], required: ["name", "mountPath"])), "[]v1.VolumeMount"),
        "livenessProbe": probe, "readinessProbe": probe, "startupProbe": probe,
        "lifecycle": .opaque("v1.Lifecycle"), "securityContext": .opaque("v1.SecurityContext"),
        "terminationMessagePath": .string("string"),
        "terminationMessagePolicy": .string("v1.TerminationMessagePolicy"),
        "imagePullPolicy": .string("v1.PullPolicy"), "stdin": .bool, "stdinOnce": .bool, "tty": .bool,
        "restartPolicy": .string("v1.ContainerRestartPolicy"),
    ], required: ["name"]))

    static let toleration = GoType.object(GoStruct("Toleration", [
        "key": .string("string"), "operator": .string("v1.TolerationOperator"), "value": .string("string"),
        "effect": .string("v1.TaintEffect"), "tolerationSeconds": .int64,
    ]))

    static let topologySpreadConstraint = GoType.object(GoStruct("TopologySpreadConstraint", [
        "maxSkew": .int32, "topologyKey": .string("string"),
        "whenUnsatisfiable": .string("v1.UnsatisfiableConstraintAction"), "labelSelector": labelSelector,
        "minDomains": .int32, "nodeAffinityPolicy": .string("v1.NodeInclusionPolicy"),
        "nodeTaintsPolicy": .string("v1.NodeInclusionPolicy"), "matchLabelKeys": stringList,
    ], required: ["maxSkew", "topologyKey", "whenUnsatisfiable"]))

    static let podSpec = GoStruct("PodSpec", [
        "volumes": .list(.object(GoStruct("Volume", ["name": .string("string")], required: ["name"])), "[]v1.Volume"),
        "initContainers": .list(container, "[]v1.Container"),
        "containers": .list(container, "[]v1.Container"),
        "restartPolicy": .string("v1.RestartPolicy"),
        "terminationGracePeriodSeconds": .int64, "activeDeadlineSeconds": .int64,
        "dnsPolicy": .string("v1.DNSPolicy"), "nodeSelector": stringMap,
        "serviceAccountName": .string("string"), "serviceAccount": .string("string"),
        "automountServiceAccountToken": .bool, "nodeName": .string("string"),
        "hostNetwork": .bool, "hostPID": .bool, "hostIPC": .bool, "shareProcessNamespace": .bool,
        "securityContext": .opaque("v1.PodSecurityContext"),
        "imagePullSecrets": .list(.object(GoStruct("LocalObjectReference", ["name": .string("string")])),
                                  "[]v1.LocalObjectReference"),
        "hostname": .string("string"), "subdomain": .string("string"), "affinity": .opaque("v1.Affinity"),
        "schedulerName": .string("string"), "tolerations": .list(toleration, "[]v1.Toleration"),
        "priorityClassName": .string("string"), "priority": .int32, "dnsConfig": .opaque("v1.PodDNSConfig"),
        "runtimeClassName": .string("string"), "enableServiceLinks": .bool,
        "preemptionPolicy": .string("v1.PreemptionPolicy"), "overhead": resourceList,
        "topologySpreadConstraints": .list(topologySpreadConstraint, "[]v1.TopologySpreadConstraint"),
    ], required: ["containers"])

    static let serviceSpec = GoStruct("ServiceSpec", [
        "ports": .list(.object(GoStruct("ServicePort", [
            "name": .string("string"), "protocol": .string("v1.Protocol"), "appProtocol": .string("string"),
            "port": .int32, "targetPort": .intOrString, "nodePort": .int32,
        ], required: ["port"])), "[]v1.ServicePort"),
        "selector": stringMap, "clusterIP": .string("string"), "clusterIPs": stringList,
        "type": .string("v1.ServiceType"), "externalIPs": stringList,
        "sessionAffinity": .string("v1.ServiceAffinity"), "loadBalancerIP": .string("string"),
        "externalName": .string("string"), "externalTrafficPolicy": .string("v1.ServiceExternalTrafficPolicy"),
        "healthCheckNodePort": .int32, "publishNotReadyAddresses": .bool,
        "internalTrafficPolicy": .string("v1.ServiceInternalTrafficPolicy"),
        "allocateLoadBalancerNodePorts": .bool,
    ])

    static let nodeSpec = GoStruct("NodeSpec", [
        "podCIDR": .string("string"), "podCIDRs": stringList, "providerID": .string("string"),
        "unschedulable": .bool,
        "taints": .list(.object(GoStruct("Taint", [
            "key": .string("string"), "value": .string("string"), "effect": .string("v1.TaintEffect"),
            "timeAdded": .time("v1.Time", pointer: true),
        ], required: ["key", "effect"])), "[]v1.Taint"),
    ])

    static let nodeStatus = GoStruct("NodeStatus", ["capacity": resourceList, "allocatable": resourceList])

    static let leaseSpec = GoStruct("LeaseSpec", [
        "holderIdentity": .string("string"), "leaseDurationSeconds": .int32,
        "acquireTime": .time("v1.MicroTime", pointer: true), "renewTime": .time("v1.MicroTime", pointer: true),
        "leaseTransitions": .int32,
    ])

    static let event = GoStruct("Event", [
        "metadata": objectMeta,
        "involvedObject": .object(GoStruct("ObjectReference", [
            "kind": .string("string"), "namespace": .string("string"), "name": .string("string"),
            "uid": .string("types.UID"), "apiVersion": .string("string"), "resourceVersion": .string("string"),
            "fieldPath": .string("string"),
        ])),
        "reason": .string("string"), "message": .string("string"),
        "source": .object(GoStruct("EventSource", ["component": .string("string"), "host": .string("string")])),
        "firstTimestamp": .time("v1.Time"), "lastTimestamp": .time("v1.Time"), "count": .int32,
        "type": .string("string"), "eventTime": .time("v1.MicroTime"), "action": .string("string"),
        "reportingComponent": .string("string"), "reportingInstance": .string("string"),
    ], required: ["metadata", "involvedObject", "reportingComponent", "reportingInstance"])
}
