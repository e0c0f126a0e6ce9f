import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { Ingress } from 'kubernetes-models/networking.k8s.io/v1';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { Role, RoleBinding } from 'kubernetes-models/rbac.authorization.k8s.io/v1';
import { ConfigMap, Secret, Service, ServiceAccount } from 'kubernetes-models/v1';
import type { Manifest } from './helm.js';

/** The kinds the chart renders, each validated by its kubernetes-models class. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'apps/v1 Deployment': Deployment,
  'v1 Service': Service,
  'v1 ConfigMap': ConfigMap,
  'v1 Secret': Secret,
  'v1 ServiceAccount': ServiceAccount,
  'rbac.authorization.k8s.io/v1 Role': Role,
  'rbac.authorization.k8s.io/v1 RoleBinding': RoleBinding,
  'networking.k8s.io/v1 Ingress': Ingress,
  'policy/v1 PodDisruptionBudget': PodDisruptionBudget,
  'monitoring.coreos.com/v1 ServiceMonitor': ServiceMonitor,
};

/**
 * Validates a manifest against the Kubernetes API's schema for its kind (kubernetes-models);
 * throws the schema's complaint, or for a kind this table does not know.
 */
export function validateManifest(manifest: Manifest): void {
  const key = `${manifest.apiVersion} ${manifest.kind}`;
  const Model = MODELS[key];
  if (!Model) throw new Error(`no schema for ${key} (${manifest.metadata.name})`);
  new Model(manifest as never).validate();
}
