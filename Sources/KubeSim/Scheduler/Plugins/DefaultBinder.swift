/// DefaultBinder (plugins/defaultbinder): posts a Binding to the pod's `binding` subresource.
final class DefaultBinder: BindPlugin {
    let name = "DefaultBinder"

    func bind(_ pod: PodInfo, _ node: String, _ client: inout ClientRuntime, _ ctx: inout Context) -> UInt64 {
        var request = APIRequest(.create, "pods", namespace: pod.namespace, name: pod.name)
        request.subresource = "binding"
        // Built member by member, each object at its size: one binding per pod scheduled.
        var metadata = JSONObject(minimumCapacity: 3)
        metadata.append(key: "name", value: .string(pod.name))
        metadata.append(key: "namespace", value: .string(pod.namespace))
        metadata.append(key: "uid", value: .string(pod.uid))
        var target = JSONObject(minimumCapacity: 2)
        target.append(key: "kind", value: "Node")
        target.append(key: "name", value: .string(node))
        var binding = JSONObject(minimumCapacity: 4)
        binding.append(key: "apiVersion", value: "v1")
        binding.append(key: "kind", value: "Binding")
        binding.append(key: "metadata", value: .object(metadata))
        binding.append(key: "target", value: .object(target))
        request.body = .object(binding)
        return client.send(request, &ctx)
    }
}
