import { configApiRef, useApi } from '@backstage/core-plugin-api';

/**
 * Links into the app itself navigate in place; others open in a new window,
 * as the Link component does for any absolute URL.
 */
export function useInAppLink(url: string): string {
  const appBaseUrl = useApi(configApiRef).getString('app.baseUrl');
  return url.startsWith(`${appBaseUrl}/`) ? url.slice(appBaseUrl.length) : url;
}
