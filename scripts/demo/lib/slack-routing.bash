# The demo's routing of Backstage's Slack notifications module to the fake Slack of
# scripts/demo/slack.sh. Source it, then call opsdeck_route_slack_to_fake before starting
# the backend (yarn start): it exports, for the backend's Node process,
#   OPSDECK_SLACK_API_URL  the fake's Web API URL (http://127.0.0.1:$OPSDECK_SLACK_PORT/api/)
#   NODE_OPTIONS           + --require of packages/backend/src/__testUtils__/fakeSlack/
#                          preloadSlackToFake.cjs, which gives the module a @slack/web-api
#                          WebClient whose slackApiUrl is that URL.
# The module has no URL setting of its own; without this the backend calls slack.com.

opsdeck_route_slack_to_fake() {
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
  export OPSDECK_SLACK_API_URL="http://127.0.0.1:${OPSDECK_SLACK_PORT:-3300}/api/"
  export NODE_OPTIONS="${NODE_OPTIONS:+$NODE_OPTIONS }--require \"$root/packages/backend/src/__testUtils__/fakeSlack/preloadSlackToFake.cjs\""
}
