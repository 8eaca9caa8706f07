// Test fixtures: valid, already-defaulted objects of each served kind (validation runs after
// defaulting, as in kube-apiserver). Tests copy one and break a single field.

type Obj = Record<string, unknown>;

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function container(name = "app", extra: Obj = {}): Obj {
  return {
    name,
    image: "nginx:1.27",
    imagePullPolicy: "IfNotPresent",
    terminationMessagePath: "/dev/termination-log",
    terminationMessagePolicy: "File",
    resources: {},
    ...extra,
  };
}

export function podSpec(extra: Obj = {}): Obj {
  return {
    containers: [container()],
    restartPolicy: "Always",
    dnsPolicy: "ClusterFirst",
    terminationGracePeriodSeconds: 30,
    schedulerName: "default-scheduler",
    securityContext: {},
    enableServiceLinks: true,
    ...extra,
  };
}

export function pod(extra: Obj = {}, spec: Obj = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: "web", namespace: "default", uid: "u1", resourceVersion: "1", creationTimestamp: "2025-01-01T00:00:00Z" },
    spec: podSpec(spec),
    ...extra,
  };
}

export function template(labels: Record<string, string> = { app: "web" }, spec: Obj = {}): Obj {
  return { metadata: { labels }, spec: podSpec(spec) };
}

export function deployment(spec: Obj = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "web", namespace: "default", uid: "u1", resourceVersion: "1", generation: 1 },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: "web" } },
      template: template(),
      strategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: "25%", maxSurge: "25%" } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      ...spec,
    },
  };
}

export function replicaSet(spec: Obj = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "ReplicaSet",
    metadata: { name: "web", namespace: "default", uid: "u1", resourceVersion: "1" },
    spec: { replicas: 1, selector: { matchLabels: { app: "web" } }, template: template(), ...spec },
  };
}

export function daemonSet(spec: Obj = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "DaemonSet",
    metadata: { name: "agent", namespace: "default", uid: "u1", resourceVersion: "1" },
    spec: {
      selector: { matchLabels: { app: "web" } },
      template: template(),
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
      revisionHistoryLimit: 10,
      ...spec,
    },
  };
}

export function statefulSet(spec: Obj = {}): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: "db", namespace: "default", uid: "u1", resourceVersion: "1" },
    spec: {
      replicas: 1,
      serviceName: "db",
      selector: { matchLabels: { app: "web" } },
      template: template(),
      podManagementPolicy: "OrderedReady",
      updateStrategy: { type: "RollingUpdate", rollingUpdate: { partition: 0 } },
      revisionHistoryLimit: 10,
      persistentVolumeClaimRetentionPolicy: { whenDeleted: "Retain", whenScaled: "Retain" },
      ...spec,
    },
  };
}

const JOB_UID = "0f4c0b8e-0000-4000-8000-000000000001";

/** A Job as the job strategy leaves it: generated selector and labels from the uid. */
export function job(spec: Obj = {}): Obj {
  const labels = {
    "batch.kubernetes.io/controller-uid": JOB_UID,
    "batch.kubernetes.io/job-name": "pi",
    "controller-uid": JOB_UID,
    "job-name": "pi",
  };
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: { name: "pi", namespace: "default", uid: JOB_UID, resourceVersion: "1" },
    spec: {
      parallelism: 1,
      completions: 1,
      backoffLimit: 6,
      completionMode: "NonIndexed",
      suspend: false,
      podReplacementPolicy: "TerminatingOrFailed",
      manualSelector: false,
      selector: { matchLabels: { "batch.kubernetes.io/controller-uid": JOB_UID } },
      template: template(labels, { restartPolicy: "Never" }),
      ...spec,
    },
  };
}

export function cronJob(spec: Obj = {}): Obj {
  return {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: "nightly", namespace: "default", uid: "u1", resourceVersion: "1" },
    spec: {
      schedule: "*/5 * * * *",
      concurrencyPolicy: "Allow",
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
      jobTemplate: {
        spec: {
          backoffLimit: 6,
          completionMode: "NonIndexed",
          template: template({ app: "nightly" }, { restartPolicy: "OnFailure" }),
        },
      },
      ...spec,
    },
  };
}

export function service(spec: Obj = {}): Obj {
  return {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: "web", namespace: "default", uid: "u1", resourceVersion: "1" },
    spec: {
      type: "ClusterIP",
      selector: { app: "web" },
      ports: [{ name: "http", protocol: "TCP", port: 80, targetPort: 8080 }],
      clusterIP: "10.96.0.10",
      clusterIPs: ["10.96.0.10"],
      ipFamilies: ["IPv4"],
      ipFamilyPolicy: "SingleStack",
      sessionAffinity: "None",
      internalTrafficPolicy: "Cluster",
      ...spec,
    },
  };
}

export function named(kind: string, apiVersion: string, name: string, namespace: string | undefined, body: Obj = {}): Obj {
  const metadata: Obj = { name, uid: "u1", resourceVersion: "1" };
  if (namespace !== undefined) metadata["namespace"] = namespace;
  return { apiVersion, kind, metadata, ...body };
}

/** The object after an update: same identity, bumped resourceVersion. */
export function updated(obj: Obj, mutate: (o: Obj) => void): Obj {
  const next = clone(obj);
  mutate(next);
  (next["metadata"] as Obj)["resourceVersion"] = "2";
  return next;
}
