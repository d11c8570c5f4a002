/// `metadata` on create and update: apimachinery's `ValidateObjectMetaAccessor` and
/// `ValidateObjectMetaAccessorUpdate`, plus the finalizer name check
/// `pkg/apis/core/validation.ValidateObjectMeta` adds.
extension ObjectValidator {
    /// The sum of annotation keys and values may not exceed 256 KiB (`TotalAnnotationSizeLimitB`).
    static let totalAnnotationSizeLimit = 256 * 1024

    /// Finalizers every release accepts without a domain (`helper.IsStandardFinalizerName`).
    static let standardFinalizers: Set<String> = ["kubernetes", "orphan", "foregroundDeletion"]

    func validateObjectMeta(_ meta: JSON, nameKind: NameRules.NameKind,
                            path: FieldPath = FieldPath("metadata")) -> [FieldError]
    {
        var errs: [FieldError] = []
        // A name and a namespace, and nothing else (an Event's metadata as recorders write it,
        // six of every pod's creates): none of the other members' checks has anything to read.
        let nameAndNamespaceOnly = meta.object.map {
            $0.count == 2 && $0.index(forKey: "name") != nil && $0.index(forKey: "namespace") != nil
        } ?? false
        let name = Self.string(meta["name"])
        let generateName = nameAndNamespaceOnly ? "" : Self.string(meta["generateName"])
        if !generateName.isEmpty {
            errs += errors(NameRules.name(generateName, nameKind, prefix: true, wording), path.child("generateName"),
                           generateName)
        }
        if name.isEmpty {
            // The registry generates the name from generateName before validating, so only
            // an object with neither is short of a name.
            if generateName.isEmpty { errs.append(required(path.child("name"), "name or generateName is required")) }
        } else {
            errs += errors(NameRules.name(name, nameKind, prefix: false, wording), path.child("name"), name)
        }
        // Cluster-scoped objects have their namespace cleared by the registry
        // (rest.BeforeCreate), so only namespaced ones are checked.
        if namespaced {
            let ns = Self.string(meta["namespace"])
            if ns.isEmpty {
                errs.append(required(path.child("namespace")))
            } else if memo?.namespaceLabel.contains(.string(ns)) != true {
                let nsErrs = errors(NameRules.dns1123Label(ns, wording), path.child("namespace"), ns)
                if nsErrs.isEmpty { memo?.namespaceLabel.insert(.string(ns)) }
                errs += nsErrs
            }
        }
        if nameAndNamespaceOnly { return errs }
        if let generation = meta["generation"].int, generation < 0 {
            errs.append(invalid(path.child("generation"), .int(generation), "must be greater than or equal to 0"))
        }
        errs += validateMetaCommon(meta, path)
        errs += validateFinalizers(meta["finalizers"], path.child("finalizers"))
        return errs
    }

    /// Labels, annotations and owner references: checked alike on create and update.
    private func validateMetaCommon(_ meta: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let labels = meta["labels"]
        let annotations = meta["annotations"]
        let refs = meta["ownerReferences"]
        // Nothing to check (an Event's metadata, say).
        if labels.isNull, annotations.isNull, refs.isNull { return [] }
        var errs: [FieldError] = []
        if memo?.labels.contains(labels) != true {
            let labelErrs = validateLabels(labels, path().child("labels"))
            if labelErrs.isEmpty { memo?.labels.insert(labels) }
            errs += labelErrs
        }
        errs += validateAnnotations(annotations, path().child("annotations"))
        if memo?.ownerReferences.contains(refs) != true {
            let refErrs = validateOwnerReferences(refs, path().child("ownerReferences"))
            if refErrs.isEmpty { memo?.ownerReferences.insert(refs) }
            errs += refErrs
        }
        return errs
    }

    /// `ValidateAnnotations`: keys are qualified names, compared in lower case; the total
    /// size is bounded.
    func validateAnnotations(_ annotations: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        guard case .object(let members) = annotations else { return [] }
        for (k, member) in members where member.string != nil {
            errs += errors(NameRules.labelKey(Self.lowercased(k), wording), path(), k)
        }
        errs += validateAnnotationsSize(annotations, path())
        return errs
    }

    /// The size bound alone: the sum of the string annotations' keys and values.
    func validateAnnotationsSize(_ annotations: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        guard case .object(let members) = annotations else { return [] }
        var total = 0
        for (k, member) in members {
            guard let v = member.string else { continue }
            total &+= k.utf8.count &+ v.utf8.count
        }
        return total > Self.totalAnnotationSizeLimit ? [tooLong(path(), Self.totalAnnotationSizeLimit)] : []
    }

    /// `lowercased()`, skipped for ASCII without capitals (which it returns unchanged).
    private static func lowercased(_ s: String) -> String {
        let unchanged = s.withUTF8Bytes { bytes in bytes.allSatisfy { $0 < 0x80 && !($0 >= 0x41 && $0 <= 0x5a) } }
        return unchanged ? s : s.lowercased()
    }

    /// `ValidateOwnerReferences`: the fields of each reference (reported without an index, as
    /// upstream does) and at most one controller.
    func validateOwnerReferences(_ refs: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        var firstController: (kind: String, name: String)?
        for ref in Self.array(refs) {
            let apiVersion = Self.string(ref["apiVersion"])
            let kind = Self.string(ref["kind"])
            let (group, version) = Self.groupVersion(apiVersion)
            if version.isEmpty {
                errs.append(invalid(path().child("apiVersion"), .string(apiVersion), "version must not be empty"))
            }
            if kind.isEmpty { errs.append(invalid(path().child("kind"), .string(kind), "must not be empty")) }
            if Self.string(ref["name"]).isEmpty { errs.append(invalid(path().child("name"), "", "must not be empty")) }
            if Self.string(ref["uid"]).isEmpty { errs.append(invalid(path().child("uid"), "", "must not be empty")) }
            if group.isEmpty, version == "v1", kind == "Event" {
                errs.append(invalid(path(), ref, "/v1, Kind=Event is disallowed from being an owner"))
            }
            if ref["controller"].bool == true {
                let name = Self.string(ref["name"])
                if let first = firstController {
                    errs.append(invalid(path(), refs, "Only one reference can have Controller set to true. "
                        + "Found \"true\" in references for \(first.kind)/\(first.name) and \(kind)/\(name)"))
                } else {
                    firstController = (kind, name)
                }
            }
        }
        return errs
    }

    /// `schema.ParseGroupVersion`'s split: "v1" is the core group, "g/v" a group, more
    /// slashes neither.
    private static func groupVersion(_ apiVersion: String) -> (group: Substring, version: Substring) {
        guard apiVersion.isASCII else {
            // Character-wise, as `split` reads a string (a combining mark can hide a '/').
            let parts = apiVersion.split(separator: "/", omittingEmptySubsequences: false)
            switch parts.count {
            case 1: return ("", parts[0])
            case 2: return (parts[0], parts[1])
            default: return ("", "")
            }
        }
        let u = apiVersion.utf8
        guard let slash = u.firstIndex(of: UInt8(ascii: "/")) else { return ("", apiVersion[...]) }
        let rest = u[u.index(after: slash)...]
        if rest.contains(UInt8(ascii: "/")) { return ("", "") }
        return (apiVersion[..<slash], apiVersion[u.index(after: slash)...])
    }

    /// apimachinery's `ValidateFinalizers` (qualified names, reported on the list) and core's
    /// `validateKubeFinalizerName` (per index: unqualified names must be standard ones).
    func validateFinalizers(_ finalizers: JSON, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        let names = Self.array(finalizers).map(Self.string)
        var errs: [FieldError] = []
        for name in names { errs += errors(NameRules.labelKey(name, wording), path(), name) }
        if names.contains("orphan"), names.contains("foregroundDeletion") {
            errs.append(invalid(path(), finalizers, "finalizer orphan and foregroundDeletion cannot be both set"))
        }
        for (i, name) in names.enumerated() {
            errs += kubeFinalizerName(name, path().index(i))
        }
        return errs
    }

    func kubeFinalizerName(_ name: String, _ path: @autoclosure () -> FieldPath) -> [FieldError] {
        if !NameRules.contains(name, "/"), !Self.standardFinalizers.contains(name) {
            return [invalid(path(), .string(name), "name is neither a standard finalizer name nor is it fully qualified")]
        }
        return []
    }

    private static let immutableMetaFields = ["name", "namespace", "uid"]

    /// `ValidateObjectMetaUpdate`: name, namespace and uid may not change; labels,
    /// annotations and owners are checked again where they changed (`old` is the stored
    /// object, which passed these checks); a deleting object gains no finalizers.
    /// (resourceVersion and generation are the server's, handled by its write path.)
    func validateObjectMetaUpdate(_ new: JSON, _ old: JSON, path: FieldPath = FieldPath("metadata")) -> [FieldError] {
        // The stored object's own metadata (a status write leaves it alone, so the update
        // shares it): nothing changed, and of the checks below only the annotations' size
        // and the finalizers' names look at more than what changed.
        if new.sharesStorage(with: old) {
            return validateAnnotationsSize(new["annotations"], path.child("annotations")) + finalizerNames(new, path)
        }
        var errs: [FieldError] = []
        if !old["deletionTimestamp"].isNull {
            let oldNames = Set(Self.array(old["finalizers"]).map(Self.string))
            let extra = Set(Self.array(new["finalizers"]).map(Self.string)).subtracting(oldNames).sorted(by: JSON.utf8Less)
            if !extra.isEmpty {
                let list = "[]string{" + extra.map(GoValue.goQuote).joined(separator: ", ") + "}"
                errs.append(forbidden(path.child("finalizers"),
                                      "no new finalizers can be added if the object is being deleted, "
                                        + "found new finalizers \(list)"))
            }
        }
        for field in Self.immutableMetaFields {
            let n = Self.string(new[field])
            if n != Self.string(old[field]) { errs.append(invalid(path.child(field), .string(n), "field is immutable")) }
        }
        // Labels, annotations and owners the update leaves byte for byte as they were passed
        // these same checks when the old object, which this API server stored, was written;
        // a status write (most updates) changes none. (`==` would not do: it calls
        // Unicode-equivalent strings equal.) The annotations' size is checked all the same:
        // a DaemonSet gains its template-generation annotation after its create was validated.
        if !new["labels"].isIdentical(to: old["labels"]) { errs += validateLabels(new["labels"], path.child("labels")) }
        if !new["annotations"].isIdentical(to: old["annotations"]) {
            errs += validateAnnotations(new["annotations"], path.child("annotations"))
        } else {
            errs += validateAnnotationsSize(new["annotations"], path.child("annotations"))
        }
        if !new["ownerReferences"].isIdentical(to: old["ownerReferences"]) {
            errs += validateOwnerReferences(new["ownerReferences"], path.child("ownerReferences"))
        }
        return errs + finalizerNames(new, path)
    }

    private func finalizerNames(_ meta: JSON, _ path: FieldPath) -> [FieldError] {
        var errs: [FieldError] = []
        for (i, name) in Self.array(meta["finalizers"]).map(Self.string).enumerated() {
            errs += kubeFinalizerName(name, path.child("finalizers").index(i))
        }
        return errs
    }
}
