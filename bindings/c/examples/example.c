/*
 * example.c — a tour of the kubesim C API.
 *
 * Creates a three-node cluster, applies a Deployment, lets 30 virtual seconds pass, lists
 * the pods, asks kubectl for the same view, cordons a node, shows how an error comes back,
 * and cleans up. Build: make -C bindings/c (the binary is bindings/c/build/example).
 */
#include <stdio.h>
#include <stdlib.h>

#include <jansson.h>

#include "kubesim.h"

static const char *const deployment =
    "apiVersion: apps/v1\n"
    "kind: Deployment\n"
    "metadata:\n"
    "  name: nginx-deployment\n"
    "spec:\n"
    "  replicas: 3\n"
    "  selector:\n"
    "    matchLabels:\n"
    "      app: nginx-pod\n"
    "  template:\n"
    "    metadata:\n"
    "      labels:\n"
    "        app: nginx-pod\n"
    "    spec:\n"
    "      containers:\n"
    "        - name: nginx\n"
    "          image: nginx:1.15\n"
    "          ports:\n"
    "            - containerPort: 80\n";

/* A string member of a JSON object, or "" (jansson returns NULL for anything else). */
static const char *str(const json_t *object, const char *key)
{
    const char *s = json_string_value(json_object_get(object, key));
    return s ? s : "";
}

/* On failure the out parameter holds a Kubernetes Status; its message is for people. */
static void print_error(const char *what, int rc, const char *status_json)
{
    json_t *status = status_json ? json_loads(status_json, 0, NULL) : NULL;
    printf("%s failed (%d, %s): %s\n", what, rc, str(status, "reason"), str(status, "message"));
    json_decref(status);
}

int main(void)
{
    /* The header and the library must agree. */
    if (ks_version_number() != KS_VERSION_NUMBER) {
        fprintf(stderr, "kubesim.h is %s but libkubesim is %s\n", KS_VERSION, ks_version());
        return 1;
    }

    /* A cluster of three nodes: minikube, minikube-m02, minikube-m03. */
    ks_cluster *cluster = NULL;
    char *out = NULL;
    int rc = ks_cluster_new("{\"seed\": 1, \"nodes\": 3}", &cluster, &out);
    if (rc != KS_OK) {
        print_error("ks_cluster_new", rc, out);
        ks_free(out);
        return 1;
    }

    /* kubectl apply -f nginx-deployment.yaml */
    rc = ks_apply(cluster, deployment, &out);
    if (rc != KS_OK) {
        print_error("ks_apply", rc, out);
    } else {
        json_t *result = json_loads(out, 0, NULL);
        size_t i;
        json_t *item;
        json_array_foreach(json_object_get(result, "items"), i, item) {
            printf("%s\n", str(item, "output"));
        }
        json_decref(result);
    }
    ks_free(out);

    /* Let the controllers, the scheduler and the kubelets work for 30 virtual seconds. */
    rc = ks_run(cluster, "{\"duration\": \"30s\"}", &out);
    if (rc != KS_OK)
        print_error("ks_run", rc, out);
    ks_free(out);

    /* The pods, read as JSON. */
    rc = ks_list(cluster, "{\"resource\": \"pods\", \"labelSelector\": \"app=nginx-pod\"}", &out);
    if (rc != KS_OK) {
        print_error("ks_list", rc, out);
    } else {
        json_t *list = json_loads(out, 0, NULL);
        size_t i;
        json_t *pod;
        printf("\n%-40s %-14s %s\n", "POD", "NODE", "PHASE");
        json_array_foreach(json_object_get(list, "items"), i, pod) {
            const char *name = str(json_object_get(pod, "metadata"), "name");
            const char *node = str(json_object_get(pod, "spec"), "nodeName");
            const char *phase = str(json_object_get(pod, "status"), "phase");
            printf("%-40s %-14s %s\n", name, node[0] ? node : "<none>", phase);
        }
        json_decref(list);
    }
    ks_free(out);

    /* The same, as kubectl prints it. */
    rc = ks_kubectl(cluster, "{\"command\": \"get pods -o wide\"}", &out);
    if (rc == KS_OK) {
        json_t *result = json_loads(out, 0, NULL);
        printf("\n$ kubectl get pods -o wide\n%s%s", str(result, "stdout"), str(result, "stderr"));
        json_decref(result);
    }
    ks_free(out);

    /* kubectl cordon minikube-m02 */
    rc = ks_node(cluster, "{\"action\": \"cordon\", \"name\": \"minikube-m02\"}", &out);
    if (rc == KS_OK) {
        json_t *result = json_loads(out, 0, NULL);
        printf("\n%s\n", str(result, "output"));
        json_decref(result);
    } else {
        print_error("ks_node", rc, out);
    }
    ks_free(out);

    /* Errors: a code for the program, a Status for people. */
    rc = ks_get(cluster, "{\"resource\": \"pods\", \"name\": \"nope\"}", &out);
    if (rc != KS_OK)
        print_error("\nks_get pods/nope", rc, out); /* ... (-2, NotFound): pods "nope" not found */
    ks_free(out);

    ks_cluster_free(cluster);
    return 0;
}
