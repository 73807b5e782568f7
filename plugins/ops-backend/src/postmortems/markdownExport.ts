// The post-mortem as a markdown file a team commits to its TechDocs: a YAML
// front matter (mkdocs and TechDocs ignore it in the page, tools read it)
// with what the record knows, then the body as written.

import { ActionItem, Postmortem } from '@opsdeck/plugin-ops-common';

/** A YAML scalar: JSON strings are valid YAML and need no escaping rules of their own. */
const scalar = (value: string | number | boolean) => JSON.stringify(value);

const list = (name: string, values: string[]) =>
  values.length === 0
    ? [`${name}: []`]
    : [`${name}:`, ...values.map(v => `  - ${scalar(v)}`)];

export function postmortemMarkdown(
  postmortem: Postmortem,
  actionItems: ActionItem[],
): string {
  const front = [
    '---',
    `title: ${scalar(postmortem.title)}`,
    `postmortem: ${scalar(postmortem.id)}`,
    `incident: ${scalar(postmortem.incidentId)}`,
    `entity: ${scalar(postmortem.entityRef)}`,
    `severity: ${scalar(postmortem.severity)}`,
    `status: ${scalar(postmortem.status)}`,
    `version: ${postmortem.version}`,
    ...list('authors', postmortem.authors),
    ...list('reviewers', postmortem.reviewers),
    ...(postmortem.publishedAt
      ? [`published: ${scalar(postmortem.publishedAt)}`]
      : []),
    ...(actionItems.length === 0
      ? ['actionItems: []']
      : [
          'actionItems:',
          ...actionItems.flatMap(item => [
            `  - title: ${scalar(item.title)}`,
            `    owner: ${scalar(item.ownerRef)}`,
            `    due: ${scalar(item.dueDate)}`,
            `    status: ${scalar(item.status)}`,
            ...(item.link ? [`    link: ${scalar(item.link)}`] : []),
          ]),
        ]),
    '---',
    '',
  ];
  return `${front.join('\n')}${postmortem.body.trimEnd()}\n`;
}

/** A file name for the export: `2026-12-03-checkout-returns-502.md`. */
export function postmortemFileName(postmortem: Postmortem): string {
  const slug = postmortem.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${postmortem.createdAt.slice(0, 10)}-${slug || 'postmortem'}.md`;
}
