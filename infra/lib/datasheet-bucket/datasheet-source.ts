import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FileSystem, SymlinkFollowMode } from 'aws-cdk-lib';
import * as s3deploy from 'aws-cdk-lib/aws-s3-deployment';

/**
 * A deployment source holding one file under the given object key, whatever the file's own name.
 * BucketDeployment takes directories (zipped as assets), so the file is linked into a staging
 * directory named after its content; the asset hash covers the key and the content, not the link.
 */
export function singleFileSource(filePath: string, objectKey: string): s3deploy.ISource {
  const absolute = path.resolve(filePath);
  const staging = path.join(os.tmpdir(), `accidents-datasheet-${FileSystem.fingerprint(absolute).slice(0, 16)}`);
  const link = path.join(staging, objectKey);
  fs.mkdirSync(staging, { recursive: true });
  fs.rmSync(link, { force: true });
  fs.symlinkSync(absolute, link);
  return s3deploy.Source.asset(staging, { followSymlinks: SymlinkFollowMode.ALWAYS });
}
