-- macros.sql: the field normalizers and comparison functions of the peer.
--
-- Everything a record goes through is a DuckDB macro here, so that the same
-- definition serves the registry, the batch, the population and the random
-- pairs that estimate the u probabilities.  Three variables are set by
-- peer.mjs before this file runs:
--   fold_from / fold_to   one character each, position for position: the
--                         full-width ASCII forms and the ideographic space,
--                         and the Traditional characters of the names seen
--                         (from OpenCC's character table), to their
--                         half-width / Simplified forms
--   fold_pattern          a regular expression class of fold_from

-- translate() builds its character map on every call, so only the rare
-- text that holds a character to fold pays for it.
CREATE MACRO fold(s) AS CASE
    WHEN regexp_matches(s, getvariable('fold_pattern'))
    THEN translate(s, getvariable('fold_from'), getvariable('fold_to'))
    ELSE s END;

-- Width and script folding, white space and middle-dot look-alikes removed,
-- Latin letters upper-cased.  The dot of a minority name (阿依古丽·买买提)
-- is dropped rather than unified: every source writes it differently.
CREATE MACRO norm_name(s) AS nullif(upper(regexp_replace(
    fold(trim(s)),
    '[\s\x{00A0}\x{3000}\x{200B}-\x{200D}\x{FEFF}\x{00B7}\x{2022}\x{2027}\x{30FB}\x{FF65}\x{2219}\x{22C5}.]',
    '', 'g')), '');

-- An identifier as typed, folded to half width, without spaces or dashes,
-- upper-case (a lower-case x check character is common).
CREATE MACRO norm_code(s) AS nullif(upper(regexp_replace(
    fold(trim(s)),
    '[\s\x{00A0}\x{3000}-]', '', 'g')), '');

CREATE MACRO norm_gender(s) AS CASE upper(norm_code(s))
    WHEN '男' THEN 'M' WHEN '1' THEN 'M' WHEN 'M' THEN 'M'
    WHEN '女' THEN 'F' WHEN '2' THEN 'F' WHEN 'F' THEN 'F'
    ELSE NULL END;

-- The three date forms of the contract; an impossible date is NULL.
CREATE MACRO date_of(c) AS CASE
    WHEN regexp_full_match(c, '[0-9]{4}-[0-9]{2}-[0-9]{2}') THEN try_cast(c AS DATE)
    ELSE try_strptime(c, ['%Y%m%d', '%Y/%m/%d', '%Y-%m-%d'])::DATE END;
CREATE MACRO norm_date(s) AS date_of(norm_code(s));

CREATE MACRO norm_id_type(s) AS CASE coalesce(norm_code(s), '居民身份证')
    WHEN '居民身份证' THEN 'RID'
    WHEN '港澳台居民居住证' THEN 'HMT'
    WHEN '护照' THEN 'PASSPORT'
    WHEN '无' THEN 'NONE'
    ELSE 'BAD' END;

-- GB 11643 MOD 11-2: the check character of 17 digits (written out: a
-- lambda over the 17 positions costs three times as much).
CREATE MACRO mod11_2(d17) AS '10X98765432'[(1 + (
      (ascii(d17[1]) - 48) * 7 + (ascii(d17[2]) - 48) * 9 + (ascii(d17[3]) - 48) * 10 + (ascii(d17[4]) - 48) * 5
    + (ascii(d17[5]) - 48) * 8 + (ascii(d17[6]) - 48) * 4 + (ascii(d17[7]) - 48) * 2 + (ascii(d17[8]) - 48) * 1
    + (ascii(d17[9]) - 48) * 6 + (ascii(d17[10]) - 48) * 3 + (ascii(d17[11]) - 48) * 7 + (ascii(d17[12]) - 48) * 9
    + (ascii(d17[13]) - 48) * 10 + (ascii(d17[14]) - 48) * 5 + (ascii(d17[15]) - 48) * 8 + (ascii(d17[16]) - 48) * 4
    + (ascii(d17[17]) - 48) * 2) % 11)::BIGINT];

-- A 15-digit ID of before 1999 raised to 18 characters; anything else as is.
CREATE MACRO id18(c) AS CASE
    WHEN regexp_full_match(c, '[0-9]{15}')
    THEN substr(c, 1, 6) || '19' || substr(c, 7, 9) || mod11_2(substr(c, 1, 6) || '19' || substr(c, 7, 9))
    ELSE c END;

-- The first thing wrong with a (cleaned, raised) resident ID, or NULL.
CREATE MACRO id_error(c) AS CASE
    WHEN c IS NULL THEN 'ID_EMPTY'
    WHEN regexp_full_match(c, '[0-9](\.[0-9]+)?E\+?[0-9]+') THEN 'ID_EXCEL_DAMAGE'
    WHEN length(c) <> 18 THEN 'ID_LENGTH'
    WHEN NOT regexp_full_match(c, '[0-9]{17}[0-9X]') THEN 'ID_CHARSET'
    WHEN try_strptime(substr(c, 7, 8), '%Y%m%d') IS NULL THEN 'ID_DATE'
    WHEN mod11_2(c) <> c[18] THEN CASE WHEN c LIKE '%000' THEN 'ID_EXCEL_DAMAGE' ELSE 'ID_CHECKSUM' END
    ELSE NULL END;

-- Same character length, exactly one character different (a typo or a
-- homophone: DuckDB has no pinyin, so the two cannot be told apart).
CREATE MACRO chars_differing(a, b) AS
    list_count(list_filter(range(1, length(a) + 1), i -> a[i] <> b[i]));

-- Comparison levels, one macro per field.  NULL-side levels carry no weight.
CREATE MACRO cmp_name(a, b) AS CASE
    WHEN a IS NULL OR b IS NULL THEN 'NULL'
    WHEN a = b THEN 'EXACT'
    WHEN length(a) = length(b) AND chars_differing(a, b) = 1 THEN 'ONE_CHAR'
    WHEN jaro_winkler_similarity(a, b) >= 0.9 THEN 'SIMILAR'
    ELSE 'DIFF' END;

-- Dates as 8-character strings: one digit different, or day and month
-- swapped.
CREATE MACRO cmp_birth(a, b) AS CASE
    WHEN a IS NULL OR b IS NULL THEN 'NULL'
    WHEN a = b THEN 'EXACT'
    WHEN hamming(a, b) = 1
      OR (left(a, 4) = left(b, 4) AND substr(a, 5, 2) = substr(b, 7, 2) AND substr(a, 7, 2) = substr(b, 5, 2))
    THEN 'NEAR'
    WHEN left(a, 6) = left(b, 6) THEN 'YEAR_MONTH'
    ELSE 'DIFF' END;

CREATE MACRO cmp_eq(a, b) AS CASE
    WHEN a IS NULL OR b IS NULL THEN 'NULL' WHEN a = b THEN 'EQ' ELSE 'DIFF' END;

-- The identity documents of records x and y: t the type (RID, HMT,
-- PASSPORT, NONE), d the number (NULL when none), v whether a resident ID
-- passes validation, x whether it shows the spreadsheet's 000 tail.  Two
-- valid resident IDs that differ are two children (the number is unique by
-- law): level VETO, which the scoring drops as an exclusion rule.
CREATE MACRO cmp_doc(xt, xd, xv, xx, yt, yd, yv, yx) AS CASE
    WHEN xd IS NULL AND yd IS NULL THEN 'BOTH_NONE'
    WHEN xd IS NULL OR yd IS NULL THEN 'ONE_NONE'
    WHEN (xt = 'RID') <> (yt = 'RID') THEN 'CONFLICT'
    WHEN xd = yd THEN 'EXACT'
    WHEN xt <> 'RID' THEN 'DIFF'
    WHEN xv AND yv THEN 'VETO'
    WHEN length(xd) = 18 AND length(yd) = 18 AND damerau_levenshtein(xd, yd) = 1 THEN 'NEAR'
    WHEN (xx OR yx) AND left(xd, 15) = left(yd, 15) THEN 'EXCEL'
    ELSE 'DIFF' END;
