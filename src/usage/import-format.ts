export type ImportFormat = 'csv' | 'ndjson';

const MEDIA_TYPES: Record<string, ImportFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
};

export const IMPORT_MEDIA_TYPES = Object.keys(MEDIA_TYPES);

/**
 * The body format from Content-Type and Content-Encoding, or a reason it cannot be read.
 * The file goes to PostgreSQL byte for byte, so it must be UTF-8 (the connection's encoding)
 * and not compressed.
 */
export function resolveImportFormat(contentType: string | undefined, contentEncoding: string | undefined): { format: ImportFormat } | { reason: string } {
  const [mediaType = '', ...params] = (contentType ?? '').split(';').map((part) => part.trim().toLowerCase());
  const format = MEDIA_TYPES[mediaType];
  if (!format) {
    return { reason: `Content-Type ${mediaType ? `'${mediaType}'` : '(none)'} is not supported; send text/csv or application/x-ndjson` };
  }
  const charset = params.find((param) => param.startsWith('charset='))?.slice('charset='.length).replace(/"/g, '');
  if (charset !== undefined && !['utf-8', 'utf8', 'us-ascii'].includes(charset)) {
    return { reason: `charset '${charset}' is not supported; send the file as UTF-8` };
  }
  const encoding = (contentEncoding ?? '').trim().toLowerCase();
  if (encoding !== '' && encoding !== 'identity') return { reason: `Content-Encoding '${encoding}' is not supported; send the file uncompressed` };
  return { format };
}
