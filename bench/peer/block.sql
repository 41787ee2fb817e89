-- block.sql: candidate pairs, the union of Splink-style blocking rules.
-- Each rule is an equi-join cheap enough for a national registry; a pair
-- found by several rules is kept once.  The rules, most specific first:
--   1. the document number
--   2. name + birth date
--   3. surname + birth date + gender   (a typo in the given name)
--   4. given name + birth date         (a typo in the surname)
--   5. name + gender + birth year-month (a typo in the birth day)
--   6. guardian ID + birth date        (a child submitted without an ID)
--   7. ID county + birth date + gender (a typo in the ID's last digits)
-- Batch rows are paired with the registry (reg_pairs) and with the earlier
-- rows of the batch itself (batch_pairs, a < b in input order).

CREATE TABLE reg_pairs AS
SELECT DISTINCT rid, kid FROM (
    SELECT b.rid, r.kid FROM batch b JOIN registry r ON b.doc = r.doc
    UNION ALL
    SELECT b.rid, r.kid FROM batch b JOIN registry r ON b.nm = r.nm AND b.bs = r.bs
    UNION ALL
    SELECT b.rid, r.kid FROM batch b JOIN registry r
        ON b.surname = r.surname AND b.bs = r.bs AND b.g = r.g
    UNION ALL
    SELECT b.rid, r.kid FROM batch b JOIN registry r
        ON b.given = r.given AND b.bs = r.bs AND b.given <> ''
    UNION ALL
    SELECT b.rid, r.kid FROM batch b JOIN registry r
        ON b.nm = r.nm AND b.g = r.g AND left(b.bs, 6) = left(r.bs, 6)
    UNION ALL
    SELECT b.rid, r.kid FROM batch b JOIN registry r ON b.gid = r.gid AND b.bs = r.bs
    UNION ALL
    SELECT b.rid, r.kid FROM batch b JOIN registry r
        ON left(b.doc, 14) = left(r.doc, 14) AND b.g = r.g
        AND b.doc_type = 'RID' AND r.doc_type = 'RID'
);

CREATE TABLE batch_pairs AS
SELECT DISTINCT a, b FROM (
    SELECT x.rid AS a, y.rid AS b FROM batch x JOIN batch y ON x.doc = y.doc AND x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM batch x JOIN batch y ON x.nm = y.nm AND x.bs = y.bs AND x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM batch x JOIN batch y
        ON x.surname = y.surname AND x.bs = y.bs AND x.g = y.g AND x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM batch x JOIN batch y
        ON x.given = y.given AND x.bs = y.bs AND x.given <> '' AND x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM batch x JOIN batch y
        ON x.nm = y.nm AND x.g = y.g AND left(x.bs, 6) = left(y.bs, 6) AND x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM batch x JOIN batch y ON x.gid = y.gid AND x.bs = y.bs AND x.rid < y.rid
    UNION ALL
    SELECT x.rid, y.rid FROM batch x JOIN batch y
        ON left(x.doc, 14) = left(y.doc, 14) AND x.g = y.g
        AND x.doc_type = 'RID' AND y.doc_type = 'RID' AND x.rid < y.rid
);
