-- decide.sql: from scored pairs to the contract's decisions.  Runs in two
-- parts around the label propagation of components.sql (peer.mjs splits
-- this file at the line '-- @components').
--
-- Thresholds on the match weight (bits), set by peer.mjs:
--   t_dup     a registry candidate at or above it, with an identifier behind
--             it (has_identifier), is a DUPLICATE; two batch rows like that
--             are one child (an edge of the batch's components)
--   t_review  a candidate at or above it otherwise is a REVIEW, unless
--             evidence contradicts it (contradicted, score.sql)
--   margin    a second registration that also qualifies as a DUPLICATE
--             within this many bits of the first makes the row a REVIEW

CREATE MACRO pair_codes(l, tf) AS list_filter([
    CASE l.doc WHEN 'EXACT' THEN 'ID_EXACT' WHEN 'NEAR' THEN 'ID_NEAR' WHEN 'EXCEL' THEN 'ID_PREFIX'
               WHEN 'DIFF' THEN 'ID_DIFF' WHEN 'CONFLICT' THEN 'ID_DIFF' END,
    CASE l.name WHEN 'EXACT' THEN 'NAME_EQ' WHEN 'ONE_CHAR' THEN 'NAME_ONE_CHAR'
                WHEN 'SIMILAR' THEN 'NAME_SIMILAR' WHEN 'DIFF' THEN 'NAME_DIFF' END,
    CASE WHEN l.name = 'EXACT' AND tf > getvariable('common_tf') THEN 'NAME_COMMON' END,
    CASE l.birth WHEN 'EXACT' THEN 'BIRTH_EQ' WHEN 'NEAR' THEN 'BIRTH_NEAR'
                 WHEN 'YEAR_MONTH' THEN 'BIRTH_DIFF' WHEN 'DIFF' THEN 'BIRTH_DIFF' END,
    CASE l.gender WHEN 'EQ' THEN 'GENDER_EQ' WHEN 'DIFF' THEN 'GENDER_DIFF' END,
    CASE l.gid WHEN 'EQ' THEN 'GUARDIAN_ID_EQ' WHEN 'DIFF' THEN 'GUARDIAN_ID_DIFF' END,
    CASE WHEN l.gnm = 'EQ' THEN 'GUARDIAN_NAME_EQ' END,
    CASE WHEN l.hukou = 'EQ' THEN 'HUKOU_EQ' END,
    CASE WHEN l.school = 'EQ' THEN 'SCHOOL_REGION_EQ' END
], x -> x IS NOT NULL);

-- The registry verdict of each row that has a candidate above t_review.
CREATE TABLE reg_verdict AS
WITH ranked AS (
    SELECT s.*, s.score >= getvariable('t_dup') AND s.ident AS dup_grade,
           row_number() OVER (PARTITION BY rid ORDER BY s.score >= getvariable('t_dup') AND s.ident DESC,
                                                        s.score DESC, kid) AS k
    FROM reg_scored s
    WHERE s.score >= getvariable('t_review')
      AND ((s.score >= getvariable('t_dup') AND s.ident) OR NOT s.against)),
top AS (SELECT * FROM ranked WHERE k = 1),
rival AS (SELECT * FROM ranked WHERE k = 2)
SELECT t.rid, t.kid, t.score, t.l, t.tf, t.sibling,
       t.dup_grade AND NOT coalesce(
           r.dup_grade AND t.score - r.score < getvariable('margin')
           AND NOT (t.l.doc = 'EXACT' AND r.l.doc <> 'EXACT'), false) AS is_dup,
       coalesce(r.dup_grade AND t.score - r.score < getvariable('margin')
           AND NOT (t.l.doc = 'EXACT' AND r.l.doc <> 'EXACT'), false) AS multiple
FROM top t LEFT JOIN rival r USING (rid);

-- Edges of the batch: pairs of rows that are one child.
CREATE TABLE edges AS
SELECT a, b, score, l, tf FROM batch_scored WHERE score >= getvariable('t_dup') AND ident;

CREATE TABLE cc AS
SELECT DISTINCT node, node AS label FROM (SELECT a AS node FROM edges UNION ALL SELECT b FROM edges);

-- @components

-- The population comparison of the contract, for rows with a valid
-- resident ID: in the extract, current or former name, gender and birth
-- date of the person and of the ID itself, status.
CREATE TABLE pop_verdict AS
WITH c AS (
    SELECT b.rid,
           list_filter([
               CASE WHEN p.pid IS NULL THEN 'POP_NOT_FOUND' END,
               CASE WHEN p.pid IS NULL THEN NULL
                    WHEN b.nm = p.nm THEN 'POP_NAME_EQ'
                    WHEN list_contains(p.former, b.nm) THEN 'POP_FORMER_NAME'
                    ELSE 'POP_NAME_MISMATCH' END,
               CASE WHEN b.bs <> substr(b.doc, 7, 8) THEN 'ID_BIRTH_MISMATCH' END,
               CASE WHEN b.g <> CASE WHEN substr(b.doc, 17, 1)::INT % 2 = 1 THEN 'M' ELSE 'F' END
                    THEN 'ID_GENDER_MISMATCH' END,
               CASE WHEN b.g <> p.g THEN 'POP_GENDER_MISMATCH' END,
               CASE WHEN b.bs <> p.bs THEN 'POP_BIRTH_MISMATCH' END,
               CASE WHEN p.status = '死亡' THEN 'POP_DECEASED' END,
               CASE WHEN p.status = '注销' THEN 'POP_CANCELLED' END
           ], x -> x IS NOT NULL) AS codes
    FROM batch b LEFT JOIN population p ON p.pid = b.doc
    WHERE b.rid_ok)
SELECT rid, codes,
       list_has_any(codes, ['POP_NOT_FOUND', 'POP_NAME_MISMATCH', 'ID_BIRTH_MISMATCH', 'ID_GENDER_MISMATCH',
                            'POP_GENDER_MISMATCH', 'POP_BIRTH_MISMATCH', 'POP_DECEASED', 'POP_CANCELLED'])
           AS mismatch
FROM c;

-- Each row's earliest same-child row of the batch, and the edge to it (or
-- the best edge to any earlier row of its component) for score and reasons.
CREATE TABLE batch_verdict AS
WITH later AS (SELECT node AS rid, label FROM cc WHERE label < node),
e AS (
    SELECT l.rid, e.score, e.l, e.tf,
           row_number() OVER (PARTITION BY l.rid ORDER BY e.a = l.label DESC, e.score DESC, e.a) AS k
    FROM later l JOIN edges e ON e.b = l.rid)
SELECT l.rid, l.label, e.score, e.l, e.tf
FROM later l LEFT JOIN e ON e.rid = l.rid AND e.k = 1;

CREATE TABLE decided AS
SELECT b.rid, b.record_id, b.doc, b.bs, b.school_region, b.problems, b.notes,
       CASE WHEN bv.rid IS NOT NULL THEN 'BATCH_DUPLICATE'
            WHEN rv.is_dup THEN 'DUPLICATE'
            WHEN rv.rid IS NOT NULL THEN 'REVIEW'
            WHEN len(b.problems) > 0 THEN 'INVALID'
            WHEN pv.mismatch THEN 'POP_MISMATCH'
            WHEN b.rid_ok THEN 'ASSIGNED_G'
            ELSE 'ASSIGNED_J' END AS decision,
       bv.label, bv.score AS b_score, bv.l AS b_l, bv.tf AS b_tf,
       rv.kid, rv.score AS r_score, rv.l AS r_l, rv.tf AS r_tf, rv.multiple, rv.sibling,
       pv.codes AS pop_codes
FROM batch b
LEFT JOIN batch_verdict bv ON bv.rid = b.rid
LEFT JOIN reg_verdict rv ON rv.rid = b.rid
LEFT JOIN pop_verdict pv ON pv.rid = b.rid;

-- Numbers.  J: school division code + birth date + the next free 3-digit
-- sequence of that prefix + MOD 11-2; L (the holding number of DUPLICATE,
-- REVIEW and POP_MISMATCH rows): the same prefix + the next free 4 digits.
CREATE TABLE numbered AS
WITH p AS (
    SELECT d.*, d.school_region || d.bs AS prefix,
           CASE WHEN d.decision = 'ASSIGNED_J' THEN 'J'
                WHEN d.decision IN ('DUPLICATE', 'REVIEW', 'POP_MISMATCH')
                     AND regexp_full_match(d.school_region, '[0-9]{6}') AND d.bs IS NOT NULL THEN 'L' END AS kind
    FROM decided d),
s AS (
    SELECT p.*, row_number() OVER (PARTITION BY kind, prefix ORDER BY rid) AS n
    FROM p)
SELECT s.*,
       CASE s.kind
           WHEN 'J' THEN 'J' || s.prefix || lpad((coalesce(j.top, 0) + s.n)::VARCHAR, 3, '0')
                         || mod11_2(s.prefix || lpad((coalesce(j.top, 0) + s.n)::VARCHAR, 3, '0'))
           WHEN 'L' THEN 'L' || s.prefix || lpad((coalesce(l.top, 0) + s.n)::VARCHAR, 4, '0')
       END AS own_number
FROM s
LEFT JOIN used_j j ON s.kind = 'J' AND j.prefix = s.prefix
LEFT JOIN used_l l ON s.kind = 'L' AND l.prefix = s.prefix;

CREATE TABLE results AS
SELECT n.rid, n.record_id, n.decision,
       CASE n.decision
           WHEN 'ASSIGNED_G' THEN 'G' || n.doc
           WHEN 'BATCH_DUPLICATE' THEN coalesce(
               CASE WHEN f0.decision = 'ASSIGNED_G' THEN 'G' || f0.doc ELSE f0.own_number END,
               n.own_number)
           ELSE n.own_number END AS student_number,
       CASE n.decision
           WHEN 'DUPLICATE' THEN r.student_number
           WHEN 'REVIEW' THEN r.student_number
           WHEN 'BATCH_DUPLICATE' THEN f0.record_id END AS matched_student_number,
       CASE n.decision
           WHEN 'DUPLICATE' THEN printf('%.2f', n.r_score)
           WHEN 'REVIEW' THEN printf('%.2f', n.r_score)
           WHEN 'BATCH_DUPLICATE' THEN printf('%.2f', n.b_score) END AS score,
       nullif(array_to_string(CASE
           WHEN n.decision = 'BATCH_DUPLICATE' THEN list_concat(['BATCH_ROW'], pair_codes(n.b_l, n.b_tf))
           WHEN n.decision IN ('DUPLICATE', 'REVIEW') THEN list_concat(n.problems, n.notes,
               pair_codes(n.r_l, n.r_tf),
               CASE WHEN r.status NOT IN ('在校', '休学') THEN ['CANDIDATE_INACTIVE'] ELSE [] END,
               CASE WHEN n.sibling THEN ['SIBLING'] ELSE [] END,
               CASE WHEN n.multiple THEN ['MULTIPLE_CANDIDATES'] ELSE [] END)
           WHEN n.decision = 'INVALID' THEN list_concat(n.problems, n.notes)
           ELSE list_concat(n.notes, coalesce(n.pop_codes, []))
       END, ';'), '') AS reasons
FROM numbered n
LEFT JOIN registry r ON r.kid = n.kid
LEFT JOIN numbered f0 ON f0.rid = n.label;
