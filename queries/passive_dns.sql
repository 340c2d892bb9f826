-- Passive DNS over the lake: every query→answer pair observed in Zeek dns.log and Sysmon
-- event 22, with how often and when first and last. The same pairs, counted the same way,
-- as the realtime store behind `nightjar pdns` (stream/enrich/passive-dns-store.ts).
--
--   nightjar sql "$(cat queries/passive_dns.sql)"
--   add `WHERE answer = '10.1.2.3'` or `WHERE query LIKE '%.example.com'` in the last SELECT to pivot.
--
-- Answers as sources write them: Sysmon `type:  5 cname.example.net;::ffff:1.2.3.4;`
-- (`;`-terminated, CNAMEs prefixed by their type, IPv4 as IPv4-mapped IPv6), Zeek a
-- comma-joined vector. Portable SQL: runs on DuckDB and on Trino.
WITH pieces AS (
  SELECT
    origin, origin_offset, ts,
    lower(trim(dns_query)) AS q,
    trim(regexp_replace(trim(piece), '^type:\s+[0-9]+\s*', '')) AS a
  FROM events
  CROSS JOIN UNNEST(split(replace(dns_answers, ';', ','), ',')) AS t (piece)
  WHERE dns_query IS NOT NULL AND dns_answers IS NOT NULL
),
cleaned AS (
  SELECT
    origin, origin_offset, ts,
    CASE WHEN q LIKE '%.' THEN substr(q, 1, length(q) - 1) ELSE q END AS query,
    CASE
      WHEN a LIKE '::ffff:%.%.%.%' THEN substr(a, 8)
      WHEN a LIKE 'TXT %' THEN a
      WHEN a LIKE '%.' THEN lower(substr(a, 1, length(a) - 1))
      ELSE lower(a)
    END AS answer
  FROM pieces
  WHERE a NOT IN ('', '-', '(empty)')
),
-- one row per event and pair: an answer repeated within one response counts once
observed AS (
  SELECT DISTINCT origin, origin_offset, ts, query, answer
  FROM cleaned
  WHERE query NOT IN ('', '-')
)
SELECT query, answer, count(*) AS count, min(ts) AS first_seen, max(ts) AS last_seen
FROM observed
GROUP BY query, answer
ORDER BY count DESC, query, answer
