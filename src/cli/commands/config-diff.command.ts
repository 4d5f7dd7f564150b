import { loadScoringConfigFile } from '../../config/scoring-config/scoring-config.loader.js';
import type { ScoringConfig } from '../../scoring/domain/config/scoring-config.types.js';
import { line } from '../cli-io.js';
import { diffConfigs, formatDiff } from '../config-diff.js';
import { EXIT_FAILED, EXIT_OK, type CommandContext } from './command-context.js';

interface ActiveConfig {
  version: number;
  checksum: string;
  config: ScoringConfig;
}

/**
 * `config diff <file>`: what would change if the file became the active config. The file is
 * validated first (a diff against a config the service would refuse misleads).
 */
export async function configDiffCommand(file: string, options: { json?: boolean }, { io, api }: CommandContext): Promise<number> {
  const local = await loadScoringConfigFile(file);
  if (!local.ok) {
    line(io.err, `✗ ${file} is not a valid scoring config; fix it first (config validate ${file}):`);
    for (const error of local.errors) line(io.err, `  ${error.path || '(document)'}: ${error.message}`);
    return EXIT_FAILED;
  }
  const active = await api().json<ActiveConfig>('GET', '/v1/config');
  const entries = local.checksum === active.checksum ? [] : diffConfigs(active.config, local.config);
  if (options.json) {
    line(io.out, JSON.stringify({ activeVersion: active.version, activeChecksum: active.checksum, fileChecksum: local.checksum, changes: entries }, null, 2));
    return EXIT_OK;
  }
  if (entries.length === 0) {
    line(io.out, `No differences: ${file} matches the active config (version ${active.version}).`);
    return EXIT_OK;
  }
  line(io.out, `${entries.length} change${entries.length === 1 ? '' : 's'} from the active config (version ${active.version}) to ${file}:`);
  for (const text of formatDiff(entries)) line(io.out, `  ${text}`);
  return EXIT_OK;
}
