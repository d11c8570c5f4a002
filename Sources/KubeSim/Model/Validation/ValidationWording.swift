/// The validation strings that differ between the Kubernetes releases kubesim imitates,
/// one table per version (apimachinery `util/validation`, `api/validate/content`,
/// `util/validation/field`; dates from the kubernetes/apimachinery history).
struct ValidationWording: Sendable {
    /// `IsDNS1123Label`'s complaint. "a DNS-1123 label" until 1.19; "a lowercase RFC 1123
    /// label" since 1.20 (apimachinery 22a90f18).
    var dns1123LabelMessage: String
    var dns1123SubdomainMessage: String
    /// Since 1.27 a valid subdomain that is not a label is told "must not contain dots"
    /// (apimachinery cf894f11).
    var reportsDotsInLabels: Bool
    /// Unit of label key and value length errors: "characters" in `util/validation`,
    /// "bytes" since they moved to `api/validate/content`.
    var labelLengthUnit: String
    /// The subject of the error for a label key with more than one '/'.
    var labelKeyTooManySlashesSubject: String
    /// Field error values that are maps or structs: Go syntax (`%#v`, up to 1.33) or JSON
    /// (since "Nicer value rendering in API errors", apimachinery c58e197e).
    var goSyntaxValues: Bool
    /// Environment variable names: the C-identifier-like rule, or any printable ASCII but
    /// '=' (RelaxedEnvironmentVariableValidation, on by default in current releases).
    var relaxedEnvVarNames: Bool
    /// `field.TooLong`'s detail ("must have at most %d bytes" before 1.32's wording).
    var tooLongUsesMayNot: Bool
    /// `IsValidPortName`'s letter rule, reworded when upstream noticed digits never count.
    var portNameLetterMessage: String
    /// IPs and CIDRs held to their strict, canonical form (StrictIPCIDRValidation, 1.33);
    /// before that any parseable value passed, with shorter messages.
    var strictIPs: Bool
    /// The list of pod spec fields an update may change, as `ValidatePodUpdate` words it.
    var podUpdateMessage: String
    /// `ValidatePodStatusUpdate`'s checks of status fields added after 1.18: hostIPs (1.28),
    /// container users and allocated resource health (1.31), resource claim statuses, and
    /// the immutable qosClass (1.32). Older releases drop those fields when decoding.
    var checksNewerPodStatusFields: Bool

    static let v1_18 = ValidationWording(
        dns1123LabelMessage: "a DNS-1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character",
        dns1123SubdomainMessage: "a DNS-1123 subdomain must consist of lower case alphanumeric characters, "
            + "'-' or '.', and must start and end with an alphanumeric character",
        reportsDotsInLabels: false,
        labelLengthUnit: "characters",
        labelKeyTooManySlashesSubject: "a qualified name",
        goSyntaxValues: true,
        relaxedEnvVarNames: false,
        tooLongUsesMayNot: false,
        portNameLetterMessage: "must contain at least one letter or number (a-z, 0-9)",
        strictIPs: false,
        podUpdateMessage: "pod updates may not change fields other than `spec.containers[*].image`, "
            + "`spec.initContainers[*].image`, `spec.activeDeadlineSeconds` or `spec.tolerations` "
            + "(only additions to existing tolerations)",
        checksNewerPodStatusFields: false)

    static let v1_36 = ValidationWording(
        dns1123LabelMessage: "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
            + "or '-', and must start and end with an alphanumeric character",
        dns1123SubdomainMessage: "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            + "characters, '-' or '.', and must start and end with an alphanumeric character",
        reportsDotsInLabels: true,
        labelLengthUnit: "bytes",
        labelKeyTooManySlashesSubject: "a valid label key",
        goSyntaxValues: false,
        relaxedEnvVarNames: true,
        tooLongUsesMayNot: true,
        portNameLetterMessage: "must contain at least one letter (a-z)",
        strictIPs: true,
        podUpdateMessage: "pod updates may not change fields other than `spec.containers[*].image`,"
            + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,"
            + "`spec.tolerations` (only additions to existing tolerations),"
            + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)",
        checksNewerPodStatusFields: true)

    static func of(_ version: KubernetesVersion) -> ValidationWording {
        switch version {
        case .v1_18: return .v1_18
        case .v1_36: return .v1_36
        }
    }

    func tooLong(_ max: Int) -> String {
        tooLongUsesMayNot ? "may not be more than \(max) \(max == 1 ? "byte" : "bytes")" : "must have at most \(max) bytes"
    }
}
