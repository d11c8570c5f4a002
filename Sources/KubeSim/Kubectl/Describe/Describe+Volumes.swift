/// The volumes of a pod or pod template, as `kubectl describe` prints them
/// (`KK:staging/src/k8s.io/kubectl/pkg/describe/describe.go`): `describeVolumes` and the
/// `print…VolumeSource` functions it calls, with `printPersistentVolumeClaim` for an
/// ephemeral volume's claim template.
extension Describe {
    /// `describeVolumes`: each volume by its source's printer (the first source present, in
    /// upstream's order), `<unknown>` for none it knows.
    static func volumes(_ w: inout DescribeWriter, _ volumes: [JSON], space: String) {
        if volumes.isEmpty {
            w.write(0, "\(space)Volumes:\t<none>\n")
            return
        }
        w.write(0, "\(space)Volumes:\n")
        for volume in volumes {
            w.write(1, "\(space.isEmpty ? "" : " ")\(volume["name"].string ?? ""):\n")
            let order = w.version == .v1_36 ? volumeSourceOrder36 : volumeSourceOrder18
            guard let source = order.first(where: { volume[$0].object != nil }) else {
                w.write(1, "<unknown>\n")
                continue
            }
            volumeSource(&w, source, volume[source])
        }
    }

    /// The sources in the order `describeVolumes` tests them.
    private static let volumeSourceOrder18 = [
        "hostPath", "emptyDir", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "secret", "configMap", "nfs",
        "iscsi", "glusterfs", "persistentVolumeClaim", "rbd", "quobyte", "downwardAPI", "azureDisk", "vsphereVolume",
        "cinder", "photonPersistentDisk", "portworxVolume", "scaleIO", "cephfs", "storageos", "fc", "azureFile",
        "flexVolume", "flocker", "projected", "csi",
    ]
    private static let volumeSourceOrder36: [String] = {
        var order = volumeSourceOrder18
        order.insert("ephemeral", at: order.firstIndex(of: "rbd") ?? order.count)
        return order + ["image"]
    }()

    /// A field of a volume source, formatted as `%v` formats its Go type.
    private enum Field {
        case string(String), bool(String), int(String), strings(String), ref(String), map(String)
        case text(String)

        func format(_ source: JSON) -> String {
            switch self {
            case .string(let key): return source[key].string ?? ""
            case .bool(let key): return String(source[key].bool == true)
            case .int(let key): return String(source[key].int ?? 0)
            case .strings(let key): return goList(source[key])
            // A *LocalObjectReference: `&{name}`.
            case .ref(let key): return source[key].object == nil ? "<nil>" : "&{\(source[key, "name"].string ?? "")}"
            case .map(let key):
                let m = source[key]
                return "map[" + sortedKeys(m).map { "\($0):\(m[$0].string ?? "")" }.joined(separator: " ") + "]"
            case .text(let text): return text
            }
        }
    }

    /// `print…VolumeSource`: `Type:\t<what it is>`, then the fields, all at level 2.
    private static func fields(_ w: inout DescribeWriter, _ type: String, _ source: JSON, _ fields: [(String, Field)]) {
        w.write(2, "Type:\t\(type)\n" + fields.map { "    \($0.0)\t\($0.1.format(source))\n" }.joined())
    }

    private static func volumeSource(_ w: inout DescribeWriter, _ kind: String, _ s: JSON) {
        switch kind {
        case "hostPath":
            // A nil type prints <none>; the API server defaults it to "".
            fields(&w, "HostPath (bare host directory volume)", s,
                   [("Path:", .string("path")), ("HostPathType:", .text(s["type"].string ?? "<none>"))])
        case "emptyDir":
            let limit = Quantity(json: s["sizeLimit"]).flatMap { $0 > Quantity(integer: 0) ? $0.description : nil }
            fields(&w, "EmptyDir (a temporary directory that shares a pod's lifetime)", s,
                   [("Medium:", .string("medium")), ("SizeLimit:", .text(limit ?? "<unset>"))])
        case "gcePersistentDisk":
            fields(&w, "GCEPersistentDisk (a Persistent Disk resource in Google Compute Engine)", s,
                   [("PDName:", .string("pdName")), ("FSType:", .string("fsType")), ("Partition:", .int("partition")),
                    ("ReadOnly:", .bool("readOnly"))])
        case "awsElasticBlockStore":
            fields(&w, "AWSElasticBlockStore (a Persistent Disk resource in AWS)", s,
                   [("VolumeID:", .string("volumeID")), ("FSType:", .string("fsType")), ("Partition:", .int("partition")),
                    ("ReadOnly:", .bool("readOnly"))])
        case "gitRepo":
            fields(&w, "GitRepo (a volume that is pulled from git when the pod is created)", s,
                   [("Repository:", .string("repository")), ("Revision:", .string("revision"))])
        case "secret":
            fields(&w, "Secret (a volume populated by a Secret)", s,
                   [("SecretName:", .string("secretName")), ("Optional:", .bool("optional"))])
        case "configMap":
            fields(&w, "ConfigMap (a volume populated by a ConfigMap)", s,
                   [("Name:", .string("name")), ("Optional:", .bool("optional"))])
        case "nfs":
            fields(&w, "NFS (an NFS mount that lasts the lifetime of a pod)", s,
                   [("Server:", .string("server")), ("Path:", .string("path")), ("ReadOnly:", .bool("readOnly"))])
        case "iscsi":
            // "ISCSIInterface" has no colon upstream.
            fields(&w, "ISCSI (an ISCSI Disk resource that is attached to a kubelet's host machine and then exposed to the pod)", s,
                   [("TargetPortal:", .string("targetPortal")), ("IQN:", .string("iqn")), ("Lun:", .int("lun")),
                    ("ISCSIInterface", .string("iscsiInterface")), ("FSType:", .string("fsType")),
                    ("ReadOnly:", .bool("readOnly")), ("Portals:", .strings("portals")),
                    ("DiscoveryCHAPAuth:", .bool("chapAuthDiscovery")), ("SessionCHAPAuth:", .bool("chapAuthSession")),
                    ("SecretRef:", .ref("secretRef")), ("InitiatorName:", .text(s["initiatorName"].string ?? "<none>"))])
        case "glusterfs":
            fields(&w, "Glusterfs (a Glusterfs mount on the host that shares a pod's lifetime)", s,
                   [("EndpointsName:", .string("endpoints")), ("Path:", .string("path")), ("ReadOnly:", .bool("readOnly"))])
        case "persistentVolumeClaim":
            fields(&w, "PersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)", s,
                   [("ClaimName:", .string("claimName")), ("ReadOnly:", .bool("readOnly"))])
        case "ephemeral":
            w.write(2, "Type:\tEphemeralVolume (an inline specification for a volume that gets created and deleted with the pod)\n")
            if s["volumeClaimTemplate"].object != nil { ephemeralClaim(&w, s["volumeClaimTemplate"]) }
        case "rbd":
            fields(&w, "RBD (a Rados Block Device mount on the host that shares a pod's lifetime)", s,
                   [("CephMonitors:", .strings("monitors")), ("RBDImage:", .string("image")), ("FSType:", .string("fsType")),
                    ("RBDPool:", .string("pool")), ("RadosUser:", .string("user")), ("Keyring:", .string("keyring")),
                    ("SecretRef:", .ref("secretRef")), ("ReadOnly:", .bool("readOnly"))])
        case "quobyte":
            fields(&w, "Quobyte (a Quobyte mount on the host that shares a pod's lifetime)", s,
                   [("Registry:", .string("registry")), ("Volume:", .string("volume")), ("ReadOnly:", .bool("readOnly"))])
        case "downwardAPI":
            w.write(2, "Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n")
            for item in s["items"].array ?? [] {
                let path = item["path"].string ?? ""
                if item["fieldRef"].object != nil { w.write(3, "\(item["fieldRef", "fieldPath"].string ?? "") -> \(path)\n") }
                if item["resourceFieldRef"].object != nil {
                    w.write(3, "\(item["resourceFieldRef", "resource"].string ?? "") -> \(path)\n")
                }
            }
        case "azureDisk":
            // Upstream dereferences fields the API server defaults; their defaults stand in.
            fields(&w, "AzureDisk (an Azure Data Disk mount on the host and bind mount to the pod)", s,
                   [("DiskName:", .string("diskName")), ("DiskURI:", .string("diskURI")),
                    ("Kind: ", .text(s["kind"].string ?? "Shared")), ("FSType:", .text(s["fsType"].string ?? "ext4")),
                    ("CachingMode:", .text(s["cachingMode"].string ?? "ReadWrite")), ("ReadOnly:", .bool("readOnly"))])
        case "vsphereVolume":
            fields(&w, "vSphereVolume (a Persistent Disk resource in vSphere)", s,
                   [("VolumePath:", .string("volumePath")), ("FSType:", .string("fsType")),
                    ("StoragePolicyName:", .string("storagePolicyName"))])
        case "cinder":
            fields(&w, "Cinder (a Persistent Disk resource in OpenStack)", s,
                   [("VolumeID:", .string("volumeID")), ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly")),
                    ("SecretRef:", .ref("secretRef"))])
        case "photonPersistentDisk":
            fields(&w, "PhotonPersistentDisk (a Persistent Disk resource in photon platform)", s,
                   [("PdID:", .string("pdID")), ("FSType:", .string("fsType"))])
        case "portworxVolume":
            fields(&w, "PortworxVolume (a Portworx Volume resource)", s, [("VolumeID:", .string("volumeID"))])
        case "scaleIO":
            fields(&w, "ScaleIO (a persistent volume backed by a block device in ScaleIO)", s,
                   [("Gateway:", .string("gateway")), ("System:", .string("system")),
                    ("Protection Domain:", .string("protectionDomain")), ("Storage Pool:", .string("storagePool")),
                    ("Storage Mode:", .string("storageMode")), ("VolumeName:", .string("volumeName")),
                    ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
        case "cephfs":
            fields(&w, "CephFS (a CephFS mount on the host that shares a pod's lifetime)", s,
                   [("Monitors:", .strings("monitors")), ("Path:", .string("path")), ("User:", .string("user")),
                    ("SecretFile:", .string("secretFile")), ("SecretRef:", .ref("secretRef")), ("ReadOnly:", .bool("readOnly"))])
        case "storageos":
            fields(&w, "StorageOS (a StorageOS Persistent Disk resource)", s,
                   [("VolumeName:", .string("volumeName")), ("VolumeNamespace:", .string("volumeNamespace")),
                    ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
        case "fc":
            let wwns = (s["targetWWNs"].array ?? []).map { $0.string ?? "" }.joined(separator: ", ")
            fields(&w, "FC (a Fibre Channel disk)", s,
                   [("TargetWWNs:", .text(wwns)), ("LUN:", .text(s["lun"].int.map { String($0) } ?? "<none>")),
                    ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
        case "azureFile":
            fields(&w, "AzureFile (an Azure File Service mount on the host and bind mount to the pod)", s,
                   [("SecretName:", .string("secretName")), ("ShareName:", .string("shareName")), ("ReadOnly:", .bool("readOnly"))])
        case "flexVolume":
            fields(&w, "FlexVolume (a generic volume resource that is provisioned/attached using an exec based plugin)", s,
                   [("Driver:", .string("driver")), ("FSType:", .string("fsType")), ("SecretRef:", .ref("secretRef")),
                    ("ReadOnly:", .bool("readOnly")), ("Options:", .map("options"))])
        case "flocker":
            fields(&w, "Flocker (a Flocker volume mounted by the Flocker agent)", s,
                   [("DatasetName:", .string("datasetName")), ("DatasetUUID:", .string("datasetUUID"))])
        case "projected":
            projected(&w, s)
        case "csi":
            fields(&w, "CSI (a Container Storage Interface (CSI) volume source)", s,
                   [("Driver:", .string("driver")), ("FSType:", .string("fsType")), ("ReadOnly:", .bool("readOnly"))])
            csiAttributes(&w, s["volumeAttributes"])
        case "image":
            fields(&w, "Image (a container image or OCI artifact)", s,
                   [("Reference:", .string("reference")), ("PullPolicy:", .string("pullPolicy"))])
        default:
            w.write(1, "<unknown>\n")
        }
    }

    /// `printProjectedVolumeSource`. kubectl 1.18 printed the sources' `Optional` pointers
    /// with `%v`: `<nil>` when unset, else the pointer itself, a heap address that differs
    /// from run to run. kubesim prints the fixed stand-in `0xc000a1b2c8` there instead, so
    /// that its output stays deterministic.
    private static func projected(_ w: inout DescribeWriter, _ s: JSON) {
        w.write(2, "Type:\tProjected (a volume that contains injected data from multiple sources)\n")
        func optional(_ ref: JSON, _ label: String) -> String {
            if w.version == .v1_36 { return "    Optional:\t\(ref["optional"].bool == true)\n" }
            return "    \(label):\t\(ref["optional"].isNull ? "<nil>" : "0xc000a1b2c8")\n"
        }
        for source in s["sources"].array ?? [] {
            if source["secret"].object != nil {
                w.write(2, "SecretName:\t\(source["secret", "name"].string ?? "")\n" + optional(source["secret"], "SecretOptionalName"))
            } else if source["downwardAPI"].object != nil {
                w.write(2, "DownwardAPI:\ttrue\n")
            } else if source["configMap"].object != nil {
                w.write(2, "ConfigMapName:\t\(source["configMap", "name"].string ?? "")\n"
                    + optional(source["configMap"], "ConfigMapOptional"))
            } else if source["serviceAccountToken"].object != nil {
                w.write(2, "TokenExpirationSeconds:\t\(source["serviceAccountToken", "expirationSeconds"].int ?? 0)\n")
            }
        }
    }

    /// `printCSIPersistentVolumeAttributesMultiline`: `key=value` lines at level 2, each cut
    /// at 140 bytes.
    private static func csiAttributes(_ w: inout DescribeWriter, _ attributes: JSON) {
        w.write(2, "VolumeAttributes:\t")
        let keys = sortedKeys(attributes)
        if keys.isEmpty {
            w.line("<none>")
            return
        }
        for (i, key) in keys.enumerated() {
            if i != 0 {
                w.write(2, "")
                w.write(2, "\t")
            }
            w.write(2, shorten("\(key)=\(attributes[key].string ?? "")", maxAnnotationLength) + "\n")
        }
    }

    /// `printPersistentVolumeClaim(NewNestedPrefixWriter(w, LEVEL_2), …, false)` for an
    /// ephemeral volume's claim template. The nested writer indents every write, so the
    /// labels' and annotations' values and `<none>` come out indented too, after the tab.
    private static func ephemeralClaim(_ w: inout DescribeWriter, _ template: JSON) {
        let spec = template["spec"], meta = template["metadata"]
        w.indent += 2
        defer { w.indent -= 2 }
        // storageutil.GetPersistentVolumeClaimClass: the field, else the beta annotation.
        let storageClass = spec["storageClassName"].string
            ?? meta["annotations", "volume.beta.kubernetes.io/storage-class"].string ?? ""
        w.write(0, "StorageClass:\t\(storageClass)\n")
        w.write(0, "Volume:\t\(spec["volumeName"].string ?? "")\n")
        labels(&w, "Labels", meta["labels"])
        annotations(&w, "Annotations", meta["annotations"])
        // With no volume bound, capacity and access modes are empty.
        let boundVolume = !(spec["volumeName"].string ?? "").isEmpty
        w.write(0, "Capacity:\t\(boundVolume ? "0" : "")\n")
        w.write(0, "Access Modes:\t\n")
        if let mode = spec["volumeMode"].string { w.write(0, "VolumeMode:\t\(mode)\n") }
        if spec["dataSource"].object != nil {
            let source = spec["dataSource"]
            w.write(0, "DataSource:\n")
            if let group = source["apiGroup"].string { w.write(1, "APIGroup:\t\(group)\n") }
            w.write(1, "Kind:\t\(source["kind"].string ?? "")\n")
            w.write(1, "Name:\t\(source["name"].string ?? "")\n")
        }
    }
}
