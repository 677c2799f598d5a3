import * as fs from 'node:fs';
import * as path from 'node:path';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Node } from 'constructs';
import { AccidentsConfig, DEFAULTS } from '../lib/config';

/**
 * Context keys (`cdk synth -c key=value` or cdk.json "context"):
 *   datasheet         CSV to deploy (default: <repo>/build/demo/AviationData.csv)
 *   webAssets         built web app directory (default: the first <repo>/web/dist/<app>/browser)
 *   dockerContext     image build context (default: <repo>)
 *   dockerfile        Dockerfile relative to dockerContext (default: deploy/Dockerfile)
 *   webOrigin         CORS origin, e.g. https://accidents.example.org (default: the distribution)
 *   logRetentionDays  one of CloudWatch's retention values (default: 30)
 * Paths given on the command line are relative to the working directory; defaults to the repo root.
 */
export function readConfig(node: Node, repoRoot: string): AccidentsConfig {
  const text = (key: string): string | undefined => {
    const value: unknown = node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    return String(value);
  };
  const fromCwd = (p: string): string => path.resolve(process.cwd(), p);

  const datasheetPath = text('datasheet') !== undefined
    ? fromCwd(text('datasheet')!)
    : path.join(repoRoot, DEFAULTS.datasheetPath);
  if (!isFile(datasheetPath)) {
    throw new Error(
      `Datasheet not found: ${datasheetPath}. Run \`make demo-data\` in the repository root to ` +
      'generate the demo file, or pass the real one: -c datasheet=/path/to/AviationData.csv');
  }

  const dockerContext = text('dockerContext') !== undefined ? fromCwd(text('dockerContext')!) : repoRoot;
  const dockerfile = text('dockerfile') ?? DEFAULTS.dockerfile;
  if (!isFile(path.join(dockerContext, dockerfile))) {
    throw new Error(
      `Dockerfile not found: ${path.join(dockerContext, dockerfile)}. The Lambda image is built from ` +
      'deploy/Dockerfile at the repository root (or pass -c dockerContext=DIR -c dockerfile=FILE).');
  }

  const webAssetsPath = text('webAssets') !== undefined
    ? fromCwd(text('webAssets')!)
    : findBuiltWebApp(path.join(repoRoot, DEFAULTS.webAssetsGlobParent));
  if (webAssetsPath !== undefined && !isFile(path.join(webAssetsPath, 'index.html'))) {
    throw new Error(`No index.html in ${webAssetsPath}: build the web app first (cd web && npm run build).`);
  }

  return {
    datasheetPath,
    webAssetsPath,
    image: { directory: dockerContext, file: dockerfile, command: DEFAULTS.imageCommand },
    functions: DEFAULTS.functions,
    usagePlan: DEFAULTS.usagePlan,
    stageThrottle: DEFAULTS.stageThrottle,
    webOrigin: text('webOrigin'),
    logRetention: retention(text('logRetentionDays')),
  };
}

/** `ng build` writes dist/<project>/browser; take the first one holding an index.html. */
function findBuiltWebApp(distDir: string): string | undefined {
  if (!isDirectory(distDir)) return undefined;
  return fs.readdirSync(distDir).sort()
    .flatMap((project) => [path.join(distDir, project, 'browser'), path.join(distDir, project)])
    .find((dir) => isFile(path.join(dir, 'index.html')));
}

function retention(days: string | undefined): RetentionDays {
  if (days === undefined) return DEFAULTS.logRetention;
  const value = Number(days);
  if (!Object.values(RetentionDays).includes(value as RetentionDays)) {
    throw new Error(`logRetentionDays=${days} is not a CloudWatch Logs retention value (1, 3, 5, 7, 14, 30, 60, 90, ...)`);
  }
  return value as RetentionDays;
}

function isFile(p: string): boolean {
  return fs.existsSync(p) && fs.statSync(p).isFile();
}

function isDirectory(p: string): boolean {
  return fs.existsSync(p) && fs.statSync(p).isDirectory();
}
