import { routedWebApi, slackModuleWebApiPath } from './slackWebApiToFake.cjs';

// The tests' routing of the Slack notifications module to a fake Slack: Jest
// has its own module registry, so instead of the demo's preload it registers
// the routed @slack/web-api as that path's module. Call it before the Slack
// module is loaded, e.g. with
// `features: [import('@backstage/plugin-notifications-backend-module-slack')]`
// in startTestBackend after this call; jest.doMock (not hoisted) makes that
// order explicit.

export function routeSlackModuleInJest(apiUrl: () => string) {
  const webApiPath = slackModuleWebApiPath();
  jest.doMock(webApiPath, () =>
    routedWebApi(jest.requireActual(webApiPath), apiUrl),
  );
}
