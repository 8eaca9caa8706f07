"""List, then watch, pods with the official Python client (Debian's python3-kubernetes).

Usage: list_watch.py KUBECONFIG NAMESPACE LABEL_SELECTOR TIMEOUT_SECONDS [MAX_EVENTS]

Prints one line per listed pod (`LISTED name`), then `WATCHING rv` once the watch starts from the
list's resourceVersion, then one `TYPE name` line per watch event until the server ends the watch
(timeoutSeconds) or MAX_EVENTS events arrived, then `END`. Errors go to stderr with exit code 1.
"""

import sys

from kubernetes import client, config, watch


def main(argv):
    if len(argv) not in (5, 6):
        print(__doc__, file=sys.stderr)
        return 2
    kubeconfig, namespace, selector, timeout = argv[1], argv[2], argv[3], int(argv[4])
    max_events = int(argv[5]) if len(argv) == 6 else None

    config.load_kube_config(config_file=kubeconfig)
    core = client.CoreV1Api()

    pods = core.list_namespaced_pod(namespace, label_selector=selector)
    for pod in sorted(pods.items, key=lambda p: p.metadata.name):
        print("LISTED %s" % pod.metadata.name, flush=True)

    resource_version = pods.metadata.resource_version
    print("WATCHING %s" % resource_version, flush=True)
    w = watch.Watch()
    seen = 0
    for event in w.stream(
        core.list_namespaced_pod,
        namespace,
        label_selector=selector,
        resource_version=resource_version,
        timeout_seconds=timeout,
    ):
        print("%s %s" % (event["type"], event["object"].metadata.name), flush=True)
        seen += 1
        if max_events is not None and seen >= max_events:
            w.stop()
            break
    print("END", flush=True)
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv))
    except Exception as err:  # report any client error as one line, for the test to show
        print("ERROR %s: %s" % (type(err).__name__, err), file=sys.stderr)
        sys.exit(1)
