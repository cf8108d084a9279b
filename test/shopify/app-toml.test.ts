import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AUTH_CALLBACK_PATH } from '../../server/admin-ui/index.js';
import { topicHandlers } from '../../server/topic-handlers.js';

/** Reads the string arrays of a TOML key (the file is ours and flat enough for this). */
function listOf(toml: string, key: string): string[][] {
  return [...toml.matchAll(new RegExp(`^${key} = \\[([^\\]]*)\\]`, 'gm'))].map((match) =>
    [...match[1]!.matchAll(/"([^"]+)"/g)].map((item) => item[1]!),
  );
}

describe('shopify.app.toml', () => {
  it('subscribes every topic the app handles, compliance topics in their own block, all to /webhooks', async () => {
    const toml = await readFile('shopify.app.toml', 'utf8');
    const [topics] = listOf(toml, 'topics');
    const [compliance] = listOf(toml, 'compliance_topics');
    expect(new Set([...topics!, ...compliance!])).toEqual(new Set(Object.keys(topicHandlers)));
    expect(compliance).toEqual(['customers/data_request', 'customers/redact', 'shop/redact']);
    expect([...toml.matchAll(/^uri = "([^"]+)"/gm)].map((match) => match[1])).toEqual(['/webhooks', '/webhooks']);
    expect(toml).toMatch(/^api_version = "2026-10"$/m);
    // Relative: the CLI resolves it against the tunnel under `app dev` and application_url at deploy.
    expect(toml).toMatch(/\[app_proxy\]\nurl = "\/proxy"\nprefix = "apps"\nsubpath = "loyalty"/);
    expect(toml).toMatch(/^embedded = true$/m);
  });
});

describe('shopify.web.toml', () => {
  it('declares one web process, frontend and backend, started by npm start, with the webhook and auth callback paths the app serves', async () => {
    const web = await readFile('shopify.web.toml', 'utf8');
    expect(listOf(web, 'roles')).toEqual([['frontend', 'backend']]);
    expect(web).toMatch(/^webhooks_path = "\/webhooks"$/m);
    expect(web).toMatch(new RegExp(`^auth_callback_path = "${AUTH_CALLBACK_PATH}"$`, 'm'));
    expect(web).toMatch(/^\[commands\]\ndev = "npm start"\nbuild = "npm run build"$/m);
    const [redirects] = listOf(await readFile('shopify.app.toml', 'utf8'), 'redirect_urls');
    expect(redirects!.every((url) => url.endsWith(AUTH_CALLBACK_PATH))).toBe(true);
  });
});

describe('URLs the CLI fills in', () => {
  it("gives the Flow actions' runtime_url and the lifecycle callback's url as paths the app serves", async () => {
    for (const [file, key, value] of [
      ['extensions/tally-flow-adjust-points/shopify.extension.toml', 'runtime_url', '/flow/actions/adjust-points'],
      ['extensions/tally-flow-award-badge/shopify.extension.toml', 'runtime_url', '/flow/actions/award-badge'],
      ['extensions/tally-flow-lifecycle/shopify.extension.toml', 'url', '/flow/lifecycle'],
    ] as const) {
      expect({ file, line: new RegExp(`^${key} = "([^"]*)"$`, 'm').exec(await readFile(file, 'utf8'))?.[1] }).toEqual({ file, line: value });
    }
  });

  it('writes the lifecycle callback in the form Shopify CLI writes for that type: [[extensions]] with type, name, handle and url', async () => {
    const toml = await readFile('extensions/tally-flow-lifecycle/shopify.extension.toml', 'utf8');
    const body = toml.replace(/^#.*\n/gm, '');
    expect(body).toMatch(
      /^\[\[extensions\]\]\ntype = "flow_trigger_lifecycle_callback"\nname = "[^"]+"\nhandle = "tally-flow-lifecycle"\nurl = "[^"]+"\n$/,
    );
  });
});

describe("the POS UI extension in the CLI's form", () => {
  it("declares its four targets, each with a module that exists, on the UI extensions' API version; [pos] stays unembedded", async () => {
    const toml = await readFile('extensions/tally-pos/shopify.extension.toml', 'utf8');
    expect(toml).toMatch(/^api_version = "2026-07"$/m);
    expect(toml).toMatch(/^\[\[extensions\]\]\nname = "[^"]+"\nhandle = "tally-pos"\ntype = "ui_extension"$/m);
    const targets = [...toml.matchAll(/^\[\[extensions\.targeting\]\]\nmodule = "([^"]+)"\ntarget = "([^"]+)"$/gm)].map((match) => [
      match[2],
      match[1],
    ]);
    expect(targets).toEqual([
      ['pos.home.tile.render', './src/Tile.ts'],
      ['pos.home.modal.render', './src/Modal.ts'],
      ['pos.customer-details.block.render', './src/CustomerBlock.ts'],
      ['pos.purchase.post.block.render', './src/PostPurchase.ts'],
    ]);
    for (const [, module] of targets) expect(existsSync(`extensions/tally-pos/${module}`), module).toBe(true);
    expect(await readFile('shopify.app.toml', 'utf8')).toMatch(/^\[pos\]\nembedded = false$/m);
  });
});
