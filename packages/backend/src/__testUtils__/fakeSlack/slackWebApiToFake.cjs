// Routes the Slack notifications module's Web API calls to the fake Slack of
// the demo and the tests. The module (0.4.6) builds its client with
// `new WebClient(token)`: no URL option in its config and no way to hand it a
// client, so it always calls https://slack.com/api/. @slack/web-api's own
// documented `slackApiUrl` option is the one seam: this gives the module a
// WebClient that sets it. Only the demo (preloadSlackToFake.cjs) and the tests
// (routeSlackModuleInJest.ts) use it; the backend's code is unchanged and, run
// without them, talks to Slack. Plain CommonJS so that `node --require` can
// load it before any TypeScript loader.

const path = require('node:path');

const FAKE_SLACK_API_URL_ENV = 'OPSDECK_SLACK_API_URL';

/**
 * The real @slack/web-api module with its WebClient replaced by one whose
 * slackApiUrl is `apiUrl()` (read when the client is built), whatever the
 * caller passed.
 */
function routedWebApi(webApi, apiUrl) {
  class WebClientToFakeSlack extends webApi.WebClient {
    constructor(token, options) {
      super(token, { ...options, slackApiUrl: apiUrl() });
    }
  }
  return { ...webApi, WebClient: WebClientToFakeSlack };
}

/** $OPSDECK_SLACK_API_URL, or an Error naming the variable. */
function fakeSlackApiUrlFromEnv() {
  const url = process.env[FAKE_SLACK_API_URL_ENV];
  if (!url || !/^https?:\/\//.test(url)) {
    throw new Error(
      `${FAKE_SLACK_API_URL_ENV} must be the fake Slack's Web API URL ` +
        `(e.g. http://127.0.0.1:3300/api/), got ${JSON.stringify(url)}`,
    );
  }
  return url;
}

/**
 * The file of the @slack/web-api the Slack module loads: its own nested copy,
 * which may differ from any other in node_modules.
 */
function slackModuleWebApiPath() {
  const slackModuleEntry = require.resolve(
    '@backstage/plugin-notifications-backend-module-slack',
  );
  return require.resolve('@slack/web-api', {
    paths: [path.dirname(slackModuleEntry)],
  });
}

module.exports = {
  FAKE_SLACK_API_URL_ENV,
  fakeSlackApiUrlFromEnv,
  routedWebApi,
  slackModuleWebApiPath,
};
