/// The texts of a kubelet's container Events, each remembered with the input it was last
/// built from: a node's pods mostly run one container name and image, so their Events share
/// one `spec.containers{web}` and one `Created container web` instead of building them again.
struct ContainerEventTexts {
    let wording: Wording
    private var fieldPaths = LastBuilt()
    private var pullingMessages = LastBuilt()
    private var createdMessages = LastBuilt()
    private var startedMessages = LastBuilt()

    init(wording: Wording) { self.wording = wording }

    /// `spec.containers{<name>}`, the field path of a container's Events.
    mutating func fieldPath(_ container: String) -> String {
        fieldPaths.get(container) { .concatenating("spec.containers{", $0, "}") }
    }

    mutating func pulling(_ image: String) -> String {
        pullingMessages.get(image) { .concatenating("Pulling image \"", $0, "\"") }
    }

    mutating func created(_ container: String) -> String {
        createdMessages.get(container) { [wording] in wording.createdContainer($0) }
    }

    mutating func started(_ container: String) -> String {
        startedMessages.get(container) { [wording] in wording.startedContainer($0) }
    }
}

/// A string built from another, and that other.
private struct LastBuilt {
    private var input = ""
    private var output: String?

    mutating func get(_ input: String, build: (String) -> String) -> String {
        // By bytes: an image's name may hold any text, and Unicode-equal names would
        // otherwise share the first one's bytes.
        if let output, input.hasSameUTF8(as: self.input) { return output }
        let built = build(input)
        self.input = input
        output = built
        return built
    }
}
