import { mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { synthStack, type Synthesised } from './synth.ts';

// A stand-in for frontend/dist: an entry page, one hashed asset, and a liveness file one folder down.
function builtApp(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'securetask-dist-'));
  mkdirSync(path.join(dir, 'assets'));
  writeFileSync(path.join(dir, 'index.html'), '<!doctype html><script type="module" src="/assets/index-abc.js"></script>');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js'), 'console.log(1)\n//# sourceMappingURL=index-abc.js.map');
  writeFileSync(path.join(dir, 'assets', 'index-abc.js.map'), '{"version":3,"sources":["../src/main.tsx"],"mappings":"AAAA"}');
  mkdirSync(path.join(dir, 'assets', 'liveness', 'tfjs-backend-wasm-4.11.0'), { recursive: true });
  writeFileSync(path.join(dir, 'assets', 'liveness', 'tfjs-backend-wasm-4.11.0', 'tfjs-backend-wasm-simd.wasm'), '\0asm');
  return dir;
}

describe('the web app deployed with the stack', () => {
  let synth: Synthesised;
  beforeAll(async () => {
    synth = await synthStack({ webAssetsPath: builtApp() });
  });

  const deployments = () => Object.values(synth.template.findResources('Custom::CDKBucketDeployment')) as { Properties: Record<string, any>; DependsOn?: string[] }[];

  it('uploads hashed assets with a year of caching, and the entry page and settings uncached after them', () => {
    const [assets, entry] = [...deployments()].sort((a, b) => (a.Properties.DistributionPaths ? 1 : 0) - (b.Properties.DistributionPaths ? 1 : 0));
    expect(assets.Properties.SystemMetadata).toEqual({ 'cache-control': 'public, max-age=31536000, immutable' });
    expect(assets.Properties.Prune).toBe(false);
    expect(entry.Properties.SystemMetadata).toEqual({ 'cache-control': 'no-cache' });
    expect(entry.Properties.DistributionPaths).toEqual(['/index.html', '/config.json']);
    expect(entry.DependsOn?.some((id) => id.includes('Assets'))).toBe(true);
    synth.template.hasOutput('WebUrl', { Description: 'Web app (frontend/dist deployed)' });
  });

  it('writes /config.json with the API it was deployed with (resolved at deploy time)', () => {
    const entry = deployments().find((d) => d.Properties.DistributionPaths)!;
    // Source.jsonData's deploy-time values travel as markers replaced by the custom resource.
    const markers = JSON.stringify(entry.Properties.SourceMarkers);
    expect(markers).toContain('GraphQLUrl');
    expect(markers).toContain('RealtimeUrl');
    expect(markers).toContain('ApiKeyId');
  });

  it('uploads no source map: the staged web asset holds the code and not its .map files', () => {
    const assembly = (synth.stack.node.root as App).synth();
    const assets = deployments().find((d) => !d.Properties.DistributionPaths)!;
    const key = JSON.stringify(assets.Properties.SourceObjectKeys).match(/([0-9a-f]{64})\.zip/)![1];
    const staged = path.join(assembly.directory, `asset.${key}`);
    const files = readdirSync(staged, { recursive: true }).map(String);
    expect(files).toContain(path.join('assets', 'index-abc.js'));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    // The liveness check's model and WASM files go with the app: the component never fetches them from a CDN.
    expect(files).toContain(path.join('assets', 'liveness', 'tfjs-backend-wasm-4.11.0', 'tfjs-backend-wasm-simd.wasm'));
  });

  it("lets the liveness check compile its WASM and stream to the region's Rekognition, and nothing else more", () => {
    const [policy] = Object.values(synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as { Properties: any }[];
    const csp: string = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    const directive = (name: string) => csp.split('; ').find((d) => d.startsWith(`${name} `))!;
    expect(directive('script-src')).toBe("script-src 'self' 'wasm-unsafe-eval'");
    expect(directive('connect-src').split(' ')).toContain('wss://streaming-rekognition.eu-west-1.amazonaws.com');
    expect(csp).not.toMatch(/cdn\.liveness\.rekognition|jsdelivr|tfhub/);
  });

  it("passes cdk-nag's AwsSolutions pack with the deployment handler's findings acknowledged", () => {
    const findings = synth.nag.violations.map((v) => `${v.ruleName}: ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);
    expect(findings).toEqual([]);
  });

  it('lets the page show review images from the image bucket and nothing else outside', () => {
    const [policy] = Object.values(synth.template.findResources('AWS::CloudFront::ResponseHeadersPolicy')) as { Properties: any }[];
    const csp: string = policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy;
    const imgSrc = csp.split('; ').find((d) => d.startsWith('img-src'))!;
    expect(imgSrc).toMatch(/^img-src 'self' data: blob: https:\/\/securetask-test-images-[^ ]+\.s3\.eu-west-1\.amazonaws\.com$/);
  });
});
