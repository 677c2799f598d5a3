import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { AccidentsStacks, createAccidentsStacks } from '../lib/accidents-app';
import { AccidentsConfig, DEFAULTS } from '../lib/config';

/** The repository's small messy CSV stands in for the datasheet. */
export const FIXTURE_DATASHEET = path.resolve(__dirname, '..', '..', 'tests', 'fixtures', 'messy.csv');

const tempDirs: string[] = [];
afterAll(() => tempDirs.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

export function tempDir(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

/** A build context with a minimal Dockerfile: the real one is built at deploy time only. */
export function tempDockerContext(): string {
  const dir = tempDir('accidents-image-');
  fs.mkdirSync(path.join(dir, 'deploy'));
  fs.writeFileSync(path.join(dir, 'deploy', 'Dockerfile'), 'FROM scratch\nENTRYPOINT ["/accidents"]\n');
  return dir;
}

export function tempWebApp(): string {
  const dir = tempDir('accidents-web-');
  fs.writeFileSync(path.join(dir, 'index.html'), '<!doctype html><title>accidents</title>');
  return dir;
}

export function testConfig(overrides: Partial<AccidentsConfig> = {}): AccidentsConfig {
  return {
    datasheetPath: FIXTURE_DATASHEET,
    webAssetsPath: tempWebApp(),
    image: { directory: tempDockerContext(), file: DEFAULTS.dockerfile, command: DEFAULTS.imageCommand },
    functions: DEFAULTS.functions,
    usagePlan: DEFAULTS.usagePlan,
    stageThrottle: DEFAULTS.stageThrottle,
    logRetention: DEFAULTS.logRetention,
    ...overrides,
  };
}

/** The app as bin/ builds it, with the feature flags of cdk.json. */
export function synthApp(config: AccidentsConfig = testConfig()): { app: App } & AccidentsStacks {
  const cdkJson = JSON.parse(fs.readFileSync(path.join(__dirname, '..', 'cdk.json'), 'utf8'));
  const app = new App({ context: cdkJson.context });
  return { app, ...createAccidentsStacks(app, config) };
}
