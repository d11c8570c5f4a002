/// Parts of objects the API server last found valid on create.
///
/// A controller creates its pods from one template, in a burst, so after defaulting and
/// admission their specs are the same, byte for byte, and their labels and owner references
/// are the very values the burst began with. `ValidatePodSpec`, `ValidateLabels` and
/// `ValidateOwnerReferences` are functions of those values alone (and of the release, which is
/// fixed per API server), so a value identical to one that passed passes, and is not checked
/// field by field again. Identity is `JSON.isIdentical`: UTF-8 bytes, not Unicode equivalence,
/// and an integer is not a double, as the checks themselves tell them apart; values that
/// share storage compare in one step.
///
/// Only a value that passed is remembered, so a miss costs one comparison and never changes
/// an answer. One of each is enough: a second would make every miss compare twice, for the
/// rare create that interleaves two controllers' bursts. A DaemonSet's pods each name their
/// node in their affinity, so a pod spec may also match in every member but that one
/// (`matches(_:exceptValueOf:)`), which its validation then checks alone.
final class ValidationMemo {
    var podSpec = LastValid()
    /// A workload's pod template spec (checked as a template, not as a pod): the Deployments
    /// of one manifest often share their pods' spec, and a ReplicaSet carries its
    /// Deployment's.
    var templateSpec = LastValid()
    /// `metadata.labels` of any kind: the rules do not depend on the kind.
    var labels = LastValid()
    var ownerReferences = LastValid()
    /// `metadata.namespace` as a DNS label (ObjectMeta) and as a DNS subdomain (an Event's
    /// check of its own): every namespaced create checks the one namespace again.
    var namespaceLabel = LastValid()
    var namespaceSubdomain = LastValid()

    init() {}
}

/// One remembered value that passed a check.
struct LastValid {
    private var last: JSON?

    /// Whether `value` is identical to the remembered one; if so it takes its place, so that
    /// the next object of the same controller, sharing its parts, compares in a few steps.
    mutating func contains(_ value: JSON) -> Bool {
        guard let last, last.isIdentical(to: value) else { return false }
        self.last = value
        return true
    }

    /// Whether `value` is an object identical to the remembered one in every member but
    /// `key` (whose value the caller checks on its own). Not a hit by itself: the caller
    /// remembers `value` once that member passed too.
    func matches(_ value: JSON, exceptValueOf key: String) -> Bool {
        guard case .object(let last)? = last, case .object(let new) = value else { return false }
        return new.isIdentical(to: last, exceptValueOf: key)
    }

    /// Remembers a value that passed. Not an absent one (null), which is checked in a step:
    /// the Events created between a controller's pods have no labels, and would otherwise
    /// take the pods' place.
    mutating func insert(_ value: JSON) {
        if !value.isNull { last = value }
    }
}
