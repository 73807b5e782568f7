import { Postmortem } from '@opsdeck/plugin-ops-common';

/** The file name a team commits to its TechDocs: the incident's day and title. */
export function markdownFileName(postmortem: Postmortem): string {
  const slug = postmortem.title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${postmortem.createdAt.slice(0, 10)}-${slug || postmortem.id}.md`;
}

/** Hands the markdown to the browser as a download. */
export function downloadMarkdown(fileName: string, markdown: string) {
  const url = URL.createObjectURL(
    new Blob([markdown], { type: 'text/markdown;charset=utf-8' }),
  );
  const anchor = document.createElement('a');
  anchor.href = url;
  anchor.download = fileName;
  document.body.appendChild(anchor);
  anchor.click();
  anchor.remove();
  URL.revokeObjectURL(url);
}
