import {
  createExternalRouteRef,
  createRouteRef,
} from '@backstage/core-plugin-api';

/** The OpsDeck page, open incidents across services, at `/ops` by default. */
export const rootRouteRef = createRouteRef({ id: 'ops' });

/** One incident with its timeline, at `/ops/incidents/:id` by default. */
export const incidentRouteRef = createRouteRef({
  id: 'ops:incident',
  params: ['id'],
});

/** One post-mortem with its action items, at `/ops/postmortems/:id` by default. */
export const postmortemRouteRef = createRouteRef({
  id: 'ops:postmortem',
  params: ['id'],
});

/** The annotation reference page, at `/ops/annotations` by default. */
export const annotationsRouteRef = createRouteRef({ id: 'ops:annotations' });

/**
 * A scaffolder template's form: bind it to the scaffolder's
 * `selectedTemplate` route (`/create/templates/:namespace/:templateName`),
 * in app-config `app.routes.bindings: { ops.selectedTemplate:
 * scaffolder.selectedTemplate }`. Unbound, the cards hide the actions that
 * open a template.
 */
export const selectedTemplateRouteRef = createExternalRouteRef({
  id: 'ops:selected-template',
  params: ['namespace', 'templateName'],
  optional: true,
});
