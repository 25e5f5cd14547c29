// Lints an OpenAPI document (a JSON file) with Redocly's recommended rules and prints the
// problems as JSON. A separate process: the linter is an ES module that Jest cannot load.
import { readFileSync } from 'node:fs';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const file = process.argv[2];
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: readFileSync(file, 'utf8'), absoluteRef: file, config });
process.stdout.write(
  JSON.stringify(
    problems.map((p) => ({
      severity: p.severity,
      ruleId: p.ruleId,
      message: p.message,
      at: p.location.map((l) => l.pointer).join(', '),
    })),
  ),
);
