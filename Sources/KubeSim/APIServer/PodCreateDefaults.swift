/// What defaulting and admission made of the pod spec create last saw.
///
/// On create a pod's spec is defaulted (`SetDefaults_Pod`) and admitted (the
/// DefaultTolerationSeconds plugin adds its tolerations), and its status is set from it
/// (Pending, with the QoS class its resources give): all functions of the spec alone. A
/// controller's pods carry its template's spec, the very same storage, so a pod whose spec
/// shares storage with the last one's gets the last one's results without running them
/// again, and the pods of a burst share one defaulted spec. (Storage is shared only by
/// copies nobody has written to since, so sharing it is being equal.)
final class PodCreateDefaults {
    /// The spec as the last pod arrived with it, and what became of its spec and status.
    private var given: JSON = .null
    private var spec: JSON = .null
    private var status: JSON = .null

    init() {}

    /// Defaults and admits `pod` (`Defaulting.apply`, `Admission.admitCreate`).
    func apply(to pod: inout JSON, _ info: ResourceInfo, version: KubernetesVersion, now: VirtualTime) {
        let given = pod["spec"]
        if given.sharesStorage(with: self.given) {
            pod["spec"] = spec
            pod["status"] = status
            return
        }
        Defaulting.apply(kind: info.kind, to: &pod, version: version)
        Admission.admitCreate(info, &pod, now: now)
        guard given.object != nil else { return }
        self.given = given
        spec = pod["spec"]
        status = pod["status"]
    }
}
