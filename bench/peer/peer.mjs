#!/usr/bin/env node
// peer.mjs: the benchmark peer of `xueji check`, a Splink-style record
// linkage in DuckDB SQL (see README.md beside this file).
//
//   node bench/peer/peer.mjs --registry registry.csv --population population.csv
//        --batch batch.csv --out results.csv [--threads N] [--work DIR]
//
// Writes the contract's results file (one row per batch row, in input
// order) and prints one JSON line of timings on stdout.  This file only
// drives: every normalization, comparison and decision is in the *.sql
// files, which run in this order:
//   load    the three CSV files as text (columns matched by English or
//           Chinese name), the character folds, prepare.sql
//   block   block.sql
//   score   score.sql (u from random pairs, m priors, weights, pair scores)
//   decide  decide.sql, with components.sql repeated in its middle
// Exit status: 0 done, 1 usage, 2 an input that cannot be read as a whole.
import { DuckDBInstance } from '@duckdb/node-api';
import * as OpenCC from 'opencc-js/t2cn';
import { readFileSync, renameSync, rmSync, mkdtempSync, existsSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));

// Model settings (bits of match weight); README.md says why these values.
const DEFAULTS = {
  threads: 2,
  't-dup': 25,
  't-review': 12,
  margin: 10,
  'common-tf': 1e-4,
  'u-pairs': 1000000,
};

const USAGE = `usage: node peer.mjs --registry R.csv --population P.csv --batch B.csv --out RESULTS.csv
                [--threads N] [--work DIR] [--t-dup BITS] [--t-review BITS]
                [--margin BITS] [--u-pairs N]`;

function die(code, msg) {
  process.stderr.write(`peer: ${msg}\n`);
  process.exit(code);
}

function parseArgs(argv) {
  const opt = { ...DEFAULTS };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      process.stdout.write(`${USAGE}\n`);
      process.exit(0);
    }
    if (!a.startsWith('--') || i + 1 >= argv.length) die(1, `unexpected argument '${a}'\n${USAGE}`);
    opt[a.slice(2)] = argv[++i];
  }
  for (const k of ['registry', 'population', 'batch', 'out'])
    if (!opt[k]) die(1, `--${k} is required\n${USAGE}`);
  for (const k of ['threads', 't-dup', 't-review', 'margin', 'common-tf', 'u-pairs']) {
    opt[k] = Number(opt[k]);
    if (!Number.isFinite(opt[k])) die(1, `--${k} must be a number`);
  }
  return opt;
}

// The contract's columns: English name, Chinese name(s), required?
const COLUMNS = {
  batch: [
    ['record_id', ['记录号'], true], ['name', ['姓名'], true], ['gender', ['性别'], true],
    ['birth_date', ['出生日期'], true], ['id_type', ['身份证件类型'], false],
    ['id_number', ['身份证件号'], false], ['hukou_region', ['户口所在地'], false],
    ['school_code', ['学校标识码'], true], ['school_region', ['学校所在地'], true],
    ['guardian_name', ['监护人姓名'], false], ['guardian_id', ['监护人身份证件号'], false],
  ],
  registry: [
    ['student_number', ['学籍号'], true], ['name', ['姓名'], true], ['gender', ['性别'], true],
    ['birth_date', ['出生日期'], true], ['id_type', ['身份证件类型'], false],
    ['id_number', ['身份证件号'], false], ['hukou_region', ['户口所在地'], false],
    ['school_region', ['学校所在地'], false], ['guardian_name', ['监护人姓名'], false],
    ['guardian_id', ['监护人身份证件号'], false], ['status', ['学籍状态', '状态'], false],
  ],
  population: [
    ['id_number', ['身份证件号'], true], ['name', ['姓名'], true], ['gender', ['性别'], true],
    ['birth_date', ['出生日期'], true], ['status', ['状态'], false],
    ['former_names', ['曾用名'], false],
  ],
};

const sqlString = (s) => `'${String(s).replaceAll("'", "''")}'`;
const sqlIdent = (s) => `"${String(s).replaceAll('"', '""')}"`;

const csvSource = (path) =>
  `read_csv(${sqlString(path)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;

// Loads one CSV file into raw_<kind>, its columns renamed to the English
// names (absent optional columns as NULL).  Row order is kept, so rowid is
// the input order.
async function loadRaw(con, kind, path) {
  if (!existsSync(path) || !statSync(path).isFile()) die(2, `cannot read ${path}`);
  let header;
  try {
    const d = await con.runAndReadAll(`DESCRIBE SELECT * FROM ${csvSource(path)}`);
    header = d.getRowObjects().map((r) => String(r.column_name));
  } catch (e) {
    die(2, `cannot read ${path} as CSV: ${e.message}`);
  }
  const clean = (h) => h.replace(/^\uFEFF/, '').trim();
  const select = COLUMNS[kind].map(([en, zh, required]) => {
    const found = header.find((h) => clean(h) === en || zh.includes(clean(h)));
    if (!found && required) die(2, `${path}: no '${en}' (${zh[0]}) column in the header`);
    return found ? `${sqlIdent(found)} AS ${en}` : `NULL::VARCHAR AS ${en}`;
  });
  try {
    await con.run(`CREATE TABLE raw_${kind} AS SELECT ${select.join(', ')} FROM ${csvSource(path)}`);
  } catch (e) {
    die(2, `cannot read ${path}: ${e.message}`);
  }
}

// fold_from / fold_to of macros.sql: full-width ASCII and the ideographic
// space, then every Traditional character of the names seen that OpenCC's
// Traditional-to-Simplified table maps to one other character.
async function setFolds(con) {
  let from = '\u3000';
  let to = ' ';
  for (let c = 0xff01; c <= 0xff5e; c++) {
    from += String.fromCodePoint(c);
    to += String.fromCodePoint(c - 0xfee0);
  }
  const chars = await con.runAndReadAll(`
    WITH n AS (
        SELECT name AS s FROM raw_batch UNION SELECT guardian_name FROM raw_batch
        UNION SELECT name FROM raw_registry UNION SELECT guardian_name FROM raw_registry
        UNION SELECT name FROM raw_population UNION SELECT former_names FROM raw_population)
    SELECT DISTINCT c FROM (SELECT unnest(string_split(s, '')) AS c FROM n WHERE s IS NOT NULL)
    WHERE unicode(c) >= 13312`);
  const toSimplified = OpenCC.Converter({ from: 't', to: 'cn' });
  let traditional = 0;
  for (const [c] of chars.getRows()) {
    const s = toSimplified(c);
    if (s !== c && [...s].length === 1) {
      from += c;
      to += s;
      traditional++;
    }
  }
  const klass = [...from].map((c) => (/[\\\]^-]/.test(c) ? `\\${c}` : c)).join('');
  await con.run(`SET VARIABLE fold_pattern = ${sqlString(`[${klass}]`)}`);
  await con.run(`SET VARIABLE fold_from = ${sqlString(from)}`);
  await con.run(`SET VARIABLE fold_to = ${sqlString(to)}`);
  return traditional;
}

// Runs every statement of a SQL text, in order.  PEER_PROFILE=1 in the
// environment prints each statement's seconds on stderr.
async function runSql(con, text) {
  const statements = await con.extractStatements(text);
  for (let i = 0; i < statements.count; i++) {
    const t = performance.now();
    await (await statements.prepare(i)).run();
    if (process.env.PEER_PROFILE)
      process.stderr.write(`${((performance.now() - t) / 1000).toFixed(3)} s  statement ${i + 1}\n`);
  }
}

const sqlFile = (name) => readFileSync(join(HERE, name), 'utf8');

async function scalar(con, sql) {
  const r = await con.runAndReadAll(sql);
  return r.getRows()[0][0];
}

async function main() {
  const opt = parseArgs(process.argv.slice(2));
  const t0 = performance.now();
  const seconds = {};
  let mark = t0;
  const phase = (name) => {
    const now = performance.now();
    seconds[name] = (now - mark) / 1000;
    mark = now;
  };

  // An on-disk database under --work keeps memory bounded for the large
  // tier; otherwise in memory, spilling to a scratch folder.
  const work = opt.work || mkdtempSync(join(tmpdir(), 'xueji-peer-'));
  const dbPath = opt.work ? join(work, 'peer.duckdb') : ':memory:';
  if (opt.work) rmSync(dbPath, { force: true });
  const instance = await DuckDBInstance.create(dbPath, {
    threads: String(opt.threads),
    temp_directory: join(work, 'spill'),
    preserve_insertion_order: 'true',
  });
  const con = await instance.connect();

  await loadRaw(con, 'batch', opt.batch);
  await loadRaw(con, 'registry', opt.registry);
  await loadRaw(con, 'population', opt.population);
  const traditional = await setFolds(con);
  await runSql(con, sqlFile('macros.sql'));
  await runSql(con, sqlFile('prepare.sql'));
  phase('load');

  await runSql(con, sqlFile('block.sql'));
  phase('block');

  await con.run(`SET VARIABLE u_pairs = ${Math.trunc(opt['u-pairs'])}`);
  await runSql(con, sqlFile('score.sql'));
  phase('score');

  await con.run(`SET VARIABLE t_dup = ${opt['t-dup']}::DOUBLE`);
  await con.run(`SET VARIABLE t_review = ${opt['t-review']}::DOUBLE`);
  await con.run(`SET VARIABLE margin = ${opt.margin}::DOUBLE`);
  await con.run(`SET VARIABLE common_tf = ${opt['common-tf']}::DOUBLE`);
  const [before, after] = sqlFile('decide.sql').split(/^-- @components$/m);
  await runSql(con, before);
  const round = sqlFile('components.sql');
  let rounds = 0;
  for (;;) {
    await runSql(con, round);
    rounds++;
    if (Number(await scalar(con, `SELECT getvariable('cc_changed')`)) === 0) break;
  }
  await runSql(con, after);
  const partial = `${opt.out}.partial`;
  await con.run(`COPY (SELECT record_id, decision, student_number, matched_student_number, score, reasons
                       FROM results ORDER BY rid)
                 TO ${sqlString(partial)} (FORMAT csv, HEADER true, DELIMITER ',')`);
  renameSync(partial, opt.out);
  phase('decide');

  const rows = Number(await scalar(con, 'SELECT count(*) FROM results'));
  const regPairs = Number(await scalar(con, 'SELECT count(*) FROM reg_pairs'));
  const batchPairs = Number(await scalar(con, 'SELECT count(*) FROM batch_pairs'));
  const total = (performance.now() - t0) / 1000;
  con.closeSync();
  instance.closeSync();
  if (!opt.work) rmSync(work, { recursive: true, force: true });
  else rmSync(dbPath, { force: true });
  const round3 = (x) => Math.round(x * 1000) / 1000;
  process.stdout.write(
    `${JSON.stringify({
      engine: 'peer',
      rows,
      threads: opt.threads,
      seconds: {
        total: round3(total),
        load: round3(seconds.load),
        block: round3(seconds.block),
        score: round3(seconds.score),
        decide: round3(seconds.decide),
      },
      rows_per_sec: Math.round(rows / total),
      candidate_pairs: { registry: regPairs, batch: batchPairs },
      component_rounds: rounds,
      traditional_chars_folded: traditional,
    })}\n`,
  );
}

main().catch((e) => die(2, e.stack || String(e)));
