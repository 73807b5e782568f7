// The demo's routing of the Slack notifications module to the fake Slack
// (scripts/demo/slack.sh), preloaded into the backend's Node process:
//
//   OPSDECK_SLACK_API_URL=http://127.0.0.1:3300/api/ \
//   NODE_OPTIONS="--require $PWD/packages/backend/src/__testUtils__/fakeSlack/preloadSlackToFake.cjs" \
//   yarn start
//
// It loads the module's @slack/web-api once and replaces that entry of
// Node's require cache (documented as writable: nodejs.org/api/modules.html
// #requirecache) with the routed one, so the module's later
// `require('@slack/web-api')` gets a WebClient built for the fake. Without
// OPSDECK_SLACK_API_URL it does nothing, and it does nothing in processes
// that have no Slack module (yarn itself, the frontend's dev server).

const {
  FAKE_SLACK_API_URL_ENV,
  fakeSlackApiUrlFromEnv,
  routedWebApi,
  slackModuleWebApiPath,
} = require('./slackWebApiToFake.cjs');

function routeSlackModuleInThisProcess() {
  let webApiPath;
  try {
    webApiPath = slackModuleWebApiPath();
  } catch {
    return; // not a process that can load the Slack module
  }
  const webApi = require(webApiPath);
  require.cache[webApiPath].exports = routedWebApi(
    webApi,
    fakeSlackApiUrlFromEnv,
  );
}

if (process.env[FAKE_SLACK_API_URL_ENV]) {
  // Fails here, naming the variable, rather than at the first notification.
  fakeSlackApiUrlFromEnv();
  routeSlackModuleInThisProcess();
}
