// Objects shared by the tests of harness/assert: as the API server returns them (defaulted fields,
// status written by the kubelet), trimmed to what the tests look at.

/** A pod; `nodeName: null` makes it unscheduled (Pending, PodScheduled=False, reason Unschedulable). */
export function makePod(name: string, phase: string, nodeName: string | null = "node-1"): Record<string, unknown> {
  const scheduled = nodeName !== null;
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name, namespace: "default", uid: `uid-${name}`, labels: { app: "web", "app.kubernetes.io/name": "web" } },
    spec: {
      ...(scheduled ? { nodeName } : {}),
      containers: [
        { name: "sidecar", image: "envoy:1.30" },
        {
          name: "web",
          image: "nginx:1.25",
          args: ["--port", "8080"],
          ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
          resources: { requests: { cpu: "500m", memory: "64Mi" } },
        },
      ],
      tolerations: [
        { key: "node.kubernetes.io/not-ready", operator: "Exists", effect: "NoExecute", tolerationSeconds: 300 },
        { key: "gpu", operator: "Equal", value: "true", effect: "NoSchedule" },
      ],
    },
    status: {
      phase,
      conditions: scheduled
        ? [
            { type: "Initialized", status: "True" },
            { type: "PodScheduled", status: "True" },
            { type: "Ready", status: phase === "Running" ? "True" : "False" },
          ]
        : [{ type: "PodScheduled", status: "False", reason: "Unschedulable", message: "0/1 nodes are available" }],
    },
  };
}

export function makeNode(name: string): Record<string, unknown> {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: { name, labels: { "kubernetes.io/hostname": name } },
    spec: { taints: [{ key: "gpu", value: "true", effect: "NoSchedule" }] },
    status: {
      capacity: { cpu: "8", memory: "32Gi", pods: "110" },
      allocatable: { cpu: "7800m", memory: "31Gi", pods: "110" },
      conditions: [{ type: "Ready", status: "True", reason: "KubeletReady" }],
    },
  };
}

export function makeDeployment(name: string, replicas: number, readyReplicas?: number): Record<string, unknown> {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name, namespace: "default" },
    spec: { replicas, selector: { matchLabels: { app: name } } },
    status: readyReplicas === undefined ? { replicas } : { replicas, readyReplicas },
  };
}
