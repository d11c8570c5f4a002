#!/usr/bin/env python3
"""Writes Sources/KubeSim/Model/Validation/KnownFields+Tables.swift: the JSON members of every
Go struct behind the kinds kubesim serves, for Kubernetes 1.18 and 1.36, read from the official
Python client's models (their `attribute_map` and `openapi_types`, generated from upstream's
OpenAPI document).

    pip install --no-deps --target /tmp/k8s-118 kubernetes==18.20.0
    pip install --no-deps --target /tmp/k8s-136 kubernetes==36.0.3
    python3 scripts/known_fields.py /tmp/k8s-118 /tmp/k8s-136 > Sources/KubeSim/Model/Validation/KnownFields+Tables.swift

The models are read as source (not imported): the client's package needs more than its models.
"""
import ast
import os
import re
import sys

ROOTS = {
    "Pod": "V1Pod", "Deployment": "V1Deployment", "ReplicaSet": "V1ReplicaSet", "DaemonSet": "V1DaemonSet",
    "Service": "V1Service", "Node": "V1Node", "Namespace": "V1Namespace", "ConfigMap": "V1ConfigMap",
    "Secret": "V1Secret", "Lease": "V1Lease", "Event": "CoreV1Event", "ControllerRevision": "V1ControllerRevision",
    "PodDisruptionBudget": "V1PodDisruptionBudget", "PriorityClass": "V1PriorityClass",
}
# 1.18's client names a few classes otherwise (policy/v1 arrived in 1.21; core Event was V1Event).
FALLBACKS = {"V1PodDisruptionBudget": "V1beta1PodDisruptionBudget", "CoreV1Event": "V1Event"}

APPS = ("Deployment", "ReplicaSet", "DaemonSet", "RollingUpdateD", "ControllerRevision")
META = ("ObjectMeta", "OwnerReference", "ManagedFieldsEntry", "LabelSelector", "ListMeta")


def read_models(root):
    models = {}
    directory = os.path.join(root, "kubernetes", "client", "models")
    for file in sorted(os.listdir(directory)):
        if not file.endswith(".py") or file == "__init__.py":
            continue
        tree = ast.parse(open(os.path.join(directory, file)).read())
        for node in tree.body:
            if not isinstance(node, ast.ClassDef):
                continue
            values = {}
            for item in node.body:
                if isinstance(item, ast.Assign) and len(item.targets) == 1 and isinstance(item.targets[0], ast.Name):
                    if item.targets[0].id in ("openapi_types", "attribute_map"):
                        values[item.targets[0].id] = ast.literal_eval(item.value)
            if "openapi_types" in values and "attribute_map" in values:
                models[node.name] = values
    return models


def openapi_name(cls, root_group):
    """The OpenAPI definition name kubectl 1.18's validation prints (io.k8s.api.apps.v1.DeploymentSpec)."""
    m = re.match(r"(?:CoreV1|V1beta1|V1)(.*)", cls)
    name = m.group(1) if m else cls
    if name.startswith(META):
        return "io.k8s.apimachinery.pkg.apis.meta.v1." + name
    if name.startswith(APPS):
        return "io.k8s.api.apps.v1." + name
    if name.startswith("PodDisruptionBudget"):
        return "io.k8s.api.policy.%s.%s" % ("v1beta1" if cls.startswith("V1beta1") else "v1", name)
    if name.startswith("Lease"):
        return "io.k8s.api.coordination.v1." + name
    if name.startswith("PriorityClass"):
        return "io.k8s.api.scheduling.v1." + name
    return "io.k8s.api.core.v1." + name


def member(type_string, models):
    """`field` for a value not checked inside, `field:T` a struct, `field:[T` a list of them,
    `field:{T` a map of them."""
    t = type_string.replace("List[", "list[").replace("Dict[", "dict(").replace("]", ")") if False else type_string
    m = re.fullmatch(r"(?:list|List)\[(\w+)\]", t)
    if m and m.group(1) in models:
        return "[", m.group(1)
    m = re.fullmatch(r"(?:dict\(str, |Dict\[str, )(\w+)[)\]]", t)
    if m and m.group(1) in models:
        return "{", m.group(1)
    if t in models:
        return ":", t
    return None, None


def table(root, label):
    models = read_models(root)
    out, seen, queue = [], set(), []
    roots = {}
    for kind, cls in ROOTS.items():
        if cls not in models:
            cls = FALLBACKS.get(cls, cls)
        if cls not in models:
            continue
        roots[kind] = cls
        queue.append(cls)
    while queue:
        cls = queue.pop(0)
        if cls in seen:
            continue
        seen.add(cls)
        model = models[cls]
        parts = [cls, openapi_name(cls, None)]
        for attr, json_name in model["attribute_map"].items():
            how, inner = member(model["openapi_types"][attr], models)
            if inner is None:
                parts.append(json_name)
            else:
                parts.append(json_name + how + inner)
                queue.append(inner)
        out.append(" ".join(parts))
    lines = ["    static let %s = KnownFields(" % label, "        roots: ["]
    for kind, cls in roots.items():
        lines.append('            "%s": "%s",' % (kind, cls))
    lines.append("        ],")
    lines.append('        structs: """')
    for line in sorted(out):
        lines.append("        " + line)
    lines.append('        """)')
    return "\n".join(lines)


def main():
    old, new = sys.argv[1], sys.argv[2]
    print("// Generated by scripts/known_fields.py from the official Kubernetes Python client's models")
    print("// (18.20.0 for Kubernetes 1.18, 36.0.3 for 1.36), which upstream generates from its OpenAPI")
    print("// document. Do not edit: run the script (see its header) instead.")
    print("//")
    print("// One line per Go struct: its client class, its OpenAPI definition name, then its JSON")
    print("// members; `name:T` holds struct T, `name:[T` a list of them, `name:{T` a map of them, and a")
    print("// bare name a value whose inside is not checked (a scalar, a map or list of scalars, or an")
    print("// IntOrString, Quantity or RawExtension).")
    print("extension KnownFields {")
    print(table(old, "v1_18"))
    print()
    print(table(new, "v1_36"))
    print("}")


main()
