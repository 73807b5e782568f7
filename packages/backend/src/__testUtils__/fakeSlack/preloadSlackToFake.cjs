// The demo's routing of the Slack notifications module to the fake Slack
// (scripts/demo/slack.sh), preloaded into the backend's Node process:
//
//   OPSDECK_SLACK_API_URL=http://127.0.0.1:3300/api/ \
//   NODE_OPTIONS="--require $PWD/packages/backend/src/__testUtils__/fakeSlack/preloadSlackToFake.cjs" \
//   yarn start
//
// It wraps `require` so that the module's own `require('@slack/web-api')`
// gets a WebClient built for the fake (the same seam as the tests'
// jest.doMock). It loads nothing itself: a preload that required
// @slack/web-api up front ran before the TypeScript loader of
// `backstage-cli package start` and the demo servers, whose hooks then
// refused the ESM files it pulls in. Without OPSDECK_SLACK_API_URL it does
// nothing, and it does nothing in processes that never load the Slack
// module (yarn itself, the frontend's build).

const Module = require('node:module');
const path = require('node:path');
const {
  FAKE_SLACK_API_URL_ENV,
  fakeSlackApiUrlFromEnv,
  routedWebApi,
} = require('./slackWebApiToFake.cjs');

function routeSlackModuleInThisProcess() {
  let slackModuleDir;
  try {
    slackModuleDir = path.dirname(
      require.resolve('@backstage/plugin-notifications-backend-module-slack'),
    );
  } catch {
    return; // not a process that can load the Slack module
  }
  const originalRequire = Module.prototype.require;
  const routed = new WeakMap();
  Module.prototype.require = function requireWithSlackToFake(id) {
    const exported = originalRequire.apply(this, arguments);
    if (
      id !== '@slack/web-api' ||
      !this.filename ||
      !this.filename.startsWith(slackModuleDir + path.sep)
    ) {
      return exported;
    }
    if (!routed.has(exported)) {
      routed.set(exported, routedWebApi(exported, fakeSlackApiUrlFromEnv));
    }
    return routed.get(exported);
  };
}

if (process.env[FAKE_SLACK_API_URL_ENV]) {
  // Fails here, naming the variable, rather than at the first notification.
  fakeSlackApiUrlFromEnv();
  routeSlackModuleInThisProcess();
}
