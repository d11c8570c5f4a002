/// DefaultBinder (plugins/defaultbinder): posts a Binding to the pod's `binding` subresource.
final class DefaultBinder: BindPlugin {
    let name = "DefaultBinder"

    func bind(_ pod: PodInfo, _ node: String, _ client: inout ClientRuntime, _ ctx: inout Context) -> UInt64 {
        var request = APIRequest(.create, "pods", namespace: pod.namespace, name: pod.name)
        request.subresource = "binding"
        request.body = [
            "apiVersion": "v1", "kind": "Binding",
            "metadata": ["name": .string(pod.name), "namespace": .string(pod.namespace), "uid": .string(pod.uid)],
            "target": ["kind": "Node", "name": .string(node)],
        ]
        return client.send(request, &ctx)
    }
}
