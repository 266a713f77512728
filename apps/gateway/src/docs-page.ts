/**
 * GET /docs: a small self-contained renderer of /openapi.json — an HTML page and one
 * script, both served by the gateway itself. No CDN and no UI bundle: the gateway
 * often runs where there is no internet, and a third-party script would need a CSP
 * hole. It shows every operation with its parameters, request fields (types,
 * constraints, descriptions, nested objects), responses and headers.
 */
export const docsHtml = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>uig API</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2330; background: #fafbfc; }
  main { max-width: 1060px; margin: 0 auto; padding: 24px; }
  h1 { margin: 0 0 4px; } h2 { margin-top: 40px; border-bottom: 1px solid #dde2ea; padding-bottom: 4px; }
  .op { background: #fff; border: 1px solid #dde2ea; border-radius: 6px; margin: 14px 0; }
  .op > summary { cursor: pointer; padding: 10px 14px; list-style: none; display: flex; gap: 10px; align-items: baseline; }
  .op[open] > summary { border-bottom: 1px solid #dde2ea; }
  .body { padding: 4px 16px 14px; }
  .method { font: 600 12px monospace; text-transform: uppercase; padding: 2px 8px; border-radius: 4px; color: #fff; background: #4b6bfb; }
  .method.get { background: #1f9d6b; }
  code, .path { font-family: ui-monospace, monospace; font-size: 13px; }
  table { border-collapse: collapse; width: 100%; margin: 6px 0 12px; }
  th, td { text-align: left; vertical-align: top; padding: 5px 8px; border-bottom: 1px solid #eef1f5; font-size: 14px; }
  th { font-weight: 600; color: #5a6478; font-size: 12px; text-transform: uppercase; }
  .muted { color: #5a6478; } .req { color: #c0392b; font-size: 12px; }
  td.nest { padding-left: 28px; }
</style>
</head>
<body>
<main id="root"><p class="muted">Loading /openapi.json…</p></main>
<script src="/docs/docs.js"></script>
</body>
</html>
`;

export const docsScript = `'use strict';
(async function () {
  const root = document.getElementById('root');
  const doc = await (await fetch('/openapi.json')).json();
  const schemas = (doc.components && doc.components.schemas) || {};
  // /docs#expand opens every operation (for printing and screenshots).
  const expandAll = location.hash === '#expand';
  const el = (tag, attrs, ...children) => {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
    for (const child of children) if (child !== undefined && child !== null) node.append(child);
    return node;
  };
  const deref = (schema) => (schema && schema.$ref ? schemas[schema.$ref.split('/').pop()] || {} : schema || {});
  const refName = (schema) => (schema && schema.$ref ? schema.$ref.split('/').pop() : undefined);
  const nonNull = (schema) => {
    const options = schema.anyOf || schema.oneOf;
    if (!options) return schema;
    const rest = options.filter((option) => option.type !== 'null');
    return rest.length === 1 ? Object.assign({}, rest[0], { description: schema.description || rest[0].description }) : schema;
  };
  function typeOf(raw) {
    const schema = nonNull(raw);
    if (refName(schema)) return refName(schema);
    if (schema.enum) return schema.enum.map((v) => JSON.stringify(v)).join(' | ');
    if (schema.anyOf || schema.oneOf) return (schema.anyOf || schema.oneOf).map(typeOf).join(' or ');
    if (schema.type === 'array') return typeOf(schema.items || {}) + '[]';
    if (Array.isArray(schema.type)) return schema.type.filter((t) => t !== 'null').join(' | ');
    if (schema.format === 'binary') return 'file';
    if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') return 'map of ' + typeOf(schema.additionalProperties);
    return schema.type || (schema.const !== undefined ? JSON.stringify(schema.const) : 'any');
  }
  function constraints(raw) {
    const schema = nonNull(raw);
    const parts = [];
    const big = (n) => Math.abs(n) >= 9007199254740991;
    if (schema.minimum !== undefined && !big(schema.minimum)) parts.push('min ' + schema.minimum);
    if (schema.maximum !== undefined && !big(schema.maximum)) parts.push('max ' + schema.maximum);
    if (schema.minLength) parts.push('min length ' + schema.minLength);
    if (schema.maxLength) parts.push('max length ' + schema.maxLength);
    if (schema.maxItems) parts.push('at most ' + schema.maxItems + ' items');
    if (schema.pattern) parts.push('pattern ' + schema.pattern);
    return parts.join(', ');
  }
  function fieldRows(schema, depth, seen) {
    const rows = [];
    const object = deref(nonNull(schema));
    const required = new Set(object.required || []);
    for (const [name, raw] of Object.entries(object.properties || {})) {
      const field = nonNull(raw);
      const cell = el('td', depth ? { class: 'nest', style: 'padding-left:' + (8 + depth * 20) + 'px' } : {}, el('code', {}, name), required.has(name) ? el('span', { class: 'req' }, ' required') : undefined);
      rows.push(el('tr', {}, cell, el('td', {}, el('code', {}, typeOf(raw))), el('td', {}, raw.description || field.description || deref(field).description || '', constraints(raw) ? el('div', { class: 'muted' }, constraints(raw)) : undefined)));
      const inner = field.type === 'array' ? field.items || {} : field;
      const name2 = refName(inner);
      if (depth < 4 && !(name2 && seen.has(name2)) && deref(inner).properties) rows.push(...fieldRows(inner, depth + 1, new Set([...seen, name2])));
    }
    return rows;
  }
  const fieldTable = (schema) => el('table', {}, el('tr', {}, el('th', {}, 'field'), el('th', {}, 'type'), el('th', {}, 'description')), ...fieldRows(schema, 0, new Set()));
  root.replaceChildren(el('h1', {}, doc.info.title), el('p', { class: 'muted' }, 'Version ' + doc.info.version + ' · ', el('a', { href: '/openapi.json' }, 'openapi.json')), el('p', {}, doc.info.description || ''));
  root.append(el('h2', {}, 'Operations'));
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const body = el('div', { class: 'body' });
      if (op.description) body.append(el('p', {}, op.description));
      if (op.security && op.security.some((entry) => Object.keys(entry).length)) body.append(el('p', { class: 'muted' }, 'Authorization: Bearer <client key> when client keys are configured.'));
      if (op.parameters && op.parameters.length) {
        body.append(el('h4', {}, 'Parameters'), el('table', {}, el('tr', {}, el('th', {}, 'name'), el('th', {}, 'in'), el('th', {}, 'description')), ...op.parameters.map((p) => el('tr', {}, el('td', {}, el('code', {}, p.name)), el('td', {}, p.in), el('td', {}, p.description || '')))));
      }
      if (op.requestBody) {
        for (const [type, media] of Object.entries(op.requestBody.content)) body.append(el('h4', {}, 'Request body ', el('code', {}, type)), fieldTable(media.schema));
      }
      const responses = el('table', {}, el('tr', {}, el('th', {}, 'status'), el('th', {}, 'meaning'), el('th', {}, 'body')));
      for (const [status, response] of Object.entries(op.responses)) {
        const media = response.content ? Object.entries(response.content)[0] : undefined;
        responses.append(el('tr', {}, el('td', {}, el('code', {}, status)), el('td', {}, response.description || ''), el('td', {}, media ? el('code', {}, media[0] + ' ' + (refName(media[1].schema) || '')) : '')));
      }
      body.append(el('h4', {}, 'Responses'), responses);
      root.append(el('details', Object.assign({ class: 'op' }, expandAll ? { open: '' } : {}), el('summary', {}, el('span', { class: 'method ' + method }, method), el('span', { class: 'path' }, path), el('span', { class: 'muted' }, op.summary || '')), body));
    }
  }
  root.append(el('h2', {}, 'Schemas'));
  for (const [name, schema] of Object.entries(schemas)) {
    root.append(el('details', { class: 'op', id: 'schema-' + name }, el('summary', {}, el('code', {}, name), el('span', { class: 'muted' }, schema.description || '')), el('div', { class: 'body' }, fieldTable(schema))));
  }
})().catch((error) => {
  document.getElementById('root').textContent = 'Could not render /openapi.json: ' + error;
});
`;
