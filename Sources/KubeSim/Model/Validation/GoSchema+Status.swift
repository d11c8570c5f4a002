/// The `status` types decoded on writes to the status subresource (`k8s.io/api/core/v1`,
/// `apps/v1`). Only `metadata` and `status` of such a body are walked: the rest of the
/// object is the stored one, already checked when it was written.
extension GoSchema {
    /// The root struct a status write of `kind` decodes: metadata and status.
    static func statusRoot(kind: String) -> GoStruct {
        switch kind {
        case "Pod": return podStatusRoot
        case "Node": return nodeStatusRoot
        case "Deployment": return deploymentStatusRoot
        case "ReplicaSet": return replicaSetStatusRoot
        case "DaemonSet": return daemonSetStatusRoot
        case "Namespace": return namespaceStatusRoot
        default: return GoStruct(kind, ["metadata": objectMeta])
        }
    }

    private static let podStatusRoot = GoStruct("Pod", ["metadata": objectMeta, "status": .object(podStatus)])
    private static let nodeStatusRoot = GoStruct("Node", ["metadata": objectMeta, "status": .object(fullNodeStatus)])
    private static let deploymentStatusRoot = GoStruct("Deployment", [
        "metadata": objectMeta, "status": .object(deploymentStatus),
    ])
    private static let replicaSetStatusRoot = GoStruct("ReplicaSet", [
        "metadata": objectMeta, "status": .object(replicaSetStatus),
    ])
    private static let daemonSetStatusRoot = GoStruct("DaemonSet", [
        "metadata": objectMeta, "status": .object(daemonSetStatus),
    ])
    private static let namespaceStatusRoot = GoStruct("Namespace", [
        "metadata": objectMeta,
        "status": .object(GoStruct("NamespaceStatus", ["phase": .string("v1.NamespacePhase")])),
    ])

    // MARK: - Pod

    private static let containerState = GoType.object(GoStruct("ContainerState", [
        "waiting": .object(GoStruct("ContainerStateWaiting", ["reason": .string("string"), "message": .string("string")])),
        "running": .object(GoStruct("ContainerStateRunning", ["startedAt": .time("v1.Time")])),
        "terminated": .object(GoStruct("ContainerStateTerminated", [
            "exitCode": .int32, "signal": .int32, "reason": .string("string"), "message": .string("string"),
            "startedAt": .time("v1.Time"), "finishedAt": .time("v1.Time"), "containerID": .string("string"),
        ], required: ["exitCode"])),
    ]))

    private static let containerStatuses = GoType.list(.object(GoStruct("ContainerStatus", [
        "name": .string("string"), "state": containerState, "lastState": containerState, "ready": .bool,
        "restartCount": .int32, "image": .string("string"), "imageID": .string("string"),
        "containerID": .string("string"), "started": .bool, "allocatedResources": resourceList,
        "resources": .object(GoStruct("ResourceRequirements", ["limits": resourceList, "requests": resourceList])),
        "volumeMounts": .list(.object(GoStruct("VolumeMountStatus", [
            "name": .string("string"), "mountPath": .string("string"), "readOnly": .bool,
            "recursiveReadOnly": .string("v1.RecursiveReadOnlyMode"),
        ], required: ["name", "mountPath"])), "[]v1.VolumeMountStatus"),
        "user": .object(GoStruct("ContainerUser", [
            "linux": .object(GoStruct("LinuxContainerUser", [
                "uid": .int64, "gid": .int64, "supplementalGroups": .list(.int64, "[]int64"),
            ], required: ["uid", "gid"])),
        ])),
        "allocatedResourcesStatus": .list(.object(GoStruct("ResourceStatus", [
            "name": .string("v1.ResourceName"),
            "resources": .list(.object(GoStruct("ResourceHealth", [
                "resourceID": .string("v1.ResourceID"), "health": .string("v1.ResourceHealthStatus"),
            ], required: ["resourceID"])), "[]v1.ResourceHealth"),
        ], required: ["name"])), "[]v1.ResourceStatus"),
        "stopSignal": .string("v1.Signal"),
    ], required: ["name", "ready", "restartCount", "image", "imageID"])), "[]v1.ContainerStatus")

    static let podStatus = GoStruct("PodStatus", [
        "observedGeneration": .int64, "phase": .string("v1.PodPhase"),
        "conditions": .list(.object(GoStruct("PodCondition", [
            "type": .string("v1.PodConditionType"), "observedGeneration": .int64,
            "status": .string("v1.ConditionStatus"), "lastProbeTime": .time("v1.Time"),
            "lastTransitionTime": .time("v1.Time"), "reason": .string("string"), "message": .string("string"),
        ], required: ["type", "status"])), "[]v1.PodCondition"),
        "message": .string("string"), "reason": .string("string"), "nominatedNodeName": .string("string"),
        "hostIP": .string("string"),
        "hostIPs": .list(.object(GoStruct("HostIP", ["ip": .string("string")], required: ["ip"])), "[]v1.HostIP"),
        "podIP": .string("string"),
        "podIPs": .list(.object(GoStruct("PodIP", ["ip": .string("string")], required: ["ip"])), "[]v1.PodIP"),
        "startTime": .time("v1.Time", pointer: true),
        "initContainerStatuses": containerStatuses, "containerStatuses": containerStatuses,
        "ephemeralContainerStatuses": containerStatuses,
        "qosClass": .string("v1.PodQOSClass"), "resize": .string("v1.PodResizeStatus"),
        "resourceClaimStatuses": .list(.object(GoStruct("PodResourceClaimStatus", [
            "name": .string("string"), "resourceClaimName": .string("string"),
        ], required: ["name"])), "[]v1.PodResourceClaimStatus"),
    ])

    // MARK: - Node

    static let fullNodeStatus = GoStruct("NodeStatus", [
        "capacity": resourceList, "allocatable": resourceList, "phase": .string("v1.NodePhase"),
        "conditions": .list(.object(GoStruct("NodeCondition", [
            "type": .string("v1.NodeConditionType"), "status": .string("v1.ConditionStatus"),
            "lastHeartbeatTime": .time("v1.Time"), "lastTransitionTime": .time("v1.Time"),
            "reason": .string("string"), "message": .string("string"),
        ], required: ["type", "status"])), "[]v1.NodeCondition"),
        "addresses": .list(.object(GoStruct("NodeAddress", [
            "type": .string("v1.NodeAddressType"), "address": .string("string"),
        ], required: ["type", "address"])), "[]v1.NodeAddress"),
        "daemonEndpoints": .object(GoStruct("NodeDaemonEndpoints", [
            "kubeletEndpoint": .object(GoStruct("DaemonEndpoint", ["Port": .int32], required: ["Port"])),
        ])),
        "nodeInfo": .object(GoStruct("NodeSystemInfo", [
            "machineID": .string("string"), "systemUUID": .string("string"), "bootID": .string("string"),
            "kernelVersion": .string("string"), "osImage": .string("string"),
            "containerRuntimeVersion": .string("string"), "kubeletVersion": .string("string"),
            "kubeProxyVersion": .string("string"), "operatingSystem": .string("string"),
            "architecture": .string("string"),
        ], required: ["machineID", "systemUUID", "bootID", "kernelVersion", "osImage", "containerRuntimeVersion",
                       "kubeletVersion", "kubeProxyVersion", "operatingSystem", "architecture"])),
        "images": .list(.object(GoStruct("ContainerImage", ["names": stringList, "sizeBytes": .int64], required: ["names"])),
                        "[]v1.ContainerImage"),
        "volumesInUse": .list(.string("v1.UniqueVolumeName"), "[]v1.UniqueVolumeName"),
        "volumesAttached": .list(.object(GoStruct("AttachedVolume", [
            "name": .string("v1.UniqueVolumeName"), "devicePath": .string("string"),
        ], required: ["name", "devicePath"])), "[]v1.AttachedVolume"),
        "config": .opaque("v1.NodeConfigStatus"),
    ])

    // MARK: - Workloads

    private static func conditions(_ name: String, lastUpdateTime: Bool) -> GoType {
        var fields: [String: GoType] = [
            "type": .string("v1.\(name)ConditionType"), "status": .string("v1.ConditionStatus"),
            "lastTransitionTime": .time("v1.Time"), "reason": .string("string"), "message": .string("string"),
        ]
        if lastUpdateTime { fields["lastUpdateTime"] = .time("v1.Time") }
        return .list(.object(GoStruct("\(name)Condition", fields, required: ["type", "status"])), "[]v1.\(name)Condition")
    }

    static let deploymentStatus = GoStruct("DeploymentStatus", [
        "observedGeneration": .int64, "replicas": .int32, "updatedReplicas": .int32, "readyReplicas": .int32,
        "availableReplicas": .int32, "unavailableReplicas": .int32, "terminatingReplicas": .int32,
        "conditions": conditions("Deployment", lastUpdateTime: true), "collisionCount": .int32,
    ])

    static let replicaSetStatus = GoStruct("ReplicaSetStatus", [
        "replicas": .int32, "fullyLabeledReplicas": .int32, "readyReplicas": .int32, "availableReplicas": .int32,
        "terminatingReplicas": .int32, "observedGeneration": .int64,
        "conditions": conditions("ReplicaSet", lastUpdateTime: false),
    ], required: ["replicas"])

    static let daemonSetStatus = GoStruct("DaemonSetStatus", [
        "currentNumberScheduled": .int32, "numberMisscheduled": .int32, "desiredNumberScheduled": .int32,
        "numberReady": .int32, "observedGeneration": .int64, "updatedNumberScheduled": .int32,
        "numberAvailable": .int32, "numberUnavailable": .int32, "collisionCount": .int32,
        "conditions": conditions("DaemonSet", lastUpdateTime: false),
    ], required: ["currentNumberScheduled", "numberMisscheduled", "desiredNumberScheduled", "numberReady"])
}
