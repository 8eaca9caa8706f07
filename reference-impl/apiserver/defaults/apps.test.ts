// Each expected object is what kube-apiserver v1.32 returns for the manifest on create, without the
// fields the registry fills (uid, resourceVersion, creationTimestamp). Manifests are the
// kubernetes.io tutorial ones; defaults from pkg/apis/apps/v1/defaults.go and defaults_test.go.

import { describe, expect, it } from "vitest";
import type { DaemonSet, Deployment, StatefulSet } from "kubernetes-types/apps/v1.js";
import { created, defaulted } from "./testing.ts";

/** What every container in a pod template gets (SetDefaults_Container and the Go struct). */
const CONTAINER_DEFAULTS = {
  resources: {},
  terminationMessagePath: "/dev/termination-log",
  terminationMessagePolicy: "File",
} as const;

/** What every pod template spec gets (SetDefaults_PodSpec). */
const POD_SPEC_DEFAULTS = {
  dnsPolicy: "ClusterFirst",
  restartPolicy: "Always",
  schedulerName: "default-scheduler",
  securityContext: {},
  terminationGracePeriodSeconds: 30,
} as const;

describe("Deployment", () => {
  const nginxDeployment: Deployment = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "nginx-deployment", labels: { app: "nginx" } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: "nginx" } },
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: { containers: [{ name: "nginx", image: "nginx:1.14.2", ports: [{ containerPort: 80 }] }] },
      },
    },
  };

  it("defaults the tutorial nginx Deployment as upstream", () => {
    expect(created(nginxDeployment).object).toEqual({
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "nginx-deployment", labels: { app: "nginx" }, generation: 1 },
      spec: {
        replicas: 3,
        selector: { matchLabels: { app: "nginx" } },
        strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
        template: {
          metadata: { creationTimestamp: null, labels: { app: "nginx" } },
          spec: {
            containers: [
              {
                name: "nginx",
                image: "nginx:1.14.2",
                imagePullPolicy: "IfNotPresent",
                ports: [{ containerPort: 80, protocol: "TCP" }],
                ...CONTAINER_DEFAULTS,
              },
            ],
            ...POD_SPEC_DEFAULTS,
          },
        },
      },
      status: {},
    });
  });

  it("defaults replicas to 1 and keeps a Recreate strategy without rollingUpdate", () => {
    const recreate = structuredClone(nginxDeployment);
    delete recreate.spec!.replicas;
    recreate.spec!.strategy = { type: "Recreate" };
    const spec = defaulted(recreate).spec!;
    expect(spec.replicas).toBe(1);
    expect(spec.strategy).toEqual({ type: "Recreate" });
  });

  it("fills only the missing half of rollingUpdate", () => {
    const partial = structuredClone(nginxDeployment);
    partial.spec!.strategy = { rollingUpdate: { maxSurge: 0 } };
    expect(defaulted(partial).spec!.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxSurge: 0, maxUnavailable: "25%" },
    });
  });

  it("does not give templates the Pod-only defaults", () => {
    const withLimits = structuredClone(nginxDeployment);
    withLimits.spec!.template.spec!.hostNetwork = true;
    withLimits.spec!.template.spec!.containers[0]!.resources = { limits: { cpu: "1" } };
    const podSpec = defaulted(withLimits).spec!.template.spec!;
    expect(podSpec.enableServiceLinks).toBeUndefined();
    expect(podSpec.containers[0]?.resources).toEqual({ limits: { cpu: "1" } });
    expect(podSpec.containers[0]?.ports).toEqual([{ containerPort: 80, protocol: "TCP" }]);
  });
});

describe("ReplicaSet", () => {
  it("defaults replicas and the template; status shows replicas 0", () => {
    const { object } = created({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "frontend" },
      spec: {
        selector: { matchLabels: { tier: "frontend" } },
        template: {
          metadata: { labels: { tier: "frontend" } },
          spec: { containers: [{ name: "php-redis", image: "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5" }] },
        },
      },
    });
    expect(object).toEqual({
      apiVersion: "apps/v1",
      kind: "ReplicaSet",
      metadata: { name: "frontend", generation: 1 },
      spec: {
        replicas: 1,
        selector: { matchLabels: { tier: "frontend" } },
        template: {
          metadata: { creationTimestamp: null, labels: { tier: "frontend" } },
          spec: {
            containers: [
              {
                name: "php-redis",
                image: "us-docker.pkg.dev/google-samples/containers/gke/gb-frontend:v5",
                imagePullPolicy: "IfNotPresent",
                ...CONTAINER_DEFAULTS,
              },
            ],
            ...POD_SPEC_DEFAULTS,
          },
        },
      },
      status: { replicas: 0 },
    });
  });
});

describe("DaemonSet", () => {
  const fluentd: DaemonSet = {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "fluentd-elasticsearch", namespace: "kube-system", labels: { "k8s-app": "fluentd-logging" } },
    spec: {
      selector: { matchLabels: { name: "fluentd-elasticsearch" } },
      template: {
        metadata: { labels: { name: "fluentd-elasticsearch" } },
        spec: {
          tolerations: [
            { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
            { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
          ],
          containers: [
            {
              name: "fluentd-elasticsearch",
              image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
              resources: { limits: { memory: "200Mi" }, requests: { cpu: "100m", memory: "200Mi" } },
              volumeMounts: [{ name: "varlog", mountPath: "/var/log" }],
            },
          ],
          terminationGracePeriodSeconds: 30,
          volumes: [{ name: "varlog", hostPath: { path: "/var/log" } }],
        },
      },
    },
  };

  it("defaults the tutorial fluentd DaemonSet as upstream", () => {
    expect(created(fluentd).object).toEqual({
      apiVersion: "apps/v1",
      kind: "DaemonSet",
      metadata: {
        name: "fluentd-elasticsearch",
        namespace: "kube-system",
        labels: { "k8s-app": "fluentd-logging" },
        annotations: { "deprecated.daemonset.template.generation": "1" },
        generation: 1,
      },
      spec: {
        selector: { matchLabels: { name: "fluentd-elasticsearch" } },
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
        revisionHistoryLimit: 10,
        template: {
          metadata: { creationTimestamp: null, labels: { name: "fluentd-elasticsearch" } },
          spec: {
            tolerations: [
              { key: "node-role.kubernetes.io/control-plane", operator: "Exists", effect: "NoSchedule" },
              { key: "node-role.kubernetes.io/master", operator: "Exists", effect: "NoSchedule" },
            ],
            containers: [
              {
                name: "fluentd-elasticsearch",
                image: "quay.io/fluentd_elasticsearch/fluentd:v2.5.2",
                imagePullPolicy: "IfNotPresent",
                resources: { limits: { memory: "200Mi" }, requests: { cpu: "100m", memory: "200Mi" } },
                terminationMessagePath: "/dev/termination-log",
                terminationMessagePolicy: "File",
                volumeMounts: [{ name: "varlog", mountPath: "/var/log" }],
              },
            ],
            volumes: [{ name: "varlog", hostPath: { path: "/var/log", type: "" } }],
            ...POD_SPEC_DEFAULTS,
          },
        },
      },
      status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
    });
  });

  it("keeps a template generation the client sent", () => {
    const annotated = structuredClone(fluentd);
    annotated.metadata!.annotations = { "deprecated.daemonset.template.generation": "7" };
    expect(created(annotated).object.metadata!.annotations).toEqual({ "deprecated.daemonset.template.generation": "7" });
  });

  it("leaves an OnDelete strategy without rollingUpdate", () => {
    const onDelete = structuredClone(fluentd);
    onDelete.spec!.updateStrategy = { type: "OnDelete" };
    expect(defaulted(onDelete).spec!.updateStrategy).toEqual({ type: "OnDelete" });
  });
});

describe("StatefulSet", () => {
  const web: StatefulSet = {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "web" },
    spec: {
      selector: { matchLabels: { app: "nginx" } },
      serviceName: "nginx",
      replicas: 3,
      minReadySeconds: 10,
      template: {
        metadata: { labels: { app: "nginx" } },
        spec: {
          terminationGracePeriodSeconds: 10,
          containers: [
            {
              name: "nginx",
              image: "registry.k8s.io/nginx-slim:0.24",
              ports: [{ containerPort: 80, name: "web" }],
              volumeMounts: [{ name: "www", mountPath: "/usr/share/nginx/html" }],
            },
          ],
        },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: "www" },
          spec: {
            accessModes: ["ReadWriteOnce"],
            storageClassName: "my-storage-class",
            resources: { requests: { storage: "1Gi" } },
          },
        },
      ],
    },
  };

  it("defaults the tutorial web StatefulSet as upstream", () => {
    expect(created(web).object).toEqual({
      apiVersion: "apps/v1",
      kind: "StatefulSet",
      metadata: { name: "web", generation: 1 },
      spec: {
        selector: { matchLabels: { app: "nginx" } },
        serviceName: "nginx",
        replicas: 3,
        minReadySeconds: 10,
        podManagementPolicy: "OrderedReady",
        updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
        persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
        revisionHistoryLimit: 10,
        template: {
          metadata: { creationTimestamp: null, labels: { app: "nginx" } },
          spec: {
            containers: [
              {
                name: "nginx",
                image: "registry.k8s.io/nginx-slim:0.24",
                imagePullPolicy: "IfNotPresent",
                ports: [{ containerPort: 80, name: "web", protocol: "TCP" }],
                volumeMounts: [{ name: "www", mountPath: "/usr/share/nginx/html" }],
                ...CONTAINER_DEFAULTS,
              },
            ],
            ...POD_SPEC_DEFAULTS,
            terminationGracePeriodSeconds: 10,
          },
        },
        volumeClaimTemplates: [
          {
            apiVersion: "v1",
            kind: "PersistentVolumeClaim",
            metadata: { name: "www", creationTimestamp: null },
            spec: {
              accessModes: ["ReadWriteOnce"],
              storageClassName: "my-storage-class",
              resources: { requests: { storage: "1Gi" } },
              volumeMode: "Filesystem",
            },
            status: { phase: "Pending" },
          },
        ],
      },
      status: { replicas: 0, availableReplicas: 0 },
    });
  });

  it("gives an explicit RollingUpdate without rollingUpdate no partition, and keeps Parallel", () => {
    const explicit = structuredClone(web);
    explicit.spec!.updateStrategy = { type: "RollingUpdate" };
    explicit.spec!.podManagementPolicy = "Parallel";
    explicit.spec!.persistentVolumeClaimRetentionPolicy = { whenDeleted: "Delete" };
    const spec = defaulted(explicit).spec!;
    expect(spec.updateStrategy).toEqual({ type: "RollingUpdate" });
    expect(spec.podManagementPolicy).toBe("Parallel");
    expect(spec.persistentVolumeClaimRetentionPolicy).toEqual({ whenDeleted: "Delete", whenScaled: "Retain" });
  });

  it("fills partition 0 into a given rollingUpdate block", () => {
    const given = structuredClone(web);
    given.spec!.updateStrategy = { type: "RollingUpdate", rollingUpdate: {} };
    expect(defaulted(given).spec!.updateStrategy).toEqual({ type: "RollingUpdate", rollingUpdate: { partition: 0 } });
  });
});

describe("ControllerRevision", () => {
  it("has no defaults and nothing to prepare", () => {
    const revision = { apiVersion: "apps/v1", kind: "ControllerRevision", metadata: { name: "r" }, revision: 1, data: {} };
    expect(created(revision).object).toEqual(revision);
  });
});
