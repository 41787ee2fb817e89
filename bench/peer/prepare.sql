-- prepare.sql: raw CSV columns (all VARCHAR, English names, loaded by
-- peer.mjs into raw_batch, raw_registry and raw_population) to the cleaned
-- tables every later step reads.  Each record gets the same derived columns:
--   nm        normalized name (norm_name), surname its first character and
--             given the rest: blocking keys that survive a one-character typo
--   g, bs     gender M/F, birth date as YYYYMMDD
--   doc_type  RID (resident ID), HMT (permit), PASSPORT, NONE
--   doc       the document number, NULL for NONE
--   rid_ok    a resident ID that passes validation; xl its 000-tail damage

CREATE TABLE batch AS
WITH s AS (
    SELECT rowid AS rid,
           trim(record_id) AS record_id,
           name IS NULL AS no_name,
           norm_name(name) AS nm,
           gender IS NULL AS no_gender,
           norm_gender(gender) AS g,
           birth_date IS NULL AS no_birth,
           norm_date(birth_date) AS bdate,
           norm_id_type(id_type) AS id_type,
           norm_code(id_number) AS id_raw,
           id18(norm_code(id_number)) AS idc,
           norm_code(hukou_region) AS hukou,
           norm_code(school_code) AS school_code,
           norm_code(school_region) AS school_region,
           id18(norm_code(guardian_id)) AS gid,
           norm_name(guardian_name) AS gnm
    FROM raw_batch),
t AS (
    SELECT *,
           CASE WHEN id_type IN ('NONE', 'BAD') OR idc IS NULL THEN 'NONE' ELSE id_type END AS doc_type
    FROM s),
d AS (SELECT *, CASE WHEN doc_type = 'RID' THEN id_error(idc) END AS id_err FROM t)
SELECT rid, record_id, nm, nm[1] AS surname, substr(nm, 2) AS given, g,
       strftime(bdate, '%Y%m%d') AS bs, bdate,
       doc_type,
       CASE WHEN doc_type <> 'NONE' THEN idc END AS doc,
       id_err,
       doc_type = 'RID' AND id_err IS NULL AS rid_ok,
       coalesce(id_err = 'ID_EXCEL_DAMAGE', false) AS xl,
       hukou, school_code, school_region, gid, gnm,
       -- What is wrong with the row itself, in the README's order.
       list_filter([
           CASE WHEN record_id IS NULL THEN 'MISSING_RECORD_ID' END,
           CASE WHEN record_id IS NOT NULL AND count(*) OVER (PARTITION BY record_id) > 1
                THEN 'DUPLICATE_RECORD_ID' END,
           CASE WHEN no_name THEN 'MISSING_NAME' WHEN nm IS NULL THEN 'BAD_NAME' END,
           CASE WHEN no_gender THEN 'MISSING_GENDER' WHEN g IS NULL THEN 'BAD_GENDER' END,
           CASE WHEN no_birth THEN 'MISSING_BIRTH_DATE' WHEN bdate IS NULL THEN 'BAD_BIRTH_DATE'
                WHEN bdate > current_date THEN 'FUTURE_BIRTH_DATE' END,
           CASE WHEN school_code IS NULL THEN 'MISSING_SCHOOL_CODE'
                WHEN NOT regexp_full_match(school_code, '[0-9]{10}') THEN 'BAD_SCHOOL_CODE' END,
           CASE WHEN school_region IS NULL THEN 'MISSING_SCHOOL_REGION'
                WHEN NOT regexp_full_match(school_region, '[0-9]{6}') THEN 'BAD_SCHOOL_REGION' END,
           id_err
       ], x -> x IS NOT NULL) AS problems,
       -- Notes that do not make a row INVALID.
       list_filter([
           CASE WHEN id_type = 'BAD' THEN 'BAD_ID_TYPE' END,
           CASE WHEN doc_type = 'RID' AND length(id_raw) = 15 THEN 'ID_LEGACY15' END,
           CASE WHEN doc_type = 'NONE' THEN 'NO_RESIDENT_ID' END
       ], x -> x IS NOT NULL) AS notes
FROM d;

CREATE TABLE registry AS
WITH s AS (
    SELECT rowid AS kid,
           norm_code(student_number) AS student_number,
           coalesce(trim(status), '在校') AS status,
           norm_name(name) AS nm,
           norm_gender(gender) AS g,
           norm_date(birth_date) AS bdate,
           norm_id_type(id_type) AS id_type,
           id18(norm_code(id_number)) AS idc,
           norm_code(hukou_region) AS hukou,
           norm_code(school_region) AS school_region,
           id18(norm_code(guardian_id)) AS gid,
           norm_name(guardian_name) AS gnm
    FROM raw_registry),
t AS (
    SELECT *,
           CASE WHEN id_type IN ('NONE', 'BAD') OR idc IS NULL THEN 'NONE' ELSE id_type END AS doc_type
    FROM s),
d AS (SELECT *, CASE WHEN doc_type = 'RID' THEN id_error(idc) END AS id_err FROM t)
SELECT kid, student_number, status, nm, nm[1] AS surname, substr(nm, 2) AS given, g,
       strftime(bdate, '%Y%m%d') AS bs,
       doc_type,
       CASE WHEN doc_type <> 'NONE' THEN idc END AS doc,
       doc_type = 'RID' AND id_err IS NULL AS rid_ok,
       coalesce(id_err = 'ID_EXCEL_DAMAGE', false) AS xl,
       hukou, school_region, gid, gnm
FROM d;

-- The population keeps only what the comparison of the contract reads.
CREATE TABLE population AS
SELECT id18(norm_code(id_number)) AS pid,
       norm_name(name) AS nm,
       list_transform(string_split(former_names, '|'), f -> norm_name(f)) AS former,
       norm_gender(gender) AS g,
       strftime(norm_date(birth_date), '%Y%m%d') AS bs,
       coalesce(trim(status), '正常') AS status
FROM raw_population;

DROP TABLE raw_batch;
DROP TABLE raw_registry;
DROP TABLE raw_population;

-- Term frequencies of names over the population extract (every school-age
-- person once): Splink's term-frequency adjustment of the exact-name level.
CREATE TABLE name_tf AS
SELECT nm, count(*) / (SELECT count(*) FROM population) AS tf
FROM population WHERE nm IS NOT NULL GROUP BY nm;

-- The highest sequence already used under each J and L prefix (school
-- division code + birth date), so that no number is given twice.  J numbers
-- from 500 up are the permit holders' range of the registry.
CREATE TABLE used_j AS
SELECT substr(student_number, 2, 14) AS prefix, max(substr(student_number, 16, 3)::INT) AS top
FROM registry
WHERE regexp_full_match(student_number, 'J[0-9]{17}[0-9X]') AND substr(student_number, 16, 3)::INT < 500
GROUP BY ALL;

CREATE TABLE used_l AS
SELECT substr(student_number, 2, 14) AS prefix, max(substr(student_number, 16, 4)::INT) AS top
FROM registry
WHERE regexp_full_match(student_number, 'L[0-9]{18}')
GROUP BY ALL;
