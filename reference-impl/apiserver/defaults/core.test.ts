// core/v1 defaults. Each expected object is what kube-apiserver v1.32 stores for the manifest on
// create, without the registry's own fields and without what admission adds (service account,
// priority, tolerations). Facts from pkg/apis/core/v1/defaults.go, zz_generated.defaults.go and
// defaults_test.go; manifests from the kubernetes.io tasks.

import type {
  Endpoints,
  LimitRange,
  Namespace,
  Node,
  Pod,
  ResourceQuota,
  Secret,
  Service,
  ServiceAccount,
} from "kubernetes-types/core/v1.js";
import { describe, expect, it } from "vitest";
import { created, defaulted } from "./testing.ts";

const POD_SPEC_DEFAULTS = {
  dnsPolicy: "ClusterFirst",
  restartPolicy: "Always",
  schedulerName: "default-scheduler",
  securityContext: {},
  terminationGracePeriodSeconds: 30,
} as const;

const TERMINATION_MESSAGE = { terminationMessagePath: "/dev/termination-log", terminationMessagePolicy: "File" } as const;

describe("Pod", () => {
  it("defaults a bare pod (kubectl run nginx --image=nginx) as upstream", () => {
    const pod: Pod = { apiVersion: "v1", kind: "Pod", metadata: { name: "nginx" }, spec: { containers: [{ name: "nginx", image: "nginx" }] } };
    expect(created(pod).object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "nginx" },
      spec: {
        containers: [{ name: "nginx", image: "nginx", imagePullPolicy: "Always", resources: {}, ...TERMINATION_MESSAGE }],
        enableServiceLinks: true,
        ...POD_SPEC_DEFAULTS,
      },
      status: { phase: "Pending", qosClass: "BestEffort" },
    });
  });

  it("defaults init containers, probes, lifecycle hooks, env and volumes as upstream", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "myapp-pod", labels: { "app.kubernetes.io/name": "MyApp" } },
      spec: {
        initContainers: [
          {
            name: "init-myservice",
            image: "busybox:1.28",
            command: ["sh", "-c", "until nslookup myservice; do echo waiting for myservice; sleep 2; done"],
            resources: { limits: { cpu: "0.1" } },
          },
        ],
        containers: [
          {
            name: "liveness",
            image: "registry.k8s.io/e2e-test-images/agnhost:2.40",
            args: ["liveness"],
            ports: [{ name: "http", containerPort: 8080 }],
            env: [{ name: "MY_POD_IP", valueFrom: { fieldRef: { fieldPath: "status.podIP" } } }],
            resources: { limits: { cpu: "500m", memory: "128Mi" } },
            livenessProbe: {
              httpGet: { path: "/healthz", port: 8080, httpHeaders: [{ name: "Custom-Header", value: "Awesome" }] },
              initialDelaySeconds: 3,
              periodSeconds: 3,
            },
            readinessProbe: { tcpSocket: { port: 8080 }, initialDelaySeconds: 15 },
            startupProbe: { grpc: { port: 2379 }, failureThreshold: 30 },
            lifecycle: { preStop: { httpGet: { port: "http" } } },
          },
        ],
        volumes: [
          { name: "cache" },
          { name: "config", configMap: { name: "app-config" } },
          { name: "creds", secret: { secretName: "app-creds" } },
          { name: "podinfo", downwardAPI: { items: [{ path: "labels", fieldRef: { fieldPath: "metadata.labels" } }] } },
          { name: "token", projected: { sources: [{ serviceAccountToken: { path: "token" } }] } },
          { name: "host", hostPath: { path: "/var/log" } },
        ],
      },
    };
    expect(created(pod).object).toEqual({
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "myapp-pod", labels: { "app.kubernetes.io/name": "MyApp" } },
      spec: {
        initContainers: [
          {
            name: "init-myservice",
            image: "busybox:1.28",
            command: ["sh", "-c", "until nslookup myservice; do echo waiting for myservice; sleep 2; done"],
            imagePullPolicy: "IfNotPresent",
            // Requests default to limits in Pods; "0.1" is written canonically.
            resources: { limits: { cpu: "100m" }, requests: { cpu: "100m" } },
            ...TERMINATION_MESSAGE,
          },
        ],
        containers: [
          {
            name: "liveness",
            image: "registry.k8s.io/e2e-test-images/agnhost:2.40",
            args: ["liveness"],
            imagePullPolicy: "IfNotPresent",
            ports: [{ name: "http", containerPort: 8080, protocol: "TCP" }],
            env: [{ name: "MY_POD_IP", valueFrom: { fieldRef: { apiVersion: "v1", fieldPath: "status.podIP" } } }],
            resources: { limits: { cpu: "500m", memory: "128Mi" }, requests: { cpu: "500m", memory: "128Mi" } },
            livenessProbe: {
              httpGet: {
                path: "/healthz",
                port: 8080,
                scheme: "HTTP",
                httpHeaders: [{ name: "Custom-Header", value: "Awesome" }],
              },
              initialDelaySeconds: 3,
              periodSeconds: 3,
              timeoutSeconds: 1,
              successThreshold: 1,
              failureThreshold: 3,
            },
            readinessProbe: {
              tcpSocket: { port: 8080 },
              initialDelaySeconds: 15,
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
              failureThreshold: 3,
            },
            startupProbe: {
              grpc: { port: 2379, service: "" },
              failureThreshold: 30,
              timeoutSeconds: 1,
              periodSeconds: 10,
              successThreshold: 1,
            },
            lifecycle: { preStop: { httpGet: { port: "http", path: "/", scheme: "HTTP" } } },
            ...TERMINATION_MESSAGE,
          },
        ],
        volumes: [
          { name: "cache", emptyDir: {} },
          { name: "config", configMap: { name: "app-config", defaultMode: 420 } },
          { name: "creds", secret: { secretName: "app-creds", defaultMode: 420 } },
          {
            name: "podinfo",
            downwardAPI: {
              items: [{ path: "labels", fieldRef: { apiVersion: "v1", fieldPath: "metadata.labels" } }],
              defaultMode: 420,
            },
          },
          {
            name: "token",
            projected: { sources: [{ serviceAccountToken: { path: "token", expirationSeconds: 3600 } }], defaultMode: 420 },
          },
          { name: "host", hostPath: { path: "/var/log", type: "" } },
        ],
        enableServiceLinks: true,
        ...POD_SPEC_DEFAULTS,
      },
      // The init container limits cpu but not memory: Burstable.
      status: { phase: "Pending", qosClass: "Burstable" },
    });
  });

  it("keeps what the client set and treats Go zero values as unset", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        dnsPolicy: "",
        restartPolicy: "Never",
        terminationGracePeriodSeconds: 0,
        enableServiceLinks: false,
        containers: [
          {
            name: "c",
            image: "nginx:latest",
            imagePullPolicy: "Never",
            terminationMessagePolicy: "FallbackToLogsOnError",
            livenessProbe: { exec: { command: ["true"] }, timeoutSeconds: 0, periodSeconds: 5 },
          },
        ],
      },
    };
    const spec = defaulted(pod).spec!;
    expect(spec.dnsPolicy).toBe("ClusterFirst");
    expect(spec.restartPolicy).toBe("Never");
    expect(spec.terminationGracePeriodSeconds).toBe(0);
    expect(spec.enableServiceLinks).toBe(false);
    expect(spec.containers[0]).toEqual({
      name: "c",
      image: "nginx:latest",
      imagePullPolicy: "Never",
      terminationMessagePath: "/dev/termination-log",
      terminationMessagePolicy: "FallbackToLogsOnError",
      resources: {},
      livenessProbe: { exec: { command: ["true"] }, timeoutSeconds: 1, periodSeconds: 5, successThreshold: 1, failureThreshold: 3 },
    });
  });

  it("with host networking makes every regular and init container port a host port", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        hostNetwork: true,
        initContainers: [{ name: "i", image: "busybox", ports: [{ containerPort: 9000 }] }],
        containers: [{ name: "c", image: "nginx", ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }] }],
        ephemeralContainers: [{ name: "e", image: "busybox", ports: [{ containerPort: 7000 }] }],
      },
    };
    const spec = defaulted(pod).spec!;
    expect(spec.initContainers?.[0]?.ports).toEqual([{ containerPort: 9000, hostPort: 9000, protocol: "TCP" }]);
    expect(spec.containers[0]?.ports).toEqual([
      { containerPort: 80, hostPort: 80, protocol: "TCP" },
      { containerPort: 443, hostPort: 8443, protocol: "TCP" },
    ]);
    expect(spec.ephemeralContainers?.[0]?.ports).toEqual([{ containerPort: 7000, protocol: "TCP" }]);
  });

  it("rounds resource quantities up to milli and writes them canonically", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        containers: [
          {
            name: "c",
            image: "nginx",
            resources: {
              requests: { cpu: "0.0005", memory: "1.5Gi", "ephemeral-storage": "1000Mi" },
              limits: { cpu: 2 as unknown as string, memory: "2048Mi", "example.com/gpu": "1" },
            },
          },
        ],
        overhead: { cpu: "250m" },
      },
    };
    const spec = defaulted(pod).spec!;
    expect(spec.containers[0]?.resources).toEqual({
      requests: { cpu: "1m", memory: "1536Mi", "ephemeral-storage": "1000Mi", "example.com/gpu": "1" },
      limits: { cpu: "2", memory: "2Gi", "example.com/gpu": "1" },
    });
    expect(spec.overhead).toEqual({ cpu: "250m" });
  });

  it("leaves a malformed quantity for validation to reject", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "nginx", resources: { limits: { cpu: "lots" } } }] },
    };
    expect(defaulted(pod).spec!.containers[0]?.resources).toEqual({ limits: { cpu: "lots" }, requests: { cpu: "lots" } });
  });

  it("defaults the other volume sources' members (generated defaulters)", () => {
    const pod: Pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: {
        containers: [{ name: "c", image: "nginx" }],
        volumes: [
          { name: "a", azureDisk: { diskName: "d", diskURI: "u" } },
          { name: "b", iscsi: { targetPortal: "t", iqn: "q", lun: 0 } },
          { name: "c", rbd: { monitors: ["m"], image: "i" } },
          { name: "d", scaleIO: { gateway: "g", system: "s", secretRef: { name: "x" } } },
          {
            name: "e",
            ephemeral: { volumeClaimTemplate: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } } },
          },
          { name: "f", emptyDir: null as unknown as undefined },
        ],
      },
    };
    expect(defaulted(pod).spec!.volumes).toEqual([
      { name: "a", azureDisk: { diskName: "d", diskURI: "u", cachingMode: "ReadWrite", fsType: "ext4", readOnly: false, kind: "Shared" } },
      { name: "b", iscsi: { targetPortal: "t", iqn: "q", lun: 0, iscsiInterface: "default" } },
      { name: "c", rbd: { monitors: ["m"], image: "i", pool: "rbd", user: "admin", keyring: "/etc/ceph/keyring" } },
      { name: "d", scaleIO: { gateway: "g", system: "s", secretRef: { name: "x" }, storageMode: "ThinProvisioned", fsType: "xfs" } },
      {
        name: "e",
        ephemeral: {
          volumeClaimTemplate: {
            metadata: { creationTimestamp: null },
            spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } }, volumeMode: "Filesystem" },
          },
        },
      },
      { name: "f", emptyDir: {} },
    ]);
  });

  it("writes the status members Go always serializes", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "nginx" }] },
      status: {
        phase: "Running",
        conditions: [{ type: "Ready", status: "True", lastTransitionTime: "2024-05-01T10:00:00Z" }],
        containerStatuses: [{ name: "c", ready: true, restartCount: 0, image: "nginx", imageID: "", state: { running: {} } }],
      },
    } as unknown as Pod;
    expect(defaulted(pod).status).toEqual({
      phase: "Running",
      conditions: [{ type: "Ready", status: "True", lastProbeTime: null, lastTransitionTime: "2024-05-01T10:00:00Z" }],
      containerStatuses: [{ name: "c", ready: true, restartCount: 0, image: "nginx", imageID: "", state: { running: {} }, lastState: {} }],
    });
  });

  it("rounds the resource lists of container statuses", () => {
    const pod = {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: "p" },
      spec: { containers: [{ name: "c", image: "nginx" }] },
      status: { containerStatuses: [{ name: "c", allocatedResources: { cpu: "0.5" }, resources: { limits: { cpu: "0.25" } } }] },
    } as unknown as Pod;
    expect(defaulted(pod).status?.containerStatuses).toEqual([
      { name: "c", allocatedResources: { cpu: "500m" }, resources: { limits: { cpu: "250m" } }, state: {}, lastState: {} },
    ]);
  });
});

describe("Service", () => {
  it("defaults a Service with a named targetPort as upstream", () => {
    const service: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "nginx-service" },
      spec: {
        selector: { "app.kubernetes.io/name": "proxy" },
        ports: [{ name: "name-of-service-port", protocol: "TCP", port: 80, targetPort: "http-web-svc" }],
      },
    };
    expect(created(service).object).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "nginx-service" },
      spec: {
        selector: { "app.kubernetes.io/name": "proxy" },
        ports: [{ name: "name-of-service-port", protocol: "TCP", port: 80, targetPort: "http-web-svc" }],
        type: "ClusterIP",
        sessionAffinity: "None",
        internalTrafficPolicy: "Cluster",
      },
      status: { loadBalancer: {} },
    });
  });

  it("defaults targetPort to port and protocol to TCP", () => {
    const service: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "my-service" },
      spec: { selector: { app: "MyApp" }, ports: [{ port: 80 }, { port: 53, protocol: "UDP", targetPort: 0 }, { port: 8080, targetPort: "" }] },
    };
    expect(defaulted(service).spec!.ports).toEqual([
      { port: 80, targetPort: 80, protocol: "TCP" },
      { port: 53, targetPort: 53, protocol: "UDP" },
      { port: 8080, targetPort: 8080, protocol: "TCP" },
    ]);
  });

  it("defaults a NodePort Service as upstream", () => {
    const service: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "my-service" },
      spec: { type: "NodePort", selector: { "app.kubernetes.io/name": "MyApp" }, ports: [{ port: 80, targetPort: 80, nodePort: 30007 }] },
    };
    expect(created(service).object).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "my-service" },
      spec: {
        type: "NodePort",
        selector: { "app.kubernetes.io/name": "MyApp" },
        ports: [{ port: 80, targetPort: 80, nodePort: 30007, protocol: "TCP" }],
        sessionAffinity: "None",
        externalTrafficPolicy: "Cluster",
        internalTrafficPolicy: "Cluster",
      },
      status: { loadBalancer: {} },
    });
  });

  it("defaults a LoadBalancer Service and its ingress ipMode", () => {
    const service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "lb" },
      spec: { type: "LoadBalancer", ports: [{ port: 443 }] },
      status: { loadBalancer: { ingress: [{ ip: "192.0.2.127" }, { hostname: "lb.example.com" }] } },
    } as Service;
    expect(defaulted(service)).toEqual({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "lb" },
      spec: {
        type: "LoadBalancer",
        ports: [{ port: 443, targetPort: 443, protocol: "TCP" }],
        sessionAffinity: "None",
        externalTrafficPolicy: "Cluster",
        internalTrafficPolicy: "Cluster",
        allocateLoadBalancerNodePorts: true,
      },
      status: { loadBalancer: { ingress: [{ ip: "192.0.2.127", ipMode: "VIP" }, { hostname: "lb.example.com" }] } },
    });
  });

  it("gives ClientIP affinity a 10800s timeout and drops the config under None", () => {
    for (const sessionAffinityConfig of [undefined, {}, { clientIP: {} }]) {
      const service: Service = {
        apiVersion: "v1",
        kind: "Service",
        metadata: { name: "s" },
        spec: { sessionAffinity: "ClientIP", sessionAffinityConfig, ports: [{ port: 80 }] },
      };
      expect(defaulted(service).spec!.sessionAffinityConfig).toEqual({ clientIP: { timeoutSeconds: 10800 } });
    }
    const none: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: { sessionAffinityConfig: { clientIP: { timeoutSeconds: 60 } }, ports: [{ port: 80 }] },
    };
    expect(defaulted(none).spec!.sessionAffinityConfig).toBeUndefined();
  });

  it("treats ClusterIP with external IPs as externally accessible; ExternalName gets no traffic policies", () => {
    const external: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "s" },
      spec: { externalIPs: ["198.51.100.7"], ports: [{ port: 80 }] },
    };
    expect(defaulted(external).spec!.externalTrafficPolicy).toBe("Cluster");
    const externalName: Service = {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "my-service" },
      spec: { type: "ExternalName", externalName: "my.database.example.com" },
    };
    expect(defaulted(externalName).spec).toEqual({
      type: "ExternalName",
      externalName: "my.database.example.com",
      sessionAffinity: "None",
    });
  });
});

describe("Namespace", () => {
  it("labels the namespace with its name, requires the kubernetes finalizer and starts Active", () => {
    const namespace: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { name: "development", labels: { team: "a" } } };
    expect(created(namespace).object).toEqual({
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "development", labels: { team: "a", "kubernetes.io/metadata.name": "development" } },
      spec: { finalizers: ["kubernetes"] },
      status: { phase: "Active" },
    });
  });

  it("appends the kubernetes finalizer after the client's, overwrites a wrong name label, skips nameless", () => {
    const namespace: Namespace = {
      apiVersion: "v1",
      kind: "Namespace",
      metadata: { name: "ns", labels: { "kubernetes.io/metadata.name": "other" } },
      spec: { finalizers: ["example.com/cleanup"] },
      status: { phase: "Terminating" },
    };
    const { object } = created(namespace);
    expect(object.metadata?.labels).toEqual({ "kubernetes.io/metadata.name": "ns" });
    expect(object.spec).toEqual({ finalizers: ["example.com/cleanup", "kubernetes"] });
    expect(object.status).toEqual({ phase: "Active" });
    const nameless: Namespace = { apiVersion: "v1", kind: "Namespace", metadata: { generateName: "ns-" } };
    expect(defaulted(nameless).metadata).toEqual({ generateName: "ns-" });
  });
});

describe("Node", () => {
  it("defaults allocatable to capacity", () => {
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1" },
      status: { capacity: { cpu: "3.5", memory: "8Gi", pods: "110" } },
    } as Node;
    expect(defaulted(node)).toEqual({
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1" },
      spec: {},
      status: {
        capacity: { cpu: "3500m", memory: "8Gi", pods: "110" },
        allocatable: { cpu: "3500m", memory: "8Gi", pods: "110" },
        // Members Go always serializes, as a node created without a kubelet shows them.
        daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
        nodeInfo: {
          architecture: "",
          bootID: "",
          containerRuntimeVersion: "",
          kernelVersion: "",
          kubeProxyVersion: "",
          kubeletVersion: "",
          machineID: "",
          operatingSystem: "",
          osImage: "",
          systemUUID: "",
        },
      },
    });
  });

  it("drops dynamic kubelet config on create and keeps the status", () => {
    const node = {
      apiVersion: "v1",
      kind: "Node",
      metadata: { name: "n1" },
      spec: { configSource: { configMap: { name: "c" } }, podCIDR: "10.244.0.0/24" },
      status: { config: {}, allocatable: { cpu: "2" } },
    } as unknown as Node;
    const { object } = created(node);
    expect(object.spec).toEqual({ podCIDR: "10.244.0.0/24" });
    expect(object.status).not.toHaveProperty("config");
    expect(object.status?.allocatable).toEqual({ cpu: "2" });
  });
});

describe("Endpoints, Secret, ConfigMap, ServiceAccount, Event", () => {
  it("defaults endpoint port protocols to TCP", () => {
    const endpoints: Endpoints = {
      apiVersion: "v1",
      kind: "Endpoints",
      metadata: { name: "e" },
      subsets: [{ addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 80 }, { port: 53, protocol: "UDP" }] }],
    };
    expect(created(endpoints).object.subsets).toEqual([
      { addresses: [{ ip: "10.0.0.1" }], ports: [{ port: 80, protocol: "TCP" }, { port: 53, protocol: "UDP" }] },
    ]);
  });

  it("defaults a Secret's type to Opaque", () => {
    const secret: Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "s" }, data: { password: "MWYyZDFlMmU2N2Rm" } };
    expect(created(secret).object).toEqual({ ...secret, type: "Opaque" });
    const tls: Secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "t" }, type: "kubernetes.io/tls" };
    expect(created(tls).object).toEqual(tls);
  });

  it("leaves ConfigMaps as sent and gives Events only the members Go always serializes", () => {
    const configMap = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "c" } };
    expect(created(configMap).object).toEqual(configMap);
    const event = {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name: "p.17c5" },
      reason: "Started",
      involvedObject: { kind: "Pod", name: "p" },
      lastTimestamp: "2024-05-01T10:00:00Z",
    };
    expect(created(event).object).toEqual({
      ...event,
      source: {},
      firstTimestamp: null,
      eventTime: null,
      reportingComponent: "",
      reportingInstance: "",
    });
  });

  it("keeps only the names of a ServiceAccount's secret references on create", () => {
    const serviceAccount: ServiceAccount = {
      apiVersion: "v1",
      kind: "ServiceAccount",
      metadata: { name: "build-robot" },
      secrets: [{ name: "build-robot-token", namespace: "default", kind: "Secret", uid: "u" }, { kind: "Secret" }],
    };
    expect(created(serviceAccount).object.secrets).toEqual([{ name: "build-robot-token" }, {}]);
  });
});

describe("LimitRange and ResourceQuota", () => {
  it("derives container default limits from max and default requests from the defaults (upstream task)", () => {
    const limitRange: LimitRange = {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "cpu-min-max-demo-lr" },
      spec: { limits: [{ max: { cpu: "800m" }, min: { cpu: "200m" }, type: "Container" }] },
    };
    expect(created(limitRange).object.spec).toEqual({
      limits: [{ default: { cpu: "800m" }, defaultRequest: { cpu: "800m" }, max: { cpu: "800m" }, min: { cpu: "200m" }, type: "Container" }],
    });
  });

  it("falls back to min for default requests and leaves Pod items alone", () => {
    const limitRange: LimitRange = {
      apiVersion: "v1",
      kind: "LimitRange",
      metadata: { name: "lr" },
      spec: {
        limits: [
          { default: { memory: "512Mi" }, min: { cpu: "0.1", memory: "64Mi" }, type: "Container" },
          { max: { cpu: "2" }, type: "Pod" },
        ],
      },
    };
    expect(defaulted(limitRange).spec).toEqual({
      limits: [
        { default: { memory: "512Mi" }, defaultRequest: { memory: "512Mi", cpu: "100m" }, min: { cpu: "100m", memory: "64Mi" }, type: "Container" },
        { max: { cpu: "2" }, type: "Pod" },
      ],
    });
  });

  it("rounds quota quantities and clears the status on create", () => {
    const quota = {
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "mem-cpu-demo" },
      spec: { hard: { "requests.cpu": "0.5", "requests.memory": "1Gi", "limits.cpu": "2", pods: "10" } },
      status: { used: { pods: "3" } },
    } as ResourceQuota;
    expect(created(quota).object).toEqual({
      apiVersion: "v1",
      kind: "ResourceQuota",
      metadata: { name: "mem-cpu-demo" },
      spec: { hard: { "requests.cpu": "500m", "requests.memory": "1Gi", "limits.cpu": "2", pods: "10" } },
      status: {},
    });
  });
});
