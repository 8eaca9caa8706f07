// The "live" object of a create: upstream compares against `scheme.New(kind)`, a zero-valued Go
// struct, which (converted to JSON) is not empty: struct fields that are not pointers are present
// (`spec: {}`, `metadata: {creationTimestamp: null}`), and so are fields without `omitempty`
// (`containers: null`, `replicas: 0` in a ReplicaSet status). That shapes the managedFields of a
// create: a field present in the zero object is not "added" itself, so `f:spec` carries no "."
// while `f:labels` does. This table spells out those zero values for the served kinds, read from
// the Go types of k8s.io/api 1.30 (not checked against a live server field by field).
import type { JsonObject, JsonValue } from "../../../spec/patch/json.ts";
import { cloneJson } from "../../../spec/patch/json.ts";

const objectMeta: JsonObject = { creationTimestamp: null };
const podSpec: JsonObject = { containers: null };
const podTemplateSpec: JsonObject = { metadata: objectMeta, spec: podSpec };
const jobSpec: JsonObject = { template: podTemplateSpec };

/** Zero values by "<apiVersion>/<kind>", without apiVersion, kind and metadata. */
const zeroValues: Readonly<Record<string, JsonObject>> = {
  "v1/Pod": { spec: podSpec, status: {} },
  "v1/Service": { spec: {}, status: { loadBalancer: {} } },
  "v1/Node": {
    spec: {},
    status: {
      daemonEndpoints: { kubeletEndpoint: { Port: 0 } },
      nodeInfo: {
        machineID: "",
        systemUUID: "",
        bootID: "",
        kernelVersion: "",
        osImage: "",
        containerRuntimeVersion: "",
        kubeletVersion: "",
        kubeProxyVersion: "",
        operatingSystem: "",
        architecture: "",
      },
    },
  },
  "v1/Namespace": { spec: {}, status: {} },
  "v1/Event": {
    involvedObject: {},
    source: {},
    firstTimestamp: null,
    lastTimestamp: null,
    eventTime: null,
    reportingComponent: "",
    reportingInstance: "",
  },
  "v1/LimitRange": { spec: { limits: null } },
  "v1/ResourceQuota": { spec: {}, status: {} },
  "apps/v1/Deployment": { spec: { selector: null, template: podTemplateSpec, strategy: {} }, status: {} },
  "apps/v1/ReplicaSet": { spec: { selector: null, template: podTemplateSpec }, status: { replicas: 0 } },
  "apps/v1/DaemonSet": {
    spec: { selector: null, template: podTemplateSpec, updateStrategy: {} },
    status: { currentNumberScheduled: 0, numberMisscheduled: 0, desiredNumberScheduled: 0, numberReady: 0 },
  },
  "apps/v1/StatefulSet": {
    spec: { selector: null, template: podTemplateSpec, serviceName: "", updateStrategy: {} },
    status: { replicas: 0, availableReplicas: 0 },
  },
  "apps/v1/ControllerRevision": { data: null, revision: 0 },
  "batch/v1/Job": { spec: jobSpec, status: {} },
  "batch/v1/CronJob": { spec: { schedule: "", jobTemplate: { metadata: objectMeta, spec: jobSpec } }, status: {} },
  "policy/v1/PodDisruptionBudget": {
    spec: {},
    status: { disruptionsAllowed: 0, currentHealthy: 0, desiredHealthy: 0, expectedPods: 0 },
  },
  "coordination.k8s.io/v1/Lease": { spec: {} },
  "discovery.k8s.io/v1/EndpointSlice": { addressType: "", endpoints: null, ports: null },
  "scheduling.k8s.io/v1/PriorityClass": { value: 0 },
  "networking.k8s.io/v1/Ingress": { spec: {}, status: { loadBalancer: {} } },
  "events.k8s.io/v1/Event": {
    eventTime: null,
    regarding: {},
    deprecatedSource: {},
    deprecatedFirstTimestamp: null,
    deprecatedLastTimestamp: null,
  },
};

/** The zero object of a kind (ConfigMap, Secret, ... are just apiVersion, kind and metadata). */
export function zeroObject(apiVersion: string, kind: string): JsonObject {
  const extra = zeroValues[`${apiVersion}/${kind}`] ?? {};
  const out: Record<string, JsonValue> = { apiVersion, kind, metadata: objectMeta, ...extra };
  return cloneJson(out as JsonObject);
}
