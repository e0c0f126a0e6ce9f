// Writes the server's configuration file: the ConfigMap's, with the API keys and the metrics
// token of the chart's Secret added (a key the Secret does not have leaves that part as it is).
// Run by the server pod's init container: node merge-secrets.mjs <config> <secret dir> <target>
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [configFile, secretDir, target] = process.argv.slice(2);
const config = JSON.parse(readFileSync(configFile, 'utf8'));
const secret = (name) => {
  const path = join(secretDir, name);
  return existsSync(path) ? readFileSync(path, 'utf8').trim() : '';
};

const apiKeys = secret('api-keys')
  .split('\n')
  .map((key) => key.trim())
  .filter(Boolean);
if (apiKeys.length > 0) config.admission = { ...config.admission, apiKeys };
const metricsToken = secret('metrics-token');
if (metricsToken) config.metrics = { ...config.metrics, token: metricsToken };
writeFileSync(target, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
