import * as fs from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Period } from 'aws-cdk-lib/aws-apigateway';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { readConfig } from '../bin/config';
import { tempDir } from './fixture-app';

/** A repository root with the demo datasheet and the Dockerfile where bin/ expects them. */
function fakeRepo(files: Record<string, string> = {
  'build/demo/AviationData.csv': 'Event.Id\n',
  'deploy/Dockerfile': 'FROM scratch\n',
}): string {
  const root = tempDir('accidents-repo-');
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }
  return root;
}

const read = (repo: string, context: Record<string, string> = {}) => readConfig(new App({ context }).node, repo);

describe('readConfig', () => {
  test('defaults: the demo datasheet, deploy/Dockerfile at the root, the seed usage plan', () => {
    const repo = fakeRepo();
    const config = read(repo);
    expect(config.datasheetPath).toBe(path.join(repo, 'build/demo/AviationData.csv'));
    expect(config.image).toEqual({ directory: repo, file: 'deploy/Dockerfile', command: ['lambda'] });
    expect(config.usagePlan).toEqual({
      throttle: { rateLimit: 10, burstLimit: 2 },
      quota: { limit: 10000, period: Period.DAY },
    });
    expect(config.logRetention).toBe(RetentionDays.ONE_MONTH);
    expect(config.webAssetsPath).toBeUndefined();
    expect(config.webOrigin).toBeUndefined();
  });

  test('a missing datasheet fails with what to run', () => {
    const repo = fakeRepo({ 'deploy/Dockerfile': 'FROM scratch\n' });
    expect(() => read(repo)).toThrow(/Datasheet not found: .*build\/demo\/AviationData\.csv\. Run `make demo-data`/);
  });

  test('context paths are taken from the working directory', () => {
    const repo = fakeRepo();
    const elsewhere = fakeRepo({ 'data/real.csv': 'Event.Id\n', 'img/Dockerfile.lambda': 'FROM scratch\n' });
    const config = read(repo, {
      datasheet: path.relative(process.cwd(), path.join(elsewhere, 'data/real.csv')),
      dockerContext: path.join(elsewhere, 'img'),
      dockerfile: 'Dockerfile.lambda',
      webOrigin: 'https://accidents.example.org',
      logRetentionDays: '90',
    });
    expect(config.datasheetPath).toBe(path.join(elsewhere, 'data/real.csv'));
    expect(config.image.directory).toBe(path.join(elsewhere, 'img'));
    expect(config.image.file).toBe('Dockerfile.lambda');
    expect(config.webOrigin).toBe('https://accidents.example.org');
    expect(config.logRetention).toBe(RetentionDays.THREE_MONTHS);
  });

  test('a missing Dockerfile fails clearly', () => {
    const repo = fakeRepo({ 'build/demo/AviationData.csv': 'Event.Id\n' });
    expect(() => read(repo)).toThrow(/Dockerfile not found: .*deploy\/Dockerfile/);
  });

  test('the built web app is found under web/dist/<app>/browser', () => {
    const repo = fakeRepo({
      'build/demo/AviationData.csv': 'Event.Id\n',
      'deploy/Dockerfile': 'FROM scratch\n',
      'web/dist/accidents-web/browser/index.html': '<!doctype html>',
    });
    expect(read(repo).webAssetsPath).toBe(path.join(repo, 'web/dist/accidents-web/browser'));
  });

  test('an explicit web app directory without index.html fails', () => {
    const repo = fakeRepo();
    expect(() => read(repo, { webAssets: repo })).toThrow(/No index.html in/);
  });

  test('a log retention CloudWatch does not offer fails', () => {
    expect(() => read(fakeRepo(), { logRetentionDays: '31' })).toThrow(/logRetentionDays=31/);
  });
});
