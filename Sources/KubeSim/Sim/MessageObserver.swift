/// Told of every message the simulation loop hands to a component, before and after, so that
/// an embedding program can see where its time goes (`kubesim-bench --breakdown`). Anything
/// timed is timed by the observer: the core reads no clock.
///
/// The cluster holds its observer strongly (an observer that holds the cluster should let go
/// of it, or be removed, to free both), and an observer must not call into the cluster.
public protocol MessageObserver: AnyObject {
    /// `component` is the component's kind (`APIServer`, `Kubelet`, …); `message` what it is
    /// handling (`create pods/binding`, `watch Pod MODIFIED`, `timer`, `response`, …).
    func willHandle(component: String, message: String)
    func didHandle()
}

extension Message {
    /// A short label of the message's kind, for a `MessageObserver`.
    var label: String {
        switch self {
        case .start: return "start"
        case .request(let box):
            let r = box.request
            return "\(r.verb.rawValue) \(r.resource)" + (r.subresource.map { "/" + $0 } ?? "")
        case .response: return "response"
        case .watch(let event): return "watch \(event.object.kind) \(event.type.rawValue)"
        case .timer: return "timer"
        case .store(let m):
            switch m {
            case .raft: return "etcd raft"
            case .request: return "etcd request"
            case .response: return "etcd response"
            }
        }
    }
}
