import type { Rule } from '../types.js';
import composeInterpolation from './compose-interpolation.js';
import helmEnvQuotedJson from './helm-env-quoted-json.js';
import helmNestedSection from './helm-nested-section.js';
import helmUnknownEnv from './helm-unknown-env.js';
import ingressAnnotationNotString from './ingress-annotation-not-string.js';
import ingressInvalidValue from './ingress-invalid-value.js';
import ingressPathType from './ingress-path-type.js';
import ingressUnknownAnnotation from './ingress-unknown-annotation.js';
import inputForm from './input-form.js';

/** The rules of the deployment forms (ingress/, helm/, compose/), in the order their docs list them. */
export const DEPLOY_RULES: Rule[] = [
  ingressUnknownAnnotation,
  ingressAnnotationNotString,
  ingressInvalidValue,
  ingressPathType,
  helmNestedSection,
  helmEnvQuotedJson,
  helmUnknownEnv,
  composeInterpolation,
  inputForm,
] as Rule[];
