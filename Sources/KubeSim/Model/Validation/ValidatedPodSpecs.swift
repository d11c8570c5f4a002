/// The pod spec the API server last found valid on create.
///
/// A controller creates its pods from one template, in a burst, so after defaulting and
/// admission their specs are the same, byte for byte, and share most of their parts (the
/// containers, the tolerations) with the template. `ValidatePodSpec` is a function of the
/// spec alone (and of the release, which is fixed per API server), so a spec identical to one
/// that passed passes, and is not checked field by field again. Identity is
/// `JSON.isIdentical`: UTF-8 bytes, not Unicode equivalence, and an integer is not a double,
/// as the checks themselves tell them apart.
///
/// Only a spec that passed is remembered, so a miss costs one comparison and never changes
/// an answer. One is enough: a second would make every miss (each DaemonSet pod's spec names
/// its node) compare twice, for the rare create that interleaves two controllers' bursts.
final class ValidatedPodSpecs {
    private var last: JSON?

    init() {}

    /// Whether `spec` is identical to the remembered one; if so it takes its place, so that
    /// the next pod of the same controller, sharing its parts, compares in a few steps.
    func contains(_ spec: JSON) -> Bool {
        guard let last, last.isIdentical(to: spec) else { return false }
        self.last = spec
        return true
    }

    /// Remembers a spec that passed.
    func insert(_ spec: JSON) {
        last = spec
    }
}
