// Generated from the OpenAPI document of /api/ops (src/schema/openapi.ts)
// by openapi-typescript. Do not edit: run `yarn --cwd plugins/ops-common generate:openapi`.
/* eslint-disable */

/** @public */
export interface paths {
  '/oncall': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Who is on call for an entity now (or at `at`) and next, per escalation level */
    get: operations['GetOnCall'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/oncall/overrides': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Overrides of the entity’s schedule that have not ended */
    get: operations['ListOnCallOverrides'];
    put?: never;
    post: operations['AddOnCallOverride'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/oncall/overrides/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete: operations['DeleteOnCallOverride'];
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/alerts/alertmanager': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** Alertmanager webhook receiver (payload version 4); needs service credentials (an external access token) */
    post: operations['ReceiveAlertmanagerWebhook'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/deployments': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListDeployments'];
    put?: never;
    /** Records a deployment; CI authenticates with an external access token (backend.auth.externalAccess) */
    post: operations['CreateDeployment'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/deployments/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Workloads of the entity and their revisions, from every history source (Kubernetes, and those modules add) */
    get: operations['GetDeploymentHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/dora': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The four keys of one entity (entityRef) or of a group's entities (group), over [from, to] (default the last 90 days) */
    get: operations['GetDoraMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/readiness': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['GetReadiness'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/metrics': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** Prometheus text format; needs credentials unless ops.metrics.allowUnauthenticated */
    get: operations['GetMetrics'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/severities': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListSeverities'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListIncidents'];
    put?: never;
    post: operations['CreateIncident'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['GetIncident'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['UpdateIncident'];
    trace?: never;
  };
  '/incidents/{id}/events': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListIncidentEvents'];
    put?: never;
    post: operations['AppendIncidentEvent'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/incidents/{id}/postmortem': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['GetIncidentPostmortem'];
    put?: never;
    /** Starts the post-mortem of a mitigated or resolved incident with a draft written from its facts */
    post: operations['CreatePostmortem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/postmortems': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListPostmortems'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/postmortems/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['GetPostmortem'];
    put: operations['UpdatePostmortem'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/postmortems/{id}/status': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    /** draft → in-review → published; in-review → draft. Anything else is a 409 naming the transition */
    post: operations['ChangePostmortemStatus'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/postmortems/{id}/markdown': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The post-mortem as a markdown file with a YAML front matter, to commit to TechDocs */
    get: operations['ExportPostmortem'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/postmortems/{id}/action-items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post: operations['CreateActionItem'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/action-items': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The overdue ones first, then by due date */
    get: operations['ListActionItems'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/action-items/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['UpdateActionItem'];
    trace?: never;
  };
  '/drills': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['ListDrills'];
    put?: never;
    post: operations['CreateDrill'];
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/drills/{id}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get: operations['GetDrill'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch: operations['UpdateDrill'];
    trace?: never;
  };
  '/drills/{id}/steps/{name}': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    get?: never;
    put: operations['UpsertDrillStep'];
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/slos': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The entity's SLOs evaluated on its Prometheus: SLI, error budget, burn rates, alert state. Problems with a document or with Prometheus are returned per SLO, not as an HTTP error. */
    get: operations['ListSlos'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/slos/rules': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** A Prometheus rule file (recording rules and multi-window multi-burn-rate alerts) for the SLOs of the entity, as YAML */
    get: operations['GetSloRules'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
  '/slos/history': {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    /** The remaining error budget of one SLO over its window, from a Prometheus range query */
    get: operations['GetSloHistory'];
    put?: never;
    post?: never;
    delete?: never;
    options?: never;
    head?: never;
    patch?: never;
    trace?: never;
  };
}
export type webhooks = Record<string, never>;
export interface components {
  schemas: never;
  responses: never;
  parameters: never;
  requestBodies: never;
  headers: never;
  pathItems: never;
}
export type $defs = Record<string, never>;
/** @public */
export interface operations {
  GetOnCall: {
    parameters: {
      query: {
        entityRef: string;
        at?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entityRef: string;
            provider: string;
            schedule?: string;
            at: string;
            state: 'ok' | 'unavailable';
            messages: string[];
            levels: {
              level: string;
              current?: {
                userRef: string;
                start: string;
                end?: string;
                overrideId?: string;
                contact?: {
                  userRef: string;
                  displayName?: string;
                  email?: string;
                  chatUrl?: string;
                  phone?: string;
                };
              };
              next?: {
                userRef: string;
                start: string;
                end?: string;
                overrideId?: string;
                contact?: {
                  userRef: string;
                  displayName?: string;
                  email?: string;
                  chatUrl?: string;
                  phone?: string;
                };
              };
            }[];
            url?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListOnCallOverrides: {
    parameters: {
      query: {
        entityRef: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              entityRef: string;
              level: 'primary' | 'secondary' | 'engineering-manager';
              userRef: string;
              start: string;
              end: string;
              reason?: string;
              createdBy: string;
              createdAt: string;
            }[];
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AddOnCallOverride: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** An entity reference, e.g. component:default/payments-api */
          entityRef: string;
          level: 'primary' | 'secondary' | 'engineering-manager';
          /** A user entity reference, e.g. user:default/jane.doe */
          userRef: string;
          /** Format: date-time */
          start: string;
          /** Format: date-time */
          end: string;
          reason?: string;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            level: 'primary' | 'secondary' | 'engineering-manager';
            userRef: string;
            start: string;
            end: string;
            reason?: string;
            createdBy: string;
            createdAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  DeleteOnCallOverride: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            level: 'primary' | 'secondary' | 'engineering-manager';
            userRef: string;
            start: string;
            end: string;
            reason?: string;
            createdBy: string;
            createdAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ReceiveAlertmanagerWebhook: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version: '4';
          groupKey: string;
          truncatedAlerts?: number;
          status: 'firing' | 'resolved';
          receiver: string;
          groupLabels: {
            [key: string]: string;
          };
          commonLabels: {
            [key: string]: string;
          };
          commonAnnotations: {
            [key: string]: string;
          };
          externalURL: string;
          alerts: {
            status: 'firing' | 'resolved';
            labels: {
              [key: string]: string;
            };
            annotations: {
              [key: string]: string;
            };
            startsAt: string;
            endsAt?: string;
            generatorURL?: string;
            fingerprint: string;
          }[];
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            incidents: {
              id: string;
              entityRef: string;
              action: 'opened' | 'updated' | 'mitigated' | 'unchanged';
            }[];
            ignored: number;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The group is being opened concurrently; retry */
      503: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListDeployments: {
    parameters: {
      query: {
        entityRef: string;
        from?: string;
        to?: string;
        cursor?: string;
        limit?: string;
        environment?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              entityRef: string;
              environment: string;
              version: string;
              commitSha?: string;
              commitTime?: string;
              image?: string;
              startedAt: string;
              finishedAt?: string;
              /**
               * `rolled-back` records a rollback itself
               */
              status: 'succeeded' | 'failed' | 'rolled-back';
              url?: string;
              description?: string;
              createdBy: string;
              createdAt: string;
            }[];
            nextCursor?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateDeployment: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** An entity reference, e.g. component:default/payments-api */
          entityRef: string;
          /** e.g. production; DORA counts the production deployments */
          environment: string;
          version: string;
          /** Hexadecimal commit id (git SHA-1 or SHA-256) */
          commitSha?: string;
          /** Format: date-time */
          commitTime?: string;
          /** The container image deployed, e.g. registry.example.com/shop/orders-api:2.1.0: links the deployment to the Kubernetes revision running it */
          image?: string;
          /** Format: date-time */
          startedAt: string;
          /** Format: date-time */
          finishedAt?: string;
          /**
           * `rolled-back` records a rollback itself
           */
          status: 'succeeded' | 'failed' | 'rolled-back';
          url?: string;
          description?: string;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            environment: string;
            version: string;
            commitSha?: string;
            commitTime?: string;
            image?: string;
            startedAt: string;
            finishedAt?: string;
            /**
             * `rolled-back` records a rollback itself
             */
            status: 'succeeded' | 'failed' | 'rolled-back';
            url?: string;
            description?: string;
            createdBy: string;
            createdAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetDeploymentHistory: {
    parameters: {
      query: {
        entityRef: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              source: string;
              cluster: string;
              namespace: string;
              name: string;
              rollout: {
                state: 'complete' | 'progressing' | 'failed' | 'paused';
                replicas: number;
                updatedReplicas: number;
                readyReplicas: number;
                availableReplicas: number;
                message?: string;
              };
              revisions: {
                revision: number;
                name: string;
                changeCause?: string;
                images: string[];
                createdAt: string;
                replicas: number;
                readyReplicas: number;
                current: boolean;
              }[];
            }[];
            errors: {
              source: string;
              cluster?: string;
              message: string;
            }[];
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetDoraMetrics: {
    parameters: {
      query?: {
        entityRef?: string;
        group?: string;
        from?: string;
        to?: string;
        environment?: string | string[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            window: {
              from: string;
              to: string;
            };
            environments: string[];
            deploymentFrequency: {
              deployments: number;
              days: number;
              perDay: number;
              bucket: 'daily' | 'weekly' | 'monthly' | 'yearly';
            };
            leadTimeForChanges: {
              samples: number;
              medianMinutes?: number;
              bucket?:
                | 'one-day'
                | 'one-week'
                | 'one-month'
                | 'six-months'
                | 'one-year';
            };
            changeFailureRate: {
              deployments: number;
              failures: number;
              rate?: number;
              bucket?: '0-15%' | '16-45%' | '46-60%';
            };
            timeToRestore: {
              samples: number;
              medianMinutes?: number;
              bucket?:
                | 'one-day'
                | 'one-week'
                | 'one-month'
                | 'six-months'
                | 'one-year';
            };
            trend: {
              weekStart: string;
              deployments: number;
              changeFailures: number;
              changeFailureRate?: number;
              medianLeadTimeMinutes?: number;
              medianTimeToRestoreMinutes?: number;
            }[];
            entityRefs: string[];
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetReadiness: {
    parameters: {
      query: {
        entityRef: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            entityRef: string;
            items: {
              id: string;
              title: string;
              status: 'present' | 'missing';
              detail: string;
              documentationUrl: string;
              refusedTargets?: {
                target: string;
                reason: string;
              }[];
            }[];
            present: number;
            total: number;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetMetrics: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListSeverities: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              title: string;
              description: string;
              respondWithinMinutes: number;
              resolveWithinMinutes: number;
            }[];
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListIncidents: {
    parameters: {
      query?: {
        entityRef?: string;
        from?: string;
        to?: string;
        cursor?: string;
        limit?: string;
        status?:
          | ('open' | 'investigating' | 'mitigated' | 'resolved')
          | ('open' | 'investigating' | 'mitigated' | 'resolved')[];
        severity?: string | string[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              entityRef: string;
              title: string;
              severity: string;
              status: 'open' | 'investigating' | 'mitigated' | 'resolved';
              commander?: string;
              summary?: string;
              detectedAt: string;
              startedAt?: string;
              mitigatedAt?: string;
              resolvedAt?: string;
              rootCause?: string;
              postmortemUrl?: string;
              deploymentId?: string;
              labels: {
                [key: string]: string;
              };
              version: number;
              createdBy: string;
              createdAt: string;
              updatedBy: string;
              updatedAt: string;
            }[];
            nextCursor?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateIncident: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** An entity reference, e.g. component:default/payments-api */
          entityRef: string;
          title: string;
          /** One of the configured severity ids (GET /severities) */
          severity: string;
          status?: 'open' | 'investigating' | 'mitigated' | 'resolved';
          /** A user entity reference, e.g. user:default/jane.doe */
          commander?: string;
          summary?: string;
          /** Format: date-time */
          detectedAt?: string;
          /** Format: date-time */
          startedAt?: string;
          deploymentId?: string;
          labels?: {
            [key: string]: string;
          };
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            title: string;
            severity: string;
            status: 'open' | 'investigating' | 'mitigated' | 'resolved';
            commander?: string;
            summary?: string;
            detectedAt: string;
            startedAt?: string;
            mitigatedAt?: string;
            resolvedAt?: string;
            rootCause?: string;
            postmortemUrl?: string;
            deploymentId?: string;
            labels: {
              [key: string]: string;
            };
            version: number;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetIncident: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            title: string;
            severity: string;
            status: 'open' | 'investigating' | 'mitigated' | 'resolved';
            commander?: string;
            summary?: string;
            detectedAt: string;
            startedAt?: string;
            mitigatedAt?: string;
            resolvedAt?: string;
            rootCause?: string;
            postmortemUrl?: string;
            deploymentId?: string;
            labels: {
              [key: string]: string;
            };
            version: number;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateIncident: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version: number;
          title?: string;
          /** One of the configured severity ids (GET /severities) */
          severity?: string;
          status?: 'open' | 'investigating' | 'mitigated' | 'resolved';
          /** A user entity reference, e.g. user:default/jane.doe */
          commander?: string;
          summary?: string;
          /** Format: date-time */
          startedAt?: string;
          /** Format: date-time */
          mitigatedAt?: string;
          /** Format: date-time */
          resolvedAt?: string;
          rootCause?: string;
          postmortemUrl?: string;
          deploymentId?: string;
          labels?: {
            [key: string]: string;
          };
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            title: string;
            severity: string;
            status: 'open' | 'investigating' | 'mitigated' | 'resolved';
            commander?: string;
            summary?: string;
            detectedAt: string;
            startedAt?: string;
            mitigatedAt?: string;
            resolvedAt?: string;
            rootCause?: string;
            postmortemUrl?: string;
            deploymentId?: string;
            labels: {
              [key: string]: string;
            };
            version: number;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The incident changed since that version */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListIncidentEvents: {
    parameters: {
      query?: {
        cursor?: string;
        limit?: string;
      };
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              incidentId: string;
              type:
                | 'created'
                | 'status-changed'
                | 'updated'
                | 'note'
                | 'action';
              message: string;
              data?: Record<string, unknown>;
              author: string;
              createdAt: string;
            }[];
            nextCursor?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  AppendIncidentEvent: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          type: 'note' | 'action';
          message: string;
          data?: Record<string, unknown>;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            incidentId: string;
            type: 'created' | 'status-changed' | 'updated' | 'note' | 'action';
            message: string;
            data?: Record<string, unknown>;
            author: string;
            createdAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetIncidentPostmortem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            incidentId: string;
            entityRef: string;
            severity: string;
            status: 'draft' | 'in-review' | 'published';
            title: string;
            body: string;
            version: number;
            authors: string[];
            reviewers: string[];
            dueAt?: string;
            overdue: boolean;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            publishedBy?: string;
            publishedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreatePostmortem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            incidentId: string;
            entityRef: string;
            severity: string;
            status: 'draft' | 'in-review' | 'published';
            title: string;
            body: string;
            version: number;
            authors: string[];
            reviewers: string[];
            dueAt?: string;
            overdue: boolean;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            publishedBy?: string;
            publishedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The incident has a post-mortem already, or is neither mitigated nor resolved */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListPostmortems: {
    parameters: {
      query?: {
        entityRef?: string;
        status?: 'draft' | 'in-review' | 'published';
        overdue?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              incidentId: string;
              entityRef: string;
              severity: string;
              status: 'draft' | 'in-review' | 'published';
              title: string;
              body: string;
              version: number;
              authors: string[];
              reviewers: string[];
              dueAt?: string;
              overdue: boolean;
              createdBy: string;
              createdAt: string;
              updatedBy: string;
              updatedAt: string;
              publishedBy?: string;
              publishedAt?: string;
            }[];
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetPostmortem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            incidentId: string;
            entityRef: string;
            severity: string;
            status: 'draft' | 'in-review' | 'published';
            title: string;
            body: string;
            version: number;
            authors: string[];
            reviewers: string[];
            dueAt?: string;
            overdue: boolean;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            publishedBy?: string;
            publishedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdatePostmortem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version: number;
          body: string;
          title?: string;
          authors?: string[];
          reviewers?: string[];
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            incidentId: string;
            entityRef: string;
            severity: string;
            status: 'draft' | 'in-review' | 'published';
            title: string;
            body: string;
            version: number;
            authors: string[];
            reviewers: string[];
            dueAt?: string;
            overdue: boolean;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            publishedBy?: string;
            publishedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The post-mortem changed since that version */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ChangePostmortemStatus: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          status: 'draft' | 'in-review' | 'published';
          version: number;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            incidentId: string;
            entityRef: string;
            severity: string;
            status: 'draft' | 'in-review' | 'published';
            title: string;
            body: string;
            version: number;
            authors: string[];
            reviewers: string[];
            dueAt?: string;
            overdue: boolean;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            publishedBy?: string;
            publishedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The post-mortem changed since that version */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ExportPostmortem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'text/markdown': string;
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateActionItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          title: string;
          /** A user or group entity reference, e.g. group:default/payments */
          ownerRef: string;
          /**
           * Format: date
           * A calendar day, YYYY-MM-DD
           */
          dueDate: string;
          link?: string;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            postmortemId: string;
            incidentId: string;
            entityRef: string;
            title: string;
            ownerRef: string;
            dueDate: string;
            status: 'open' | 'done';
            link?: string;
            overdue: boolean;
            version: number;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            completedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListActionItems: {
    parameters: {
      query?: {
        entityRef?: string;
        postmortemId?: string;
        status?: 'open' | 'done';
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              postmortemId: string;
              incidentId: string;
              entityRef: string;
              title: string;
              ownerRef: string;
              dueDate: string;
              status: 'open' | 'done';
              link?: string;
              overdue: boolean;
              version: number;
              createdBy: string;
              createdAt: string;
              updatedBy: string;
              updatedAt: string;
              completedAt?: string;
            }[];
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateActionItem: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version: number;
          status?: 'open' | 'done';
          title?: string;
          /** A user or group entity reference, e.g. group:default/payments */
          ownerRef?: string;
          /**
           * Format: date
           * A calendar day, YYYY-MM-DD
           */
          dueDate?: string;
          link?: string;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            postmortemId: string;
            incidentId: string;
            entityRef: string;
            title: string;
            ownerRef: string;
            dueDate: string;
            status: 'open' | 'done';
            link?: string;
            overdue: boolean;
            version: number;
            createdBy: string;
            createdAt: string;
            updatedBy: string;
            updatedAt: string;
            completedAt?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The action item changed since that version */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListDrills: {
    parameters: {
      query?: {
        entityRef?: string;
        from?: string;
        to?: string;
        cursor?: string;
        limit?: string;
        kind?:
          | ('backup-restore' | 'failover' | 'rollback' | 'other')
          | ('backup-restore' | 'failover' | 'rollback' | 'other')[];
        status?:
          | ('running' | 'passed' | 'failed' | 'aborted')
          | ('running' | 'passed' | 'failed' | 'aborted')[];
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            items: {
              id: string;
              entityRef: string;
              kind: 'backup-restore' | 'failover' | 'rollback' | 'other';
              target: string;
              status: 'running' | 'passed' | 'failed' | 'aborted';
              startedAt: string;
              finishedAt?: string;
              rtoSeconds?: number;
              rpoSeconds?: number;
              objectives: {
                rtoSeconds: number;
                rpoSeconds: number;
              };
              verification: {
                name: string;
                passed: boolean;
                expected?: string;
                actual?: string;
              }[];
              report?: string;
              triggeredBy: string;
              taskId?: string;
              exclusive?: boolean;
              steps: {
                name: string;
                status: 'running' | 'succeeded' | 'failed' | 'skipped';
                startedAt: string;
                finishedAt?: string;
                output?: string;
              }[];
              version: number;
              createdAt: string;
              updatedAt: string;
            }[];
            nextCursor?: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  CreateDrill: {
    parameters: {
      query?: never;
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          /** An entity reference, e.g. component:default/payments-api */
          entityRef: string;
          kind: 'backup-restore' | 'failover' | 'rollback' | 'other';
          target: string;
          /** Format: date-time */
          startedAt?: string;
          objectives?: {
            rtoSeconds: number;
            rpoSeconds: number;
          };
          taskId?: string;
          /** Hold the target while running: 409 when another exclusive drill of it runs */
          exclusive?: boolean;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Created */
      201: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            kind: 'backup-restore' | 'failover' | 'rollback' | 'other';
            target: string;
            status: 'running' | 'passed' | 'failed' | 'aborted';
            startedAt: string;
            finishedAt?: string;
            rtoSeconds?: number;
            rpoSeconds?: number;
            objectives: {
              rtoSeconds: number;
              rpoSeconds: number;
            };
            verification: {
              name: string;
              passed: boolean;
              expected?: string;
              actual?: string;
            }[];
            report?: string;
            triggeredBy: string;
            taskId?: string;
            exclusive?: boolean;
            steps: {
              name: string;
              status: 'running' | 'succeeded' | 'failed' | 'skipped';
              startedAt: string;
              finishedAt?: string;
              output?: string;
            }[];
            version: number;
            createdAt: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** An exclusive drill of the same target is running (exclusive requests only) */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetDrill: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            kind: 'backup-restore' | 'failover' | 'rollback' | 'other';
            target: string;
            status: 'running' | 'passed' | 'failed' | 'aborted';
            startedAt: string;
            finishedAt?: string;
            rtoSeconds?: number;
            rpoSeconds?: number;
            objectives: {
              rtoSeconds: number;
              rpoSeconds: number;
            };
            verification: {
              name: string;
              passed: boolean;
              expected?: string;
              actual?: string;
            }[];
            report?: string;
            triggeredBy: string;
            taskId?: string;
            exclusive?: boolean;
            steps: {
              name: string;
              status: 'running' | 'succeeded' | 'failed' | 'skipped';
              startedAt: string;
              finishedAt?: string;
              output?: string;
            }[];
            version: number;
            createdAt: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpdateDrill: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          version?: number;
          status?: 'running' | 'passed' | 'failed' | 'aborted';
          /** Format: date-time */
          finishedAt?: string;
          rtoSeconds?: number;
          rpoSeconds?: number;
          verification?: {
            name: string;
            passed: boolean;
            expected?: string;
            actual?: string;
          }[];
          report?: string;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            kind: 'backup-restore' | 'failover' | 'rollback' | 'other';
            target: string;
            status: 'running' | 'passed' | 'failed' | 'aborted';
            startedAt: string;
            finishedAt?: string;
            rtoSeconds?: number;
            rpoSeconds?: number;
            objectives: {
              rtoSeconds: number;
              rpoSeconds: number;
            };
            verification: {
              name: string;
              passed: boolean;
              expected?: string;
              actual?: string;
            }[];
            report?: string;
            triggeredBy: string;
            taskId?: string;
            exclusive?: boolean;
            steps: {
              name: string;
              status: 'running' | 'succeeded' | 'failed' | 'skipped';
              startedAt: string;
              finishedAt?: string;
              output?: string;
            }[];
            version: number;
            createdAt: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** The drill changed since that version */
      409: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  UpsertDrillStep: {
    parameters: {
      query?: never;
      header?: never;
      path: {
        id: string;
        name: string;
      };
      cookie?: never;
    };
    requestBody: {
      content: {
        'application/json': {
          status: 'running' | 'succeeded' | 'failed' | 'skipped';
          /** Format: date-time */
          startedAt?: string;
          /** Format: date-time */
          finishedAt?: string;
          output?: string;
        };
      };
    };
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content: {
          'application/json': {
            id: string;
            entityRef: string;
            kind: 'backup-restore' | 'failover' | 'rollback' | 'other';
            target: string;
            status: 'running' | 'passed' | 'failed' | 'aborted';
            startedAt: string;
            finishedAt?: string;
            rtoSeconds?: number;
            rpoSeconds?: number;
            objectives: {
              rtoSeconds: number;
              rpoSeconds: number;
            };
            verification: {
              name: string;
              passed: boolean;
              expected?: string;
              actual?: string;
            }[];
            report?: string;
            triggeredBy: string;
            taskId?: string;
            exclusive?: boolean;
            steps: {
              name: string;
              status: 'running' | 'succeeded' | 'failed' | 'skipped';
              startedAt: string;
              finishedAt?: string;
              output?: string;
            }[];
            version: number;
            createdAt: string;
            updatedAt: string;
          };
        };
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  ListSlos: {
    parameters: {
      query: {
        entityRef: string;
        at?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetSloRules: {
    parameters: {
      query: {
        entityRef: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
  GetSloHistory: {
    parameters: {
      query: {
        entityRef: string;
        slo: string;
        at?: string;
      };
      header?: never;
      path?: never;
      cookie?: never;
    };
    requestBody?: never;
    responses: {
      /** OK */
      200: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Invalid request; the message names the field */
      400: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** No valid credentials */
      401: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Not allowed */
      403: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
      /** Unknown record, or an entity the caller cannot read */
      404: {
        headers: {
          [name: string]: unknown;
        };
        content?: never;
      };
    };
  };
}
