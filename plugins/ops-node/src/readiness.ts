import {
  BackstageCredentials,
  createExtensionPoint,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';
import { ReadinessRefusal, ReadinessStatus } from '@opsdeck/plugin-ops-common';

/**
 * One item of the operational readiness checklist.
 *
 * @public
 */
export interface ReadinessCheck {
  /** Stable identifier; a check added with the id of a built-in one replaces it. */
  id: string;
  title: string;
  /** Anchor of the annotation reference that explains how to put the item in place. */
  documentationAnchor: string;
  /**
   * Evaluates the item for an entity the caller is allowed to read.
   *
   * A check that throws is reported as missing with the error's message, so
   * one broken source never hides the rest of the checklist.
   */
  evaluate(
    entity: Entity,
    options: { credentials: BackstageCredentials },
  ): Promise<{
    status: ReadinessStatus;
    detail: string;
    /** Database targets the entity may not use, each with the reason. */
    refusedTargets?: ReadinessRefusal[];
  }>;
}

/**
 * Lets backend modules add readiness checks, or replace built-in ones.
 *
 * @public
 */
export interface OpsReadinessExtensionPoint {
  addChecks(...checks: ReadinessCheck[]): void;
}

/**
 * Extension point for the checks of the readiness checklist.
 *
 * @public
 */
export const opsReadinessExtensionPoint =
  createExtensionPoint<OpsReadinessExtensionPoint>({
    id: 'ops.readiness',
  });
