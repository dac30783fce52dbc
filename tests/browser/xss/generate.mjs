// Writes the XSS fixture site: every vector of vectors.mjs in every field opsbook
// publishes, in every kind of page and input it reads. Deterministic: the same list
// gives the same files.
//
//   node tests/browser/xss/generate.mjs OUT_DIR [--file-names]
//
// The browser check (tests/browser/xss.mjs) writes it into a temporary folder each run,
// so the corpus has one source (vectors.mjs) and nothing generated is committed; run it
// by hand to look at the site or build it with another binary. `--file-names` also
// writes pages whose file names are vectors (`<svg onload=...>.md`); such names are not
// portable (Windows refuses `<>:"|?*`), so they are only made on request.
//
// Each vector reports the number `field * 1000 + index` when it runs (vectors.mjs), so
// an execution names the vector and the field. FIELDS lists the fields in order; add a
// new one at the end so the numbers of the others stay the same.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { VECTORS, URL_VECTORS, sink } from './vectors.mjs';

export const FIELDS = [
  null, // 0 is not a field
  'site title (opsbook.toml)',
  'page front matter title',
  'page front matter description',
  'page front matter tags',
  'page front matter updated',
  'page body, a paragraph of its own',
  'page body, inside a sentence',
  'page body, a heading',
  'page body, a table cell',
  'page body, a list item',
  'page body, a blockquote',
  'page body, link text',
  'page body, link title',
  'page body, image alt text',
  'page body, code span',
  'page body, fenced code',
  'page body, fenced code info string',
  'mermaid node label',
  'mermaid edge label',
  'mermaid subgraph title',
  'mermaid click target',
  'plan title',
  'plan bold labels',
  'plan epic title',
  'plan epic labels',
  'plan task heading',
  'plan task title (bd create)',
  'plan task comments (Impact, Steps)',
  'plan success criterion',
  'plan timeline day title',
  'plan timeline item',
  'plan dependency map label',
  'plan critical path',
  'plan success metrics',
  'plan section of its own',
  'plan front matter (description, tags, done)',
  'runbook title',
  'runbook bold labels',
  'runbook front matter fields',
  'runbook step heading',
  'runbook step body',
  'runbook step code',
  'runbook branch line',
  'runbook ordered step',
  'runbook section of its own',
  'audit report front matter',
  'audit report front matter finding',
  'audit report bold labels',
  'audit report finding section',
  'audit report body',
  'SARIF tool and run fields',
  'SARIF rule fields',
  'SARIF rule help markdown',
  'SARIF result fields',
  'Trivy report fields',
  'Trivy vulnerability fields',
  'Trivy misconfiguration and secret fields',
  'npm audit fields',
  'tracker issue title',
  'tracker status, labels, close reason',
  'file name',
  'URL field: SARIF helpUri',
  'URL field: Trivy PrimaryURL and References',
  'URL field: npm advisory url',
  'URL field: page front matter aliases',
  'URL field: markdown link and image',
  'alert rule name, group and labels',
  'alert rule annotations (summary, description)',
  'alert rule expression',
  'URL field: alert runbook_url',
  'VEX document fields',
  'VEX statement fields',
];
const field = (name) => {
  const at = FIELDS.indexOf(name);
  if (at < 1) throw new Error(`unknown field ${name}`);
  return at;
};

// Vector `index` as written in field `name`.
export function vector(name, index) {
  const n = field(name) * 1000 + index;
  return VECTORS[index](sink(index, n), n);
}
// URL vector `index` (numbered from 900) as written in field `name`.
function url(name, index) {
  const n = field(name) * 1000 + 900 + index;
  return URL_VECTORS[index](sink(index, n), n);
}
const oneLine = (text) => text.replace(/\s*\n\s*/g, ' ');
const yaml = (text) => JSON.stringify(text); // a YAML double-quoted scalar
const shellQuoted = (text) => `"${oneLine(text).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
const mermaidLabel = (text) => oneLine(text).replace(/"/g, '#quot;');

const GROUPS = 6;

// The vectors of group `g` (0-based): every GROUPS-th one, so each group mixes kinds.
function groupIndexes(g) {
  return VECTORS.map((_, i) => i).filter((i) => i % GROUPS === g);
}

function configToml() {
  const title = VECTORS.map((_, i) => oneLine(vector('site title (opsbook.toml)', i))).join(' ');
  return `# The XSS fixture site (tests/browser/xss/generate.mjs writes it; do not edit).\ntitle = ${JSON.stringify(title)}\n`;
}

function plainPage(g, indexes) {
  const fm = [
    '---',
    `title: ${yaml(indexes.map((i) => oneLine(vector('page front matter title', i))).join(' '))}`,
    `description: ${yaml(indexes.map((i) => oneLine(vector('page front matter description', i))).join(' '))}`,
    'tags:',
    ...indexes.map((i) => `  - ${yaml(oneLine(vector('page front matter tags', i)))}`),
    `updated: ${yaml(oneLine(vector('page front matter updated', indexes[0])))}`,
    // Aliases must be paths on this site (anything else is an error); they end up in
    // `_redirects`, so a path-shaped vector is what can reach it.
    'aliases:',
    ...indexes.slice(0, 4).map((i) => `  - ${yaml(`/group-${g + 1}/${oneLine(vector('URL field: page front matter aliases', i)).replace(/[\s/#?*:\\%]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, '0').toUpperCase()}`)}/`)}`),
    '---',
  ];
  const body = [];
  for (const i of indexes) {
    const v = (name) => vector(name, i);
    body.push(
      `## Vector ${i}`,
      v('page body, a paragraph of its own'),
      `Before ${oneLine(v('page body, inside a sentence'))} after.`,
      `### ${oneLine(v('page body, a heading'))}`,
      '| vector | note |\n|---|---|\n' + `| ${oneLine(v('page body, a table cell'))} | cell |`,
      `- ${oneLine(v('page body, a list item'))}\n- second item`,
      `> ${oneLine(v('page body, a blockquote'))}`,
      `[${oneLine(v('page body, link text'))}](https://example.com/)`,
      `[link](https://example.com/ ${JSON.stringify(oneLine(v('page body, link title')))})`,
      `![${oneLine(v('page body, image alt text'))}](https://example.com/x.png)`,
      '`` ' + oneLine(v('page body, code span')) + ' ``',
      '~~~html\n' + v('page body, fenced code') + '\n~~~',
      `~~~${oneLine(v('page body, fenced code info string'))}\ncode\n~~~`,
    );
  }
  body.push('## Links', ...URL_VECTORS.map((_, j) => {
    const target = url('URL field: markdown link and image', j);
    return `[link ${j}](${target}) ![image ${j}](${target}) <${target}>`;
  }));
  return `${fm.join('\n')}\n${body.join('\n\n')}\n`;
}

// One flowchart per place a label can be, so a vector the mermaid reader refuses in one
// place (the block is then shown as code) still reaches the drawing in the others.
function diagramPage(g, indexes) {
  const chart = (...lines) => ['```mermaid', 'graph TD', ...lines.map((l) => `    ${l}`), '```'].join('\n');
  const blocks = indexes.flatMap((i) => [
    chart(`A["${mermaidLabel(vector('mermaid node label', i))}"] --> B[ok]`),
    chart(`A[start] -->|${mermaidLabel(vector('mermaid edge label', i)).replace(/\|/g, '#124;')}| B[ok]`),
    chart(`subgraph S${i}["${mermaidLabel(vector('mermaid subgraph title', i))}"]`, '    C[inside]', 'end', 'B[ok] --> C'),
    chart('A[start] --> B[ok]', `click A "${mermaidLabel(vector('mermaid click target', i))}"`,
      `click B "javascript:${sink(i, field('mermaid click target') * 1000 + i)}"`),
  ]);
  return `# Diagrams, group ${g + 1}\n\n${blocks.join('\n\n')}\n`;
}

function planPage(g, indexes) {
  const v = (name, i) => vector(name, i);
  const lines = [
    '---',
    `description: ${yaml(oneLine(v('plan front matter (description, tags, done)', indexes[0])))}`,
    'tags:',
    ...indexes.map((i) => `  - ${yaml(oneLine(v('plan front matter (description, tags, done)', i)))}`),
    'done:',
    ...indexes.map((i) => `  - ${yaml(oneLine(v('plan success criterion', i)))}`),
    '---',
    `# ${indexes.map((i) => oneLine(v('plan title', i))).join(' ')}`,
    '',
    '**Created:** 2026-02-01  ',
    `**Based On:** ${oneLine(v('plan bold labels', indexes[0]))}  `,
    `**Total Epics:** ${indexes.length} | **Total Tasks:** ${indexes.length}`,
    '',
    '## Epic Overview',
    '',
    '```',
    ...indexes.map((i) => `- ${oneLine(v('plan bold labels', i))}`),
    '```',
    '',
  ];
  indexes.forEach((i, k) => {
    const e = k + 1;
    lines.push(
      `## Epic ${e}: ${oneLine(v('plan epic title', i))}`,
      '',
      '**Priority:** P0 CRITICAL  ',
      '**Duration:** 1 day  ',
      `**Impact:** ${oneLine(v('plan epic labels', i))}`,
      '',
      '### Tasks',
      '',
      '```bash',
      `bd create ${shellQuoted(`Epic: ${v('plan epic title', i)}`)} --type epic --priority 0`,
      '',
      `# Task ${e}.1: ${oneLine(v('plan task heading', i))}`,
      // A title starting with `-` would be a flag, as in the shell: `Fix ` comes first.
      `bd create ${shellQuoted(`Fix ${v('plan task title (bd create)', i)}`)} --type task --priority 0`,
      '# ETA: 1 hour',
      `# Impact: ${oneLine(v('plan task comments (Impact, Steps)', i))}`,
      '# Steps:',
      `#   1. ${oneLine(v('plan task comments (Impact, Steps)', i))}`,
      '#   2. kubectl get pods',
      '```',
      '',
      '**Success Criteria:**',
      `- ✅ ${oneLine(v('plan success criterion', i))}`,
      `- [ ] ${oneLine(v('plan success criterion', i))} (again)`,
      '',
    );
  });
  lines.push(`## Execution Timeline (${indexes.length} Days)`, '');
  indexes.forEach((i, k) => {
    lines.push(
      `### Day ${k + 1}: ${oneLine(v('plan timeline day title', i))}`,
      '```',
      'Morning:',
      `- ${oneLine(v('plan timeline item', i))}`,
      '```',
      '',
    );
  });
  lines.push('## Dependencies Map', '', '```mermaid', 'graph TD');
  indexes.forEach((i, k) => {
    const label = `Epic ${k + 1}: ${mermaidLabel(v('plan dependency map label', i))}`;
    lines.push(k === 0 ? `    E${k + 1}["${label}"]` : `    E${k}  --> E${k + 1}["${label}"]`);
  });
  lines.push('```', '', '**Critical Path:**');
  indexes.forEach((i, k) => lines.push(`${k + 1}. Epic ${k + 1} (${oneLine(v('plan critical path', i))}) → Epic ${k + 2}`));
  lines.push('', '## Success Metrics', '', '**Week 1 Targets:**');
  indexes.forEach((i) => lines.push(`- ✅ ${oneLine(v('plan success metrics', i))}`));
  lines.push('', `**Final Grade Target:** C → ${oneLine(v('plan success metrics', indexes[0]))}`, '');
  lines.push(`## ${oneLine(v('plan section of its own', indexes[0]))}`, '');
  indexes.forEach((i) => lines.push(v('plan section of its own', i), ''));
  lines.push(`**Next Action:** ${oneLine(v('plan bold labels', indexes[1]))}`, '');
  return lines.join('\n');
}

function runbookPage(g, indexes, { frontMatter }) {
  const v = (name, i) => vector(name, i);
  const joined = (name) => indexes.map((i) => oneLine(v(name, i))).join(' ');
  const lines = [];
  if (frontMatter) {
    const f = 'runbook front matter fields';
    lines.push(
      '---',
      `owner: ${yaml(joined(f))}`,
      `status: ${yaml(joined(f))}`,
      `severity: ${yaml(joined(f))}`,
      `mttr: ${yaml(joined(f))}`,
      `updated: ${yaml(joined(f))}`,
      `last_tested: ${yaml(joined(f))}`,
      'alerts:',
      ...indexes.map((i) => `  - ${yaml(oneLine(v(f, i)))}`),
      'related_tasks:',
      ...indexes.map((i) => `  - ${yaml(oneLine(v(f, i)))}`),
      '---',
    );
  }
  lines.push(`# ${joined('runbook title')}`, '');
  if (!frontMatter) {
    const f = 'runbook bold labels';
    for (const label of ['Severity', 'MTTR Target', 'Status', 'Owner', 'Last Updated', 'Last Tested', 'Review Frequency', 'Alerts', 'Related Tasks']) {
      lines.push(`**${label}:** ${joined(f)}`);
    }
    lines.push('');
  }
  lines.push('## ⚡ Immediate Actions', '');
  indexes.forEach((i, k) => {
    lines.push(
      `### Step ${k + 1}: ${oneLine(v('runbook step heading', i))}`,
      '',
      v('runbook step body', i),
      '',
      '```bash',
      `echo ${shellQuoted(v('runbook step code', i))}`,
      '```',
      '',
      `**Success:** ${oneLine(v('runbook branch line', i))} → Proceed to verification`,
      `**Failure:** Proceed to Step ${k + 2}`,
      '',
    );
  });
  lines.push('## ✅ Recovery Verification', '');
  indexes.forEach((i, k) => lines.push(`${k + 1}. ${oneLine(v('runbook ordered step', i))}`));
  lines.push('', `## ${oneLine(v('runbook section of its own', indexes[0]))}`, '');
  indexes.forEach((i) => lines.push(v('runbook section of its own', i), ''));
  return lines.join('\n');
}

function auditReport(g, indexes) {
  const v = (name, i) => vector(name, i);
  const fm = 'audit report front matter';
  const ff = 'audit report front matter finding';
  const lines = [
    '---',
    `title: ${yaml(indexes.map((i) => oneLine(v(fm, i))).join(' '))}`,
    `scope: ${yaml(oneLine(v(fm, indexes[1])))}`,
    `grade: ${yaml(oneLine(v(fm, indexes[2])))}`,
    `target_grade: ${yaml(oneLine(v(fm, indexes[3])))}`,
    `status: ${yaml(oneLine(v(fm, indexes[4])))}`,
    'date: "2026-01-05"',
    'findings:',
  ];
  for (const i of indexes) {
    lines.push(
      `  - id: ${yaml(oneLine(v(ff, i)))}`,
      `    title: ${yaml(oneLine(v(ff, i)))}`,
      '    severity: high',
      `    area: ${yaml(oneLine(v(ff, i)))}`,
      `    status: ${yaml(oneLine(v(ff, i)))}`,
      `    package: ${yaml(oneLine(v(ff, i)))}`,
      '    remediated_by: [1.1]',
    );
  }
  lines.push('---', `# Audit report, group ${g + 1}`, '');
  const bl = 'audit report bold labels';
  lines.push(`**Date**: 2026-01-05`, `**Status**: ${oneLine(v(bl, indexes[0]))}`, `**Grade**: ${oneLine(v(bl, indexes[1]))}`, `**Scope**: ${oneLine(v(bl, indexes[2]))}`, '');
  for (const i of indexes) lines.push(v('audit report body', i), '');
  indexes.forEach((i, k) => {
    const fs = 'audit report finding section';
    lines.push(
      `### XSS-${g + 1}-${k + 1}: ${oneLine(v(fs, i))}`,
      '**Severity**: High',
      `**Status**: ${oneLine(v(fs, i))}`,
      `**Remediated by**: ${oneLine(v(fs, i))}`,
      '',
      v(fs, i),
      '',
    );
  });
  return lines.join('\n');
}

function sarifFile(g, indexes) {
  const v = (name, i) => vector(name, i);
  const rules = indexes.map((i, k) => ({
    id: oneLine(v('SARIF rule fields', i)),
    name: v('SARIF rule fields', i),
    shortDescription: { text: v('SARIF rule fields', i) },
    fullDescription: { text: v('SARIF rule fields', i) },
    help: { text: v('SARIF rule fields', i), markdown: v('SARIF rule help markdown', i) },
    helpUri: url('URL field: SARIF helpUri', k % URL_VECTORS.length),
    defaultConfiguration: { level: 'error' },
    properties: { 'security-severity': '8.1', tags: ['security', v('SARIF rule fields', i)] },
  }));
  const results = indexes.map((i, k) => ({
    ruleId: rules[k].id,
    ruleIndex: k,
    level: 'error',
    message: { text: `Package: ${oneLine(v('SARIF result fields', i))}\nInstalled Version: ${oneLine(v('SARIF result fields', i))}\nFixed Version: ${oneLine(v('SARIF result fields', i))}\n${v('SARIF result fields', i)}` },
    locations: [{
      physicalLocation: { artifactLocation: { uri: v('SARIF result fields', i) }, region: { startLine: 1 } },
      logicalLocations: [{ fullyQualifiedName: `pkg:npm/${encodeURIComponent(oneLine(v('SARIF result fields', i)))}@1.0.0` }],
      message: { text: v('SARIF result fields', i) },
    }],
    properties: { package: v('SARIF result fields', i), installedVersion: v('SARIF result fields', i) },
  }));
  const t = 'SARIF tool and run fields';
  return JSON.stringify({
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: indexes.slice(0, 3).map((i) => oneLine(v(t, i))).join(' '), version: v(t, indexes[3]), informationUri: url('URL field: SARIF helpUri', 0), rules } },
      invocations: [{ executionSuccessful: true, startTimeUtc: '2026-01-05T10:00:00Z' }],
      results,
      properties: { imageName: v(t, indexes[4]) },
    }],
  }, null, 2) + '\n';
}

function trivyFile(g, indexes) {
  const v = (name, i) => vector(name, i);
  const r = 'Trivy report fields';
  const vf = 'Trivy vulnerability fields';
  const mf = 'Trivy misconfiguration and secret fields';
  const u = (k) => url('URL field: Trivy PrimaryURL and References', k % URL_VECTORS.length);
  return JSON.stringify({
    SchemaVersion: 2,
    CreatedAt: '2026-01-05T10:00:00Z',
    ArtifactName: v(r, indexes[0]),
    ArtifactType: 'container_image',
    Results: [
      {
        Target: v(r, indexes[1]),
        Class: 'os-pkgs',
        Type: v(r, indexes[2]),
        Vulnerabilities: indexes.map((i, k) => ({
          VulnerabilityID: `CVE-2026-${1000 + k}`,
          PkgName: v(vf, i),
          InstalledVersion: v(vf, i),
          FixedVersion: v(vf, i),
          PrimaryURL: u(k),
          References: [u(k), u(k + 1)],
          Title: v(vf, i),
          Description: v(vf, i),
          Severity: 'HIGH',
          CVSS: { nvd: { V3Score: 8.1 } },
        })),
      },
      {
        Target: v(r, indexes[3]),
        Class: 'config',
        Type: 'dockerfile',
        Misconfigurations: indexes.map((i, k) => ({
          Type: v(mf, i),
          ID: `DS${100 + k}`,
          AVDID: v(mf, i),
          Title: v(mf, i),
          Description: v(mf, i),
          Message: v(mf, i),
          Resolution: v(mf, i),
          Severity: 'HIGH',
          PrimaryURL: u(k),
          References: [u(k)],
          Status: 'FAIL',
        })),
      },
      {
        Target: v(r, indexes[4]),
        Class: 'secret',
        Secrets: indexes.map((i) => ({
          RuleID: v(mf, i),
          Category: v(mf, i),
          Severity: 'CRITICAL',
          Title: v(mf, i),
          StartLine: 1,
          EndLine: 1,
          Match: v(mf, i),
        })),
      },
    ],
  }, null, 2) + '\n';
}

function npmFile(g, indexes) {
  const v = (name, i) => vector(name, i);
  const f = 'npm audit fields';
  const vulnerabilities = {};
  indexes.forEach((i, k) => {
    const name = v(f, i);
    vulnerabilities[name] = {
      name,
      severity: 'high',
      isDirect: true,
      via: [{
        source: 1000 + k,
        name,
        dependency: name,
        title: v(f, i),
        url: url('URL field: npm advisory url', k % URL_VECTORS.length),
        severity: 'high',
        cwe: [v(f, i)],
        cvss: { score: 8.1, vectorString: v(f, i) },
        range: v(f, i),
      }],
      effects: [v(f, i)],
      range: v(f, i),
      nodes: [v(f, i)],
      fixAvailable: { name: v(f, i), version: v(f, i), isSemVerMajor: false },
    };
  });
  return JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities,
    metadata: { vulnerabilities: { info: 0, low: 0, moderate: 0, high: indexes.length, critical: 0, total: indexes.length } },
  }, null, 2) + '\n';
}

// One tracker issue per plan task and epic, titled as the plan names them, so the plan
// pages show their status; status words, labels and close reasons are vectors too.
function trackerLines(g, indexes) {
  const v = (name, i) => vector(name, i);
  const lines = [];
  indexes.forEach((i, k) => {
    const base = `xss-${g + 1}-${k + 1}`;
    lines.push({
      id: `${base}-epic`, title: oneLine(`Epic: ${v('plan epic title', i)}`), status: 'open', priority: 0, issue_type: 'epic',
      labels: [oneLine(v('tracker status, labels, close reason', i))],
    });
    const closed = k % 2 === 0;
    lines.push({
      id: base,
      title: oneLine(`Fix ${v('plan task title (bd create)', i)}`),
      status: closed ? 'closed' : oneLine(v('tracker status, labels, close reason', i)),
      priority: 0,
      issue_type: 'task',
      estimated_minutes: 60,
      labels: [oneLine(v('tracker status, labels, close reason', i))],
      close_reason: closed ? v('tracker status, labels, close reason', i) : undefined,
      closed_at: closed ? '2026-02-02T10:00:00Z' : undefined,
      dependencies: [{ issue_id: base, depends_on_id: `${base}-epic`, type: 'parent-child' }],
    });
  });
  // An issue no plan names: shown nowhere but read.
  lines.push({ id: `xss-${g + 1}-extra`, title: v('tracker issue title', indexes[0]), status: 'open', issue_type: 'task' });
  return lines.map((issue) => JSON.stringify(issue));
}

// Prometheus rules under alerts/, as the alert-rule reader takes them: names, labels,
// annotations and expressions are vectors, and runbook_url is either a runbook of this
// site or a script URL.
function alertRules(g, indexes) {
  const v = (name, i) => oneLine(vector(name, i));
  const lines = ['groups:', `  - name: ${yaml(v('alert rule name, group and labels', indexes[0]))}`, '    rules:'];
  indexes.forEach((i, k) => {
    const runbook = k % 2 === 0
      ? `https://runbooks.example.com/runbooks/labels-${g + 1}/`
      : url('URL field: alert runbook_url', k % URL_VECTORS.length);
    lines.push(
      `      - alert: ${yaml(v('alert rule name, group and labels', i))}`,
      `        expr: ${yaml(`up{job=${JSON.stringify(v('alert rule expression', i))}} == 0`)}`,
      '        for: 5m',
      '        labels:',
      '          severity: critical',
      `          team: ${yaml(v('alert rule name, group and labels', i))}`,
      '        annotations:',
      `          summary: ${yaml(v('alert rule annotations (summary, description)', i))}`,
      `          description: ${yaml(vector('alert rule annotations (summary, description)', i))}`,
      `          runbook_url: ${yaml(runbook)}`,
    );
  });
  return lines.join('\n') + '\n';
}

// An OpenVEX document about the scans' vulnerabilities.
function vexFile(g, indexes) {
  const v = (name, i) => vector(name, i);
  return JSON.stringify({
    '@context': 'https://openvex.dev/ns/v0.2.0',
    '@id': `https://example.com/vex/${g + 1}`,
    author: v('VEX document fields', indexes[0]),
    role: v('VEX document fields', indexes[1]),
    timestamp: '2026-01-06T10:00:00Z',
    version: 1,
    statements: indexes.map((i, k) => ({
      vulnerability: { name: `CVE-2026-${1000 + k}`, description: v('VEX statement fields', i) },
      products: [{ '@id': v('VEX statement fields', i), subcomponents: [{ '@id': v('VEX statement fields', i) }] }],
      // Status and justification are OpenVEX's closed word lists (anything else is a
      // positioned OPS404 error that stops the build); the free-text fields carry vectors.
      status: k % 2 ? 'not_affected' : 'under_investigation',
      justification: k % 2 ? 'vulnerable_code_not_in_execute_path' : undefined,
      impact_statement: v('VEX statement fields', i),
      action_statement: v('VEX statement fields', i),
      status_notes: v('VEX statement fields', i),
    })),
  }, null, 2) + '\n';
}

// File names may not hold `/` or NUL; the name is the vector, so the page's title is too.
function fileNamePages() {
  const pages = {};
  VECTORS.forEach((_, i) => {
    const name = oneLine(vector('file name', i));
    if (name.includes('/') || Buffer.byteLength(name) > 200) return;
    pages[`content/names/${name}.md`] = `Named after vector ${i}.\n`;
  });
  return pages;
}

export function siteFiles({ fileNames = false } = {}) {
  const files = {
    'opsbook.toml': configToml(),
    'content/index.md': '# XSS fixture\n\nEvery page of this site holds the vectors of tests/browser/xss/vectors.mjs in every field; nothing here may run.\n',
  };
  const tracker = [];
  for (let g = 0; g < GROUPS; g++) {
    const indexes = groupIndexes(g);
    const n = g + 1;
    files[`content/pages/group-${n}.md`] = plainPage(g, indexes);
    files[`content/diagrams/group-${n}.md`] = diagramPage(g, indexes);
    files[`content/plans/plan-${n}.md`] = planPage(g, indexes);
    files[`content/runbooks/labels-${n}.md`] = runbookPage(g, indexes, { frontMatter: false });
    files[`content/runbooks/front-matter-${n}.md`] = runbookPage(g, indexes, { frontMatter: true });
    files[`content/audits/report-${n}.md`] = auditReport(g, indexes);
    files[`content/audits/scan-${n}.sarif`] = sarifFile(g, indexes);
    files[`content/audits/trivy-${n}.json`] = trivyFile(g, indexes);
    files[`content/audits/npm-${n}.json`] = npmFile(g, indexes);
    files[`content/audits/vex-${n}.openvex.json`] = vexFile(g, indexes);
    files[`alerts/rules-${n}.yaml`] = alertRules(g, indexes);
    tracker.push(...trackerLines(g, indexes));
  }
  files['.beads/issues.jsonl'] = tracker.join('\n') + '\n';
  if (fileNames) Object.assign(files, fileNamePages());
  return files;
}

export function writeSite(out, options) {
  fs.rmSync(out, { recursive: true, force: true });
  for (const [relative, text] of Object.entries(siteFiles(options))) {
    const file = path.join(out, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const out = args.find((a) => !a.startsWith('--'));
  if (!out) {
    console.error('usage: node tests/browser/xss/generate.mjs OUT_DIR [--file-names]');
    process.exit(2);
  }
  writeSite(out, { fileNames: args.includes('--file-names') });
  console.log(`wrote ${out}`);
}
