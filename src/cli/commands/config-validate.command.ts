import { loadScoringConfigFile } from '../../config/scoring-config/scoring-config.loader.js';
import { line } from '../cli-io.js';
import { EXIT_FAILED, EXIT_OK, type CommandContext } from './command-context.js';

/** `config validate <file>`: the same checks as PUT /v1/config, offline; every bad path is printed. */
export async function configValidateCommand(file: string, { io }: Pick<CommandContext, 'io'>): Promise<number> {
  const result = await loadScoringConfigFile(file);
  if (!result.ok) {
    line(io.err, `✗ ${file} is not a valid scoring config (${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}):`);
    for (const error of result.errors) line(io.err, `  ${error.path || '(document)'}: ${error.message}`);
    return EXIT_FAILED;
  }
  line(io.out, `✓ ${file} is a valid scoring config (checksum ${result.checksum.slice(0, 12)})`);
  return EXIT_OK;
}
