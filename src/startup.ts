import { existsSync } from 'node:fs';
import { AppConfig, ConfigError, loadConfig } from './config/env.validation';
import { EmbeddedDatabase, EmbeddedDatabaseUnavailable, resolveDatabase } from './database/embedded-database';

/**
 * What every entry point (the server, the CLI) does before Nest starts: read
 * `.env` when there is one, check the configuration, and start the embedded
 * database when MONGODB_URI is unset.
 */
export async function prepareStartup(log: (line: string) => void): Promise<{ config: AppConfig; embedded?: EmbeddedDatabase }> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return resolveDatabase(loadConfig(process.env), log);
}

/**
 * Configuration and database problems are the operator's to fix: one clear
 * line, no stack trace (docs/http.md, "Environment"). Anything else is a bug,
 * and its stack is what a developer needs.
 */
export function startupFailure(error: unknown): { line: string; known: boolean } {
  if (error instanceof ConfigError || error instanceof EmbeddedDatabaseUnavailable) return { line: error.message, known: true };
  return { line: error instanceof Error ? (error.stack ?? error.message) : String(error), known: false };
}
