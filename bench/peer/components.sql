-- components.sql: one round of label propagation over the batch's match
-- edges.  Every row takes the smallest label among itself and its
-- neighbours; peer.mjs repeats the round until no label changes, at which
-- point each connected component is labelled with its earliest row.
CREATE OR REPLACE TABLE cc_next AS
SELECT c.node, least(c.label, coalesce(min(n.label), c.label)) AS label
FROM cc c
LEFT JOIN (SELECT a AS x, b AS y FROM edges UNION ALL SELECT b, a FROM edges) e ON e.x = c.node
LEFT JOIN cc n ON n.node = e.y
GROUP BY c.node, c.label;

SET VARIABLE cc_changed = (SELECT count(*) FROM cc JOIN cc_next USING (node) WHERE cc.label <> cc_next.label);

DROP TABLE cc;

ALTER TABLE cc_next RENAME TO cc;
