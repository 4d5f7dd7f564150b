import express from 'express';
import { YAML_MEDIA_TYPES } from './config-body.js';

/**
 * Raw text for YAML bodies on the config routes only: validation needs the text itself (line
 * numbers, duplicate keys), and no other route should start accepting YAML. JSON keeps the
 * global parser.
 */
export const yamlBodyParser = express.text({ type: [...YAML_MEDIA_TYPES], limit: '1mb' });
