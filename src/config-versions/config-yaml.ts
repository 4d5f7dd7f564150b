import { Document } from 'yaml';
import type { ConfigVersion } from './config-versions.service.js';

/**
 * A stored version as a YAML document that can be edited and PUT back as-is: the version facts
 * ride along as leading comments (ignored on the way back in), the body is the config only.
 * The stored config is JSON, so the explanatory comments of `config/scoring.yaml` are not kept.
 */
export function renderConfigYaml(version: ConfigVersion): string {
  const document = new Document(version.config);
  const header = [
    ` Health Signals scoring config, version ${version.version} (${version.source})`,
    ` version: ${version.version}`,
    ` checksum: ${version.checksum}`,
    ` author: ${oneLine(version.author)}`,
    ` createdAt: ${version.createdAt}`,
    ...(version.comment ? [` comment: ${oneLine(version.comment)}`] : []),
    ' Edit and send back with PUT /v1/config (Content-Type: application/yaml, If-Match: "<checksum>").',
    ' Schema: GET /v1/config/schema',
  ];
  document.commentBefore = header.join('\n');
  return document.toString({ lineWidth: 0 });
}

// A newline in a comment would end the YAML comment and leak text into the document.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');
