// Column definitions of every served kind, as pkg/printers/internalversion/printers.go AddHandlers
// registers them (upstream ~v1.32): names, types, formats, priorities and order are upstream's.
//
// Descriptions: upstream fills most of them from Go SwaggerDoc() maps (the field comments). Those
// texts were taken from the Kubernetes 1.28 OpenAPI document for the same field, with openapi-gen's
// "Possible enum values" appendix removed (SwaggerDoc has none). Where upstream reads the doc of a
// legacy group version (extensions/v1beta1 ReplicaSet/DaemonSet/Deployment, apps/v1beta1
// StatefulSet/ControllerRevision, batch/v1beta1 CronJob, discovery/v1beta1 EndpointSlice) the
// served version's text is used; those may differ in wording from upstream's (unverified).
// kubectl never shows descriptions; only raw Table JSON does.
import type { TableColumnDefinition } from "./types.ts";

/** Field documentation, by upstream Go type and JSON field name. */
const doc = {
  ObjectMeta: {
    name:
      "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
    creationTimestamp:
      "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
  },
  PodStatus: {
    podIP:
      "podIP address allocated to the pod. Routable at least within the cluster. Empty if not yet allocated.",
    nominatedNodeName:
      "nominatedNodeName is set only when this pod preempts other pods on the node, but it cannot be scheduled right away as preemption victims receive their graceful termination periods. This field does not guarantee that the pod will be scheduled on this node. Scheduler may decide to place the pod elsewhere if other nodes become available sooner. Scheduler may also decide to give the resources on this node to a higher priority pod that is created after preemption. As a result, this field may be different than PodSpec.nodeName when the pod is scheduled.",
  },
  PodSpec: {
    nodeName:
      "NodeName is a request to schedule this pod onto a specific node. If it is non-empty, the scheduler simply schedules this pod onto that node, assuming that it fits resource requirements.",
    readinessGates:
      "If specified, all readiness gates will be evaluated for pod readiness. A pod is ready when all its containers are ready AND all conditions specified in the readiness gates have status equal to \"True\" More info: https://git.k8s.io/enhancements/keps/sig-network/580-pod-readiness-gates",
    nodeSelector:
      "NodeSelector is a selector which must be true for the pod to fit on a node. Selector which must match a node's labels for the pod to be scheduled on that node. More info: https://kubernetes.io/docs/concepts/configuration/assign-pod-node/",
  },
  ReplicaSetSpec: {
    replicas:
      "Replicas is the number of desired replicas. This is a pointer to distinguish between explicit zero and unspecified. Defaults to 1. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
    selector:
      "Selector is a label query over pods that should match the replica count. Label keys and values that must match in order to be controlled by this replica set. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  },
  ReplicaSetStatus: {
    replicas:
      "Replicas is the most recently observed number of replicas. More info: https://kubernetes.io/docs/concepts/workloads/controllers/replicationcontroller/#what-is-a-replicationcontroller",
    readyReplicas:
      "readyReplicas is the number of pods targeted by this ReplicaSet with a Ready Condition.",
  },
  DaemonSetStatus: {
    desiredNumberScheduled:
      "The total number of nodes that should be running the daemon pod (including nodes correctly running the daemon pod). More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
    currentNumberScheduled:
      "The number of nodes that are running at least 1 daemon pod and are supposed to run the daemon pod. More info: https://kubernetes.io/docs/concepts/workloads/controllers/daemonset/",
    numberReady:
      "numberReady is the number of nodes that should be running the daemon pod and have one or more of the daemon pod running with a Ready Condition.",
    updatedNumberScheduled:
      "The total number of nodes that are running updated daemon pod",
    numberAvailable:
      "The number of nodes that should be running the daemon pod and have one or more of the daemon pod running and available (ready for at least spec.minReadySeconds)",
  },
  DaemonSetSpec: {
    selector:
      "A label query over pods that are managed by the daemon set. Must match in order to be controlled. It must match the pod template's labels. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  },
  DeploymentSpec: {
    selector:
      "Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the ones affected by this deployment. It must match the pod template's labels.",
  },
  DeploymentStatus: {
    updatedReplicas:
      "Total number of non-terminated pods targeted by this deployment that have the desired template spec.",
    availableReplicas:
      "Total number of available pods (ready for at least minReadySeconds) targeted by this deployment.",
  },
  ControllerRevision: {
    revision:
      "Revision indicates the revision of the state represented by Data.",
  },
  JobSpec: {
    selector:
      "A label query over pods that should match the pod count. Normally, the system sets this field for you. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/labels/#label-selectors",
  },
  JobStatus: {
    succeeded:
      "The number of pods which reached phase Succeeded.",
  },
  CronJobSpec: {
    schedule:
      "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron.",
    timeZone:
      "The time zone name for the given schedule, see https://en.wikipedia.org/wiki/List_of_tz_database_time_zones. If not specified, this will default to the time zone of the kube-controller-manager process. The set of valid time zone names and the time zone offset is loaded from the system-wide time zone database by the API server during CronJob validation and the controller manager during execution. If no system-wide time zone database can be found a bundled version of the database is used instead. If the time zone name becomes invalid during the lifetime of a CronJob or due to a change in host configuration, the controller will stop creating new new Jobs and will create a system event with the reason UnknownTimeZone. More information can be found in https://kubernetes.io/docs/concepts/workloads/controllers/cron-jobs/#time-zones",
    suspend:
      "This flag tells the controller to suspend subsequent executions, it does not apply to already started executions.  Defaults to false.",
  },
  CronJobStatus: {
    active:
      "A list of pointers to currently running jobs.",
    lastScheduleTime:
      "Information when was the last time the job was successfully scheduled.",
  },
  ServiceSpec: {
    type:
      "type determines how the Service is exposed. Defaults to ClusterIP. Valid options are ExternalName, ClusterIP, NodePort, and LoadBalancer. \"ClusterIP\" allocates a cluster-internal IP address for load-balancing to endpoints. Endpoints are determined by the selector or if that is not specified, by manual construction of an Endpoints object or EndpointSlice objects. If clusterIP is \"None\", no virtual IP is allocated and the endpoints are published as a set of endpoints rather than a virtual IP. \"NodePort\" builds on ClusterIP and allocates a port on every node which routes to the same endpoints as the clusterIP. \"LoadBalancer\" builds on NodePort and creates an external load-balancer (if supported in the current cloud) which routes to the same endpoints as the clusterIP. \"ExternalName\" aliases this service to the specified externalName. Several other fields do not apply to ExternalName services. More info: https://kubernetes.io/docs/concepts/services-networking/service/#publishing-services-service-types",
    clusterIP:
      "clusterIP is the IP address of the service and is usually assigned randomly. If an address is specified manually, is in-range (as per system configuration), and is not in use, it will be allocated to the service; otherwise creation of the service will fail. This field may not be changed through updates unless the type field is also being changed to ExternalName (which requires this field to be blank) or the type field is being changed from ExternalName (in which case this field may optionally be specified, as describe above).  Valid values are \"None\", empty string (\"\"), or a valid IP address. Setting this to \"None\" makes a \"headless service\" (no virtual IP), which is useful when direct endpoint connections are preferred and proxying is not required.  Only applies to types ClusterIP, NodePort, and LoadBalancer. If this field is specified when creating a Service of type ExternalName, creation will fail. This field will be wiped when updating a Service to type ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
    externalIPs:
      "externalIPs is a list of IP addresses for which nodes in the cluster will also accept traffic for this service.  These IPs are not managed by Kubernetes.  The user is responsible for ensuring that traffic arrives at a node with this IP.  A common example is external load-balancers that are not part of the Kubernetes system.",
    ports:
      "The list of ports that are exposed by this service. More info: https://kubernetes.io/docs/concepts/services-networking/service/#virtual-ips-and-service-proxies",
    selector:
      "Route service traffic to pods with label keys and values matching this selector. If empty or not present, the service is assumed to have an external process managing its endpoints, which Kubernetes will not modify. Only applies to types ClusterIP, NodePort, and LoadBalancer. Ignored if type is ExternalName. More info: https://kubernetes.io/docs/concepts/services-networking/service/",
  },
  Endpoints: {
    subsets:
      "The set of all endpoints is the union of all subsets. Addresses are placed into subsets according to the IPs they share. A single address with multiple ports, some of which are ready and some of which are not (because they come from different containers) will result in the address being displayed in different subsets for the different ports. No address will appear in both Addresses and NotReadyAddresses in the same subset. Sets of addresses and ports that comprise a service.",
  },
  NodeSystemInfo: {
    kubeletVersion:
      "Kubelet Version reported by the node.",
    osImage:
      "OS Image reported by the node from /etc/os-release (e.g. Debian GNU/Linux 7 (wheezy)).",
    kernelVersion:
      "Kernel Version reported by the node from 'uname -r' (e.g. 3.16.0-0.bpo.4-amd64).",
    containerRuntimeVersion:
      "ContainerRuntime Version reported by the node through runtime remote API (e.g. containerd://1.4.2).",
  },
  NodeStatus: {
    addresses:
      "List of addresses reachable to the node. Queried from cloud provider, if available. More info: https://kubernetes.io/docs/concepts/nodes/node/#addresses Note: This field is declared as mergeable, but the merge key is not sufficiently unique, which can cause data corruption when it is merged. Callers should instead use a full-replacement patch. See https://pr.k8s.io/79391 for an example. Consumers should assume that addresses can change during the lifetime of a Node. However, there are some exceptions where this may not be possible, such as Pods that inherit a Node's address in its own status or consumers of the downward API (status.hostIP).",
  },
  Event: {
    lastTimestamp:
      "The time at which the most recent occurrence of this event was recorded.",
    type:
      "Type of this event (Normal, Warning), new types could be added in the future",
    reason:
      "This should be a short, machine understandable string that gives the reason for the transition into the object's current status.",
    involvedObject:
      "The object that this event is about.",
    source:
      "The component reporting this event. Should be a short machine understandable string.",
    message:
      "A human-readable description of the status of this operation.",
    firstTimestamp:
      "The time at which the event was first recorded. (Time of server receipt is in TypeMeta.)",
    count:
      "The number of times this event has occurred.",
  },
  ObjectReference: {
    fieldPath:
      "If referring to a piece of an object instead of an entire object, this string should contain a valid JSON/Go field access statement, such as desiredState.manifest.containers[2]. For example, if the object reference is to a container within a pod, this would take on a value like: \"spec.containers{name}\" (where \"name\" refers to the name of the container that triggered the event) or if no container name is specified \"spec.containers[2]\" (container with index 2 in this pod). This syntax is chosen only to have some well-defined way of referencing a part of an object.",
  },
  Secret: {
    type:
      "Used to facilitate programmatic handling of secret data. More info: https://kubernetes.io/docs/concepts/configuration/secret/#secret-types",
    data:
      "Data contains the secret data. Each key must consist of alphanumeric characters, '-', '_' or '.'. The serialized form of the secret data is a base64 encoded string, representing the arbitrary (possibly non-string) data value here. Described in https://tools.ietf.org/html/rfc4648#section-4",
  },
  ServiceAccount: {
    secrets:
      "Secrets is a list of the secrets in the same namespace that pods running using this ServiceAccount are allowed to use. Pods are only limited to this list if this service account has a \"kubernetes.io/enforce-mountable-secrets\" annotation set to \"true\". This field should not be used to find auto-generated service account token secrets for use outside of pods. Instead, tokens can be requested directly using the TokenRequest API, or service account token secrets can be manually created. More info: https://kubernetes.io/docs/concepts/configuration/secret",
  },
  ConfigMap: {
    data:
      "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' or '.'. Values with non-UTF-8 byte sequences must use the BinaryData field. The keys stored in Data must not overlap with the keys in the BinaryData field, this is enforced during validation process.",
  },
  LeaseSpec: {
    holderIdentity:
      "holderIdentity contains the identity of the holder of a current lease.",
  },
  PriorityClass: {
    value:
      "value represents the integer value of this priority class. This is the actual priority that pods receive when they have the name of this class in their pod spec.",
    globalDefault:
      "globalDefault specifies whether this PriorityClass should be considered as the default priority for pods that do not have any priority class. Only one PriorityClass can be marked as `globalDefault`. However, if more than one PriorityClasses exists with their `globalDefault` field set to true, the smallest value of such global default PriorityClasses will be used as the default priority.",
    preemptionPolicy:
      "preemptionPolicy is the Policy for preempting pods with lower priority. One of Never, PreemptLowerPriority. Defaults to PreemptLowerPriority if unset.",
  },
  EndpointSlice: {
    addressType:
      "addressType specifies the type of address carried by this EndpointSlice. All addresses in this slice must be the same type. This field is immutable after creation. The following address types are currently supported: * IPv4: Represents an IPv4 Address. * IPv6: Represents an IPv6 Address. * FQDN: Represents a Fully Qualified Domain Name.",
    ports:
      "ports specifies the list of network ports exposed by each endpoint in this slice. Each port must have a unique name. When ports is empty, it indicates that there are no defined ports. When a port is defined with a nil port value, it indicates \"all ports\". Each slice may include a maximum of 100 ports.",
    endpoints:
      "endpoints is a list of unique endpoints in this slice. Each slice may include a maximum of 1000 endpoints.",
  },
} as const;

function col(name: string, type: string, description: string, extra: { format?: string; priority?: number } = {}): TableColumnDefinition {
  return { name, type, format: extra.format ?? "", description, priority: extra.priority ?? 0 };
}

const name = col("Name", "string", doc.ObjectMeta.name, { format: "name" });
const age = col("Age", "string", doc.ObjectMeta.creationTimestamp);
const containers = col("Containers", "string", "Names of each container in the template.", { priority: 1 });
const images = col("Images", "string", "Images referenced by each container in the template.", { priority: 1 });

export const podColumns: readonly TableColumnDefinition[] = [
  name,
  col("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
  col("Status", "string", "The aggregate status of the containers in this pod."),
  col(
    "Restarts",
    "string",
    "The number of times the containers in this pod have been restarted and when the last container in this pod has restarted.",
  ),
  age,
  col("IP", "string", doc.PodStatus.podIP, { priority: 1 }),
  col("Node", "string", doc.PodSpec.nodeName, { priority: 1 }),
  col("Nominated Node", "string", doc.PodStatus.nominatedNodeName, { priority: 1 }),
  col("Readiness Gates", "string", doc.PodSpec.readinessGates, { priority: 1 }),
];

export const podDisruptionBudgetColumns: readonly TableColumnDefinition[] = [
  name,
  col("Min Available", "string", "The minimum number of pods that must be available."),
  col("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
  col("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
  age,
];

export const replicaSetColumns: readonly TableColumnDefinition[] = [
  name,
  col("Desired", "integer", doc.ReplicaSetSpec.replicas),
  col("Current", "integer", doc.ReplicaSetStatus.replicas),
  col("Ready", "integer", doc.ReplicaSetStatus.readyReplicas),
  age,
  containers,
  images,
  col("Selector", "string", doc.ReplicaSetSpec.selector, { priority: 1 }),
];

export const daemonSetColumns: readonly TableColumnDefinition[] = [
  name,
  col("Desired", "integer", doc.DaemonSetStatus.desiredNumberScheduled),
  col("Current", "integer", doc.DaemonSetStatus.currentNumberScheduled),
  col("Ready", "integer", doc.DaemonSetStatus.numberReady),
  col("Up-to-date", "integer", doc.DaemonSetStatus.updatedNumberScheduled),
  col("Available", "integer", doc.DaemonSetStatus.numberAvailable),
  col("Node Selector", "string", doc.PodSpec.nodeSelector),
  age,
  containers,
  images,
  col("Selector", "string", doc.DaemonSetSpec.selector, { priority: 1 }),
];

export const jobColumns: readonly TableColumnDefinition[] = [
  name,
  col("Status", "string", "Status of the job."),
  col("Completions", "string", doc.JobStatus.succeeded),
  col("Duration", "string", "Time required to complete the job."),
  age,
  containers,
  images,
  col("Selector", "string", doc.JobSpec.selector, { priority: 1 }),
];

export const cronJobColumns: readonly TableColumnDefinition[] = [
  name,
  col("Schedule", "string", doc.CronJobSpec.schedule),
  col("Timezone", "string", doc.CronJobSpec.timeZone),
  col("Suspend", "boolean", doc.CronJobSpec.suspend),
  col("Active", "integer", doc.CronJobStatus.active),
  col("Last Schedule", "string", doc.CronJobStatus.lastScheduleTime),
  age,
  containers,
  images,
  col("Selector", "string", doc.JobSpec.selector, { priority: 1 }),
];

export const serviceColumns: readonly TableColumnDefinition[] = [
  name,
  col("Type", "string", doc.ServiceSpec.type),
  col("Cluster-IP", "string", doc.ServiceSpec.clusterIP),
  col("External-IP", "string", doc.ServiceSpec.externalIPs),
  col("Port(s)", "string", doc.ServiceSpec.ports),
  age,
  col("Selector", "string", doc.ServiceSpec.selector, { priority: 1 }),
];

export const ingressColumns: readonly TableColumnDefinition[] = [
  name,
  col("Class", "string", "The name of the IngressClass resource that should be used for additional configuration"),
  col("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
  col("Address", "string", "Address is a list containing ingress points for the load-balancer"),
  col("Ports", "string", "Ports of TLS configurations that open"),
  age,
];

export const statefulSetColumns: readonly TableColumnDefinition[] = [
  name,
  col("Ready", "string", "Number of the pod with ready state"),
  age,
  containers,
  images,
];

export const endpointsColumns: readonly TableColumnDefinition[] = [
  name,
  col("Endpoints", "string", doc.Endpoints.subsets),
  age,
];

export const nodeColumns: readonly TableColumnDefinition[] = [
  name,
  col("Status", "string", "The status of the node"),
  col("Roles", "string", "The roles of the node"),
  age,
  col("Version", "string", doc.NodeSystemInfo.kubeletVersion),
  col("Internal-IP", "string", doc.NodeStatus.addresses, { priority: 1 }),
  col("External-IP", "string", doc.NodeStatus.addresses, { priority: 1 }),
  col("OS-Image", "string", doc.NodeSystemInfo.osImage, { priority: 1 }),
  col("Kernel-Version", "string", doc.NodeSystemInfo.kernelVersion, { priority: 1 }),
  col("Container-Runtime", "string", doc.NodeSystemInfo.containerRuntimeVersion, { priority: 1 }),
];

export const eventColumns: readonly TableColumnDefinition[] = [
  col("Last Seen", "string", doc.Event.lastTimestamp),
  col("Type", "string", doc.Event.type),
  col("Reason", "string", doc.Event.reason),
  col("Object", "string", doc.Event.involvedObject),
  col("Subobject", "string", doc.ObjectReference.fieldPath, { priority: 1 }),
  col("Source", "string", doc.Event.source, { priority: 1 }),
  col("Message", "string", doc.Event.message),
  col("First Seen", "string", doc.Event.firstTimestamp, { priority: 1 }),
  col("Count", "string", doc.Event.count, { priority: 1 }),
  col("Name", "string", doc.ObjectMeta.name, { priority: 1, format: "name" }),
];

export const namespaceColumns: readonly TableColumnDefinition[] = [
  name,
  col("Status", "string", "The status of the namespace"),
  age,
];

export const secretColumns: readonly TableColumnDefinition[] = [
  name,
  col("Type", "string", doc.Secret.type),
  col("Data", "string", doc.Secret.data),
  age,
];

export const serviceAccountColumns: readonly TableColumnDefinition[] = [
  name,
  col("Secrets", "string", doc.ServiceAccount.secrets),
  age,
];

export const deploymentColumns: readonly TableColumnDefinition[] = [
  name,
  col("Ready", "string", "Number of the pod with ready state"),
  col("Up-to-date", "string", doc.DeploymentStatus.updatedReplicas),
  col("Available", "string", doc.DeploymentStatus.availableReplicas),
  age,
  containers,
  images,
  col("Selector", "string", doc.DeploymentSpec.selector, { priority: 1 }),
];

export const configMapColumns: readonly TableColumnDefinition[] = [
  name,
  col("Data", "string", doc.ConfigMap.data),
  age,
];

export const leaseColumns: readonly TableColumnDefinition[] = [
  name,
  col("Holder", "string", doc.LeaseSpec.holderIdentity),
  age,
];

export const controllerRevisionColumns: readonly TableColumnDefinition[] = [
  name,
  col("Controller", "string", "Controller of the object"),
  col("Revision", "string", doc.ControllerRevision.revision),
  age,
];

export const resourceQuotaColumns: readonly TableColumnDefinition[] = [
  name,
  col("Request", "string", "Request represents a minimum amount of cpu/memory that a container may consume."),
  col(
    "Limit",
    "string",
    "Limits control the maximum amount of cpu/memory that a container may use independent of contention on the node.",
  ),
  age,
];

// Upstream gives PreemptionPolicy priority 0 although the cell is only printed with Wide: a table
// generated without Wide has one column more than cells (the API server always prints Wide).
export const priorityClassColumns: readonly TableColumnDefinition[] = [
  name,
  col("Value", "integer", doc.PriorityClass.value),
  col("Global-Default", "boolean", doc.PriorityClass.globalDefault),
  age,
  col("PreemptionPolicy", "string", doc.PriorityClass.preemptionPolicy),
];

export const endpointSliceColumns: readonly TableColumnDefinition[] = [
  name,
  col("AddressType", "string", doc.EndpointSlice.addressType),
  col("Ports", "string", doc.EndpointSlice.ports),
  col("Endpoints", "string", doc.EndpointSlice.endpoints),
  age,
];

/** rest.DefaultTableConvertor's columns (kinds without a printer, e.g. LimitRange). */
export const defaultColumns: readonly TableColumnDefinition[] = [
  name,
  col("Created At", "date", doc.ObjectMeta.creationTimestamp),
];
