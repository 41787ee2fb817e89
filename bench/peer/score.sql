-- score.sql: the Fellegi-Sunter model and the scored candidate pairs.
--
-- m (probability of a comparison level for two records of the same child)
-- is set by priors: how often a school's submission of a child already
-- registered gets each field right, wrong or missing.  They are stated
-- below, not fitted to any generated truth.  u (the same probability for two
-- different children) is estimated from random pairs of the registry, as
-- Splink's estimate_u_using_random_sampling does: getvariable('u_pairs')
-- pairs drawn with a hash of their index, so the estimate is the same on
-- every run.  A level never seen among them gets half a pair (identical
-- IDs, for instance), which bounds its weight instead of making it infinite.
-- The exact-name level is term-frequency adjusted: its u is the frequency of
-- that very name in the population, so 张伟 = 张伟 weighs less than a rare
-- name.  A pair's match weight is the sum over fields of log2(m / u); a
-- level on a missing field weighs 0.

CREATE TABLE m_prior (f VARCHAR, lv VARCHAR, m DOUBLE);
INSERT INTO m_prior VALUES
    -- the document: typed right; one digit slipped or swapped; a spreadsheet
    -- ate the tail; otherwise different; submitted without one; neither side
    -- has one (J students); a resident ID against a passport or permit
    ('doc', 'EXACT', 0.88), ('doc', 'NEAR', 0.05), ('doc', 'EXCEL', 0.02),
    ('doc', 'DIFF', 0.01), ('doc', 'ONE_NONE', 0.025), ('doc', 'BOTH_NONE', 0.012),
    ('doc', 'CONFLICT', 0.003),
    -- names: typos, homophones and renamed children (曾用名) happen
    ('name', 'EXACT', 0.90), ('name', 'ONE_CHAR', 0.05), ('name', 'SIMILAR', 0.02),
    ('name', 'DIFF', 0.03),
    ('birth', 'EXACT', 0.96), ('birth', 'NEAR', 0.025), ('birth', 'YEAR_MONTH', 0.005),
    ('birth', 'DIFF', 0.01),
    ('gender', 'EQ', 0.99), ('gender', 'DIFF', 0.01),
    -- the other parent is often listed by the next school
    ('gid', 'EQ', 0.85), ('gid', 'DIFF', 0.15),
    ('gnm', 'EQ', 0.80), ('gnm', 'DIFF', 0.20),
    ('hukou', 'EQ', 0.90), ('hukou', 'DIFF', 0.10),
    -- a child already registered usually comes back through another school
    ('school', 'EQ', 0.30), ('school', 'DIFF', 0.70);

SET VARIABLE registry_rows = (SELECT count(*) FROM registry);

CREATE TABLE u_pairs AS
WITH ij AS (
    SELECT (hash(2 * i) % getvariable('registry_rows'))::BIGINT AS a,
           (hash(2 * i + 1) % getvariable('registry_rows'))::BIGINT AS b
    FROM range(getvariable('u_pairs')) t(i))
SELECT
    -- An exclusion is a scoring rule, not an outcome the model knows:
    -- for u, two valid IDs that differ are simply different.
    replace(cmp_doc(x.doc_type, x.doc, x.rid_ok, x.xl, y.doc_type, y.doc, y.rid_ok, y.xl), 'VETO', 'DIFF') AS doc,
    cmp_name(x.nm, y.nm) AS name,
    cmp_birth(x.bs, y.bs) AS birth,
    cmp_eq(x.g, y.g) AS gender,
    cmp_eq(x.gid, y.gid) AS gid,
    cmp_eq(x.gnm, y.gnm) AS gnm,
    cmp_eq(x.hukou, y.hukou) AS hukou,
    cmp_eq(x.school_region, y.school_region) AS school
FROM ij JOIN registry x ON x.kid = ij.a JOIN registry y ON y.kid = ij.b
WHERE ij.a <> ij.b;

CREATE TABLE u_est AS
WITH l AS (
    UNPIVOT u_pairs ON doc, name, birth, gender, gid, gnm, hukou, school INTO NAME f VALUE lv),
c AS (SELECT f, lv, count(*) AS k FROM l WHERE lv <> 'NULL' GROUP BY ALL),
t AS (SELECT f, sum(k) AS total FROM c GROUP BY ALL)
SELECT p.f, p.lv, p.m,
       greatest(coalesce(c.k, 0), 0.5) / t.total AS u
FROM m_prior p LEFT JOIN c USING (f, lv) JOIN t USING (f);

CREATE TABLE weights AS
SELECT f, lv, m, u, log2(m / u) AS w FROM u_est;

SET VARIABLE w = (SELECT map(list(f || ':' || lv), list(w)) FROM weights);
SET VARIABLE m_name_exact = (SELECT m FROM m_prior WHERE f = 'name' AND lv = 'EXACT');
SET VARIABLE tf_floor = (SELECT 1.0 / count(*) FROM population);

CREATE MACRO wt(f, lv) AS coalesce(getvariable('w')[f || ':' || lv], 0.0);

-- The comparison vector of two prepared records x and y (written out in
-- each query below: a macro over whole rows would pack every column of
-- every row into a struct).
CREATE MACRO weight_of(l, tf) AS
    wt('doc', l.doc)
    + CASE WHEN l.name = 'EXACT'
           THEN log2(getvariable('m_name_exact') / greatest(coalesce(tf, 0), getvariable('tf_floor')))
           ELSE wt('name', l.name) END
    + wt('birth', l.birth) + wt('gender', l.gender) + wt('gid', l.gid) + wt('gnm', l.gnm)
    + wt('hukou', l.hukou) + wt('school', l.school);

-- The rules an analyst lays over the model (Splink leaves them to the
-- post-processing of its predictions), each for a case where the fields
-- are not independent and the summed weight misleads:
--
-- An identifier behind a match: the same document (or one typo or the
-- spreadsheet's tail away), or the same guardian ID.  A DUPLICATE needs one:
-- name + birth date + gender alone is what namesakes share.
CREATE MACRO same_document(l) AS l.doc IN ('EXACT', 'NEAR', 'EXCEL');
CREATE MACRO has_identifier(l) AS same_document(l) OR l.gid = 'EQ';

-- Twins: one guardian, one birth date, no shared document and another
-- name.  Guardian, hukou and school then agree for two children, so their
-- weights add up to a "match".  Never a DUPLICATE; a REVIEW at most when the
-- names differ by one character (a typo cannot be ruled out); otherwise the
-- pair is dropped like two different valid IDs.
CREATE MACRO siblings(l) AS
    l.gid = 'EQ' AND l.birth = 'EXACT' AND l.name <> 'EXACT' AND NOT same_document(l);
CREATE MACRO excluded(l) AS l.doc = 'VETO' OR (siblings(l) AND l.name <> 'ONE_CHAR');

-- Evidence against: a different guardian ID, two different documents, or
-- a resident ID against a passport or permit.  It keeps a pair out of the
-- review band (it is not "a possible existing registration").
CREATE MACRO contradicted(l) AS l.gid = 'DIFF' OR l.doc IN ('DIFF', 'CONFLICT');

CREATE TABLE reg_scored AS
WITH v AS (
    SELECT p.rid, p.kid, t.tf,
    {
        'doc': cmp_doc(b.doc_type, b.doc, b.rid_ok, b.xl, r.doc_type, r.doc, r.rid_ok, r.xl),
        'name': cmp_name(b.nm, r.nm),
        'birth': cmp_birth(b.bs, r.bs),
        'gender': cmp_eq(b.g, r.g),
        'gid': cmp_eq(b.gid, r.gid),
        'gnm': cmp_eq(b.gnm, r.gnm),
        'hukou': cmp_eq(b.hukou, r.hukou),
        'school': cmp_eq(b.school_region, r.school_region)} AS l
    FROM reg_pairs p
    JOIN batch b ON b.rid = p.rid
    JOIN registry r ON r.kid = p.kid
    LEFT JOIN name_tf t ON t.nm = b.nm)
SELECT rid, kid, l, tf, weight_of(l, tf) AS score,
       has_identifier(l) AND NOT siblings(l) AS ident, contradicted(l) AS against, siblings(l) AS sibling
FROM v WHERE NOT excluded(l);

CREATE TABLE batch_scored AS
WITH v AS (
    SELECT p.a, p.b, t.tf,
    {
        'doc': cmp_doc(x.doc_type, x.doc, x.rid_ok, x.xl, y.doc_type, y.doc, y.rid_ok, y.xl),
        'name': cmp_name(x.nm, y.nm),
        'birth': cmp_birth(x.bs, y.bs),
        'gender': cmp_eq(x.g, y.g),
        'gid': cmp_eq(x.gid, y.gid),
        'gnm': cmp_eq(x.gnm, y.gnm),
        'hukou': cmp_eq(x.hukou, y.hukou),
        'school': cmp_eq(x.school_region, y.school_region)} AS l
    FROM batch_pairs p
    JOIN batch x ON x.rid = p.a
    JOIN batch y ON y.rid = p.b
    LEFT JOIN name_tf t ON t.nm = y.nm)
SELECT a, b, l, tf, weight_of(l, tf) AS score,
       has_identifier(l) AND NOT siblings(l) AS ident, contradicted(l) AS against, siblings(l) AS sibling
FROM v WHERE NOT excluded(l);
