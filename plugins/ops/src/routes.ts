import { createRouteRef } from '@backstage/core-plugin-api';

/** The annotation reference page, at `/ops/annotations` by default. */
export const annotationsRouteRef = createRouteRef({ id: 'ops:annotations' });
